"""Pre-loaded sessions for the web mode: open the documents once, fork one app per browser tab.

A session started as a new process would import Textual and open (or map) the whole library
again: over a second and a few hundred MB at 100k passages. Instead the server starts this
process once; it loads the Bot, imports the app, moves every object out of the garbage
collector's reach (`gc.freeze`, so collections never write to the shared pages) and waits.
For each tab the server sends, over a UNIX socket, the tab's three pipe ends (SCM_RIGHTS) and
its terminal size; this process forks, and the child makes the pipes its stdin, stdout and
stderr and runs the app under Textual's web driver with the already loaded Bot. Pages stay
shared copy-on-write, so a session costs only what it changes. The child's pid goes back to the
server, which signals it directly; children are reaped by the kernel (SIGCHLD ignored). This
process exits when the server closes the socket. POSIX only (fork, SCM_RIGHTS).
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import logging
import os
import signal
import socket
import subprocess
import sys
import threading

from textual_serve.app_service import AppService

log = logging.getLogger("verbatim.web")
WEB_ENV = {
    # what textual-serve sets for its apps; read by Textual when it is imported
    "TEXTUAL_DRIVER": "textual.drivers.web_driver:WebDriver",
    "TEXTUAL_FPS": "60",
    "TEXTUAL_COLOR_SYSTEM": "truecolor",
    "TERM_PROGRAM": "textual",
}


def available() -> bool:
    return hasattr(os, "fork") and hasattr(socket, "send_fds")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m tui.forkserver")
    ap.add_argument("--fd", type=int, required=True, help="the server's end of the control socket")
    ap.add_argument("--corpus")
    ap.add_argument("--region")
    ap.add_argument("--reloaded", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    control = socket.socket(fileno=args.fd)
    os.environ.update(WEB_ENV)

    from bot.chatbot import load
    from bot.corpus import CorpusError
    from bot.messages import Config

    config = Config.from_env(args.region)
    try:
        bot = load(args.corpus, config)
    except CorpusError as exc:
        control.sendall(json.dumps({"error": str(exc)}).encode() + b"\n")
        return 2
    mapped = getattr(bot.index, "arrays", {}).get("post_tf")
    if mapped is not None and mapped.flags.writeable and not args.reloaded:
        # A large library whose cache was just built: start again to map it read-only rather
        # than keep (and share into every session) the memory the build used.
        from bot import cache

        if cache.cache_dir() is not None:
            os.execv(sys.executable, [sys.executable, "-m", "tui.forkserver", *sys.argv[1:], "--reloaded"])
    from .app import VerbatimApp

    gc.collect()
    gc.freeze()  # shared pages stay shared: the collector no longer visits these objects
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # the kernel reaps the sessions
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the server decides when we stop (socket closed)
    control.sendall(json.dumps({"ready": os.getpid()}).encode() + b"\n")
    sys.stdout.flush()
    sys.stderr.flush()
    while True:
        try:
            data, fds, _, _ = socket.recv_fds(control, 4096, 3)
        except OSError:
            return 0
        if not data:
            return 0  # the server has gone
        try:
            request = json.loads(data)
            if len(fds) != 3:
                raise ValueError("expected three descriptors")
            pid = os.fork()
        except (ValueError, OSError) as exc:
            for fd in fds:
                os.close(fd)
            control.sendall(json.dumps({"error": str(exc)}).encode() + b"\n")
            continue
        if pid == 0:
            control.close()
            _run_session(fds, request, bot, VerbatimApp)  # never returns
        for fd in fds:
            os.close(fd)
        control.sendall(json.dumps({"pid": pid}).encode() + b"\n")


def _run_session(fds: list[int], request: dict, bot, app_class) -> None:
    """In the forked child: the pipes become stdio, then the app runs until it quits."""
    code = 1
    try:
        for signum in (signal.SIGCHLD, signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, signal.SIG_DFL)
        for target, fd in enumerate(fds):
            os.dup2(fd, target)
            os.close(fd)
        os.environ["COLUMNS"] = str(int(request.get("width", 80)))
        os.environ["ROWS"] = str(int(request.get("height", 24)))
        app = app_class(bot=bot, messages=bot.messages)
        app.run()
        code = 0
    except BaseException:  # nothing may escape into the fork server's loop
        import traceback

        traceback.print_exc()
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(code)


# --- the server's side -------------------------------------------------------------------------


class ForkServer:
    """The web server's handle on the fork server: start it, ask it for sessions, stop it."""

    def __init__(self, corpus: str | None, region: str | None):
        """Start it and wait until the documents are open; RuntimeError with the reason if not."""
        ours, theirs = socket.socketpair()
        command = [sys.executable, "-m", "tui.forkserver", "--fd", str(theirs.fileno())]
        if corpus:
            command += ["--corpus", corpus]
        if region:
            command += ["--region", region]
        self.proc = subprocess.Popen(command, pass_fds=[theirs.fileno()], env={**os.environ, **WEB_ENV},
                                     stdin=subprocess.DEVNULL)
        theirs.close()
        self.sock = ours
        self.replies = ours.makefile("rb")
        self.lock = threading.Lock()
        first = self._reply()
        if "ready" not in first:
            self.close()
            raise RuntimeError(first.get("error", "could not open the documents"))

    def _reply(self) -> dict:
        line = self.replies.readline()
        if not line:
            raise RuntimeError("the session process has stopped")
        return json.loads(line)

    def spawn(self, width: int, height: int) -> tuple[int, int, int, int]:
        """A new session: (pid, its stdin, stdout and stderr ends for the server). Blocking."""
        pipes = [os.pipe() for _ in range(3)]
        theirs = [pipes[0][0], pipes[1][1], pipes[2][1]]
        ours = [pipes[0][1], pipes[1][0], pipes[2][0]]
        try:
            with self.lock:
                socket.send_fds(self.sock, [json.dumps({"width": width, "height": height}).encode()], theirs)
                reply = self._reply()
        except BaseException:
            for fd in ours:
                os.close(fd)
            raise
        finally:
            for fd in theirs:
                os.close(fd)
        if "pid" not in reply:
            for fd in ours:
                os.close(fd)
            raise RuntimeError(reply.get("error", "no session"))
        return reply["pid"], *ours

    def close(self, timeout: float = 5.0) -> None:
        self.replies.close()  # (the socket stays open while a file made from it is)
        self.sock.close()  # the fork server exits when it sees the socket close
        try:
            self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout)


