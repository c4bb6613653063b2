"""Serve the Verbatim app to browsers through textual-serve: one app process per browser tab.

Contract: binds to the loopback address unless told otherwise; every page asset comes from this
server (our own template, textual-serve's bundled script, stylesheet and fonts); at most
`max_sessions` apps run at once and a further visitor gets a fixed "busy" page; an app that
receives no key or click for `idle_timeout` seconds is ended; SIGTERM or SIGINT ends every app
(quit, then kill after a bounded wait) and stops the server. Nothing is written on the server
per session: exports are browser downloads (`App.deliver_text`). There is no login and no TLS:
a clinic puts its own HTTPS reverse proxy in front and passes `public_url`.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import os
import shlex
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp_jinja2
import jinja2
from aiohttp import WSMsgType, web
from aiohttp.web_runner import GracefulExit
from textual_serve.app_service import AppService
from textual_serve.server import Server

from bot.messages import Config, Messages

from .forkserver import ForkedAppService, ForkServer, available

log = logging.getLogger("verbatim.web")

TEMPLATES = Path(__file__).resolve().parent / "templates"
MAX_SESSIONS = 8
IDLE_TIMEOUT = 15 * 60  # seconds
QUIT_GRACE = 3.0  # seconds an app gets to quit before it is killed
HEADERS = {
    # Everything from this origin; the websocket too ('self' covers ws/wss to the same host).
    "Content-Security-Policy": "default-src 'self'; connect-src 'self'; img-src 'self' data:; "
                               "style-src 'self' 'unsafe-inline'; font-src 'self'; object-src 'none'; "
                               "base-uri 'none'; form-action 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


def parse_address(text: str) -> tuple[str, int]:
    """'8000', 'HOST:8000' or '[::1]:8000' -> (host, port); the host defaults to 127.0.0.1."""
    host, sep, port = text.strip().rpartition(":")
    if not sep:
        host, port = "", text.strip()
    host = host.strip("[]") or "127.0.0.1"
    if not port.isdigit() or not 0 < int(port) < 65536:
        raise ValueError(f"not a port: {port!r} (expected [HOST:]PORT, e.g. 127.0.0.1:8000)")
    return host, int(port)


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def app_command(corpus: str | None, region: str | None) -> str:
    """The shell command textual-serve runs for each tab: this Python, this package, full mode."""
    parts = [sys.executable, "-m", "tui"]
    if corpus:
        parts += ["--corpus", str(Path(corpus).resolve())]
    if region:
        parts += ["--region", region]
    return "exec " + shlex.join(parts)  # exec: the app is the process we track, not a shell


@dataclass(eq=False)
class Session:
    """One browser tab and the app process behind it."""

    websocket: web.WebSocketResponse
    service: AppService | None = None
    last_input: float = field(default_factory=time.monotonic)
    ended_idle: bool = False


class VerbatimServer(Server):
    """textual-serve's Server with session limits, an idle timeout and a clean stop."""

    def __init__(self, command: str, host: str = "127.0.0.1", port: int = 8000,
                 public_url: str | None = None, max_sessions: int = MAX_SESSIONS,
                 idle_timeout: float = IDLE_TIMEOUT, texts: Messages | None = None,
                 forks: ForkServer | None = None):
        """`texts`: the fixed messages (with the region's emergency number) the pages show;
        `forks`: sessions are forked from this pre-loaded process instead of run as `command`."""
        super().__init__(command, host=host, port=port, title="Verbatim", public_url=public_url,
                         templates_path=TEMPLATES)
        if max_sessions < 1:
            raise ValueError("max_sessions must be at least 1")
        if idle_timeout <= 0:
            raise ValueError("idle_timeout must be positive")
        self.fixed_url = public_url is not None  # else the page's URLs follow the address used
        self.max_sessions = max_sessions
        self.idle_timeout = idle_timeout
        self.sessions: set[Session] = set()
        self.texts = texts or Messages()
        self.forks = forks

    # --- the web application ---------------------------------------------------------------

    async def _make_app(self) -> web.Application:
        app = web.Application(middlewares=[self._headers])
        aiohttp_jinja2.setup(app, loader=jinja2.FileSystemLoader(self.templates_path),
                             autoescape=True)
        app.add_routes([
            web.get("/", self.handle_index, name="index"),
            web.get("/ws", self.handle_websocket, name="websocket"),
            web.get("/download/{key}", self.handle_download, name="download"),
            web.static("/static", self.statics_path, show_index=False, name="static"),
            web.static("/verbatim", TEMPLATES / "static", show_index=False, name="own"),
        ])
        app.on_startup.append(self.on_startup)
        app.on_shutdown.append(self.on_shutdown)
        return app

    @web.middleware
    async def _headers(self, request: web.Request, handler) -> web.StreamResponse:
        response = await handler(request)
        if not response.prepared:  # a websocket's headers are already sent
            for name, value in HEADERS.items():
                response.headers.setdefault(name, value)
        return response

    async def handle_index(self, request: web.Request) -> web.StreamResponse:
        # textual.js would fetch any URL given as ?ping=...: drop every parameter but fontsize.
        if set(request.query) - {"fontsize"}:
            raise web.HTTPFound(request.app.router["index"].url_for().with_query(
                {k: v for k, v in request.query.items() if k == "fontsize"}))
        if len(self.sessions) >= self.max_sessions:
            return aiohttp_jinja2.render_template(
                "busy.html", request, {"emergency": self.texts.get("emergency")}, status=503)
        base = self.public_url if self.fixed_url else f"{request.scheme}://{request.host}"
        ws = ("wss" if base.startswith("https") else "ws") + ":" + base.split(":", 1)[1]
        context = {
            "font_size": _int(request.query.get("fontsize"), 16),
            "app_websocket_url": f"{ws}/ws",
            "static_url": f"{base}/static/",
            "own_url": f"{base}/verbatim/",
            "idle": _duration(self.idle_timeout),
            "opening": self.texts.get("opening"),
        }
        return aiohttp_jinja2.render_template("app_index.html", request, context)

    async def on_startup(self, app: web.Application) -> None:
        log.info("Serving Verbatim on %s (at most %d sessions, idle timeout %ds)",
                 self.public_url, self.max_sessions, self.idle_timeout)
        sys.stdout.write(f"Verbatim on {self.public_url}  (Ctrl+C or SIGTERM stops it)\n")
        sys.stdout.flush()

    async def on_shutdown(self, app: web.Application) -> None:
        """Stop: end every app (bounded), then close every tab's connection."""
        await asyncio.gather(*(self._end(s) for s in list(self.sessions)), return_exceptions=True)
        if self.forks is not None:
            await asyncio.get_running_loop().run_in_executor(None, self.forks.close)

    def serve(self, debug: bool = False) -> None:
        self.debug = debug
        logging.basicConfig(level="DEBUG" if debug else "INFO", format="%(message)s")
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, self.request_exit)
        web.run_app(self._make_app(), host=self.host, port=self.port, handle_signals=False,
                    loop=loop, shutdown_timeout=QUIT_GRACE + 2, print=lambda *a: None,
                    access_log=None)

    # --- sessions -----------------------------------------------------------------------------

    def _same_origin(self, request: web.Request) -> bool:
        """Browsers send Origin with a websocket: only our own page may open a session
        (another site's script could otherwise drive one, or use up the sessions)."""
        origin = request.headers.get("Origin")
        if origin is None:
            return True  # not a browser
        allowed = {f"{request.scheme}://{request.host}".lower()}
        if self.fixed_url:
            allowed.add("/".join(self.public_url.lower().split("/")[:3]))
        return origin.lower().rstrip("/") in allowed

    async def handle_websocket(self, request: web.Request) -> web.StreamResponse:
        if not self._same_origin(request):
            return web.Response(status=403, text="Forbidden: not Verbatim's own page")
        websocket = web.WebSocketResponse(heartbeat=15)
        await websocket.prepare(request)
        if len(self.sessions) >= self.max_sessions:
            await websocket.close(code=1013, message=b"busy")  # 1013: try again later
            return websocket
        session = Session(websocket)
        self.sessions.add(session)  # no await since the check: two tabs cannot both slip in
        width = _int(request.query.get("width"), 80)
        height = _int(request.query.get("height"), 24)
        watchdog = None
        try:
            io = dict(write_bytes=websocket.send_bytes, write_str=websocket.send_str, close=websocket.close,
                      download_manager=self.download_manager, debug=self.debug)
            session.service = (ForkedAppService(self.command, forks=self.forks, **io) if self.forks
                               else AppService(self.command, **io))
            await session.service.start(width, height)
            watchdog = asyncio.create_task(self._watch(session))
            await self._process_messages_for(session)
        except asyncio.CancelledError:
            pass
        except Exception as error:  # a broken tab must not take the server down
            log.exception(error)
        finally:
            if watchdog is not None:
                watchdog.cancel()
            await self._end(session)
            self.sessions.discard(session)
        return websocket

    async def _process_messages_for(self, session: Session) -> None:
        """The browser's messages to the app; keys and clicks count as activity."""
        service = session.service
        assert service is not None
        async for message in session.websocket:
            if message.type != WSMsgType.TEXT:
                continue
            try:
                kind, *rest = message.json()
            except (ValueError, TypeError):
                continue
            data = rest[0] if rest else None
            if kind == "stdin" and isinstance(data, str):
                session.last_input = time.monotonic()
                await service.send_bytes(data.encode("utf-8"))
            elif kind == "resize" and isinstance(data, dict):
                await service.set_terminal_size(_int(data.get("width"), 80), _int(data.get("height"), 24))
            elif kind == "ping":
                await session.websocket.send_json(["pong", data])
            # "focus"/"blur" of the browser tab are not passed on: the app's focus change rebuilds
            # the footer, and a focus arriving with the click that caused it lost that click.

    async def _watch(self, session: Session) -> None:
        """End the session when its app exits by itself, or when it has been idle too long."""
        service = session.service
        assert service is not None and service._task is not None
        task = service._task
        while True:
            left = session.last_input + self.idle_timeout - time.monotonic()
            done, _ = await asyncio.wait({task}, timeout=max(left, 0.05))
            if done:
                break
            if time.monotonic() - session.last_input >= self.idle_timeout:
                session.ended_idle = True
                log.info("ending a session idle for %ds", self.idle_timeout)
                break
        await self._end(session)

    async def _end(self, session: Session) -> None:
        """Ask the app to quit, kill it if it does not within QUIT_GRACE, close the tab."""
        service = session.service
        if service is not None:
            process = service._process  # textual-serve keeps it private; we need its pid
            try:
                await asyncio.wait_for(asyncio.shield(service.stop()), QUIT_GRACE)
            except (TimeoutError, ConnectionError, RuntimeError):
                pass
            if process is not None and process.returncode is None:
                process.kill()
                try:
                    await asyncio.wait_for(process.wait(), QUIT_GRACE)
                except TimeoutError:
                    log.error("app process %s did not stop", process.pid)
        if not session.websocket.closed:
            await session.websocket.close()


def _duration(seconds: float) -> str:
    if seconds < 90:
        n, unit = round(seconds), "second"
    else:
        n, unit = round(seconds / 60), "minute"
    return f"{n} {unit}" + ("" if n == 1 else "s")


def _int(value: Any, default: int) -> int:
    try:
        return max(1, min(int(value), 1000))
    except (TypeError, ValueError):
        return default


def warm(corpus: str | None) -> str | None:
    """Open the documents once in a child process (building the shared cache of a large library,
    so sessions only map it); the one-line error when they cannot be opened."""
    code = "import sys, bot\nbot.load(sys.argv[1] or None)\n"
    done = subprocess.run([sys.executable, "-c", code, corpus or ""], capture_output=True, text=True,
                          env={**os.environ, "PYTHONWARNINGS": "ignore"})
    if done.returncode == 0:
        return None
    lines = [line for line in done.stderr.strip().splitlines() if line.strip()]
    return lines[-1].split(": ", 1)[-1] if lines else f"exit status {done.returncode}"


def serve(address: str, corpus: str | None = None, region: str | None = None,
          public_url: str | None = None, max_sessions: int = MAX_SESSIONS,
          idle_timeout: float = IDLE_TIMEOUT) -> int:
    """`verbatim --serve`: check the address and the documents, then serve until stopped."""
    try:
        host, port = parse_address(address)
    except ValueError as exc:
        sys.stderr.write(f"verbatim: error: {exc}\n")
        return 2
    if public_url is None and not is_loopback(host):
        sys.stderr.write(f"verbatim: error: serving on {host} needs --public-url, the address browsers "
                         "use (e.g. https://verbatim.clinic.example behind your HTTPS proxy)\n")
        return 2
    forks = None
    if available() and not os.environ.get("VERBATIM_WEB_SPAWN"):
        try:
            forks = ForkServer(corpus, region)  # opens the documents once, for every session
        except RuntimeError as exc:
            sys.stderr.write(f"verbatim: error: {exc}\n")
            return 2
    else:
        problem = warm(corpus)
        if problem:
            sys.stderr.write(f"verbatim: error: {problem}\n")
            return 2
    try:
        server = VerbatimServer(app_command(corpus, region), host=host, port=port,
                                public_url=public_url.rstrip("/") if public_url else None,
                                max_sessions=max_sessions, idle_timeout=idle_timeout,
                                texts=Messages(Config.from_env(region)), forks=forks)
    except ValueError as exc:
        if forks is not None:
            forks.close()
        sys.stderr.write(f"verbatim: error: {exc}\n")
        return 2
    try:
        server.serve()
    except GracefulExit:
        pass
    except OSError as exc:
        sys.stderr.write(f"verbatim: error: cannot serve on {host}:{port}: {exc.strerror or exc}\n")
        return 2
    finally:
        if forks is not None and forks.proc.poll() is None:
            forks.close()
    return 0