class ForkedProcess:
    """What textual-serve's AppService needs of a process, for a session forked elsewhere."""

    def __init__(self, pid: int, stdin, stdout, stderr):
        self.pid = pid
        self.stdin, self.stdout, self.stderr = stdin, stdout, stderr

    @property
    def returncode(self) -> int | None:
        try:
            os.kill(self.pid, 0)
        except ProcessLookupError:
            return 0  # gone (reaped by the kernel: its status is not ours to know)
        except PermissionError:
            pass
        return None

    def kill(self) -> None:
        try:
            os.kill(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass

    async def wait(self) -> int:
        while (code := self.returncode) is None:
            await asyncio.sleep(0.05)
        return code


class ForkedAppService(AppService):
    """textual-serve's AppService, with the app forked by the fork server instead of spawned."""

    def __init__(self, command: str, *, forks: ForkServer, **kwargs):
        super().__init__(command, **kwargs)
        self.forks = forks

    async def _open_app_process(self, width: int = 80, height: int = 24):
        loop = asyncio.get_running_loop()
        try:
            pid, stdin_fd, stdout_fd, stderr_fd = await loop.run_in_executor(None, self.forks.spawn, width, height)
        except (RuntimeError, OSError, ValueError) as exc:  # the fork server is gone: still serve the tab
            log.warning("fork server unavailable (%s): starting the app as a new process", exc)
            return await super()._open_app_process(width, height)
        readers = []
        for fd in (stdout_fd, stderr_fd):
            reader = asyncio.StreamReader(limit=2**20)
            await loop.connect_read_pipe(lambda r=reader: asyncio.StreamReaderProtocol(r), os.fdopen(fd, "rb", 0))
            readers.append(reader)
        transport, protocol = await loop.connect_write_pipe(
            lambda: asyncio.StreamReaderProtocol(asyncio.StreamReader()), os.fdopen(stdin_fd, "wb", 0))
        stdin = asyncio.StreamWriter(transport, protocol, None, loop)
        self._process = ForkedProcess(pid, stdin, *readers)  # type: ignore[assignment]
        self._stdin = stdin
        return self._process


if __name__ == "__main__":
    sys.exit(main())
