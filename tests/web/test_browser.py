"""The web mode in a real headless Chromium: `verbatim --serve` as installed, driven by Playwright.

xterm.js draws into a canvas, so the test serves the page's textual.js through `page.route` with
one added statement that keeps the xterm terminal reachable, and reads the screen from its
buffer. Skipped (one line) without Playwright or a Chromium; VERBATIM_REQUIRE_BROWSER=1 (set by
.ci/run) turns the skip into a failure. Playwright never downloads a browser here: it launches
Debian's headless Chromium by path.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.allow_hosts(["127.0.0.1"])

CANDIDATES = ("/usr/bin/chromium-headless-shell", "/usr/lib/chromium/chrome-headless-shell",
              "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-default-apps", "--disable-domain-reliability"]
HOOK = "const t=new w(e,{ping:r});"  # where textual.js creates its terminal
SCREEN = """() => { const x = window.__verbatim && window.__verbatim.terminal; if (!x) return "";
  const b = x.buffer.active, out = [];
  for (let i = 0; i < x.rows; i++) {
    const l = b.getLine(b.viewportY + i); out.push(l ? l.translateToString(true) : "");
  }
  return out.join("\\n"); }"""
WAIT = 30.0  # seconds: generous bound for a loaded 2-core machine; polls return as soon as true


def _unavailable(reason: str) -> None:
    if os.environ.get("VERBATIM_REQUIRE_BROWSER") == "1":
        pytest.fail(f"browser test required but {reason}")
    pytest.skip(reason)


def _chromium() -> str:
    for path in [os.environ.get("VERBATIM_CHROMIUM", ""), *CANDIDATES]:
        if path and os.access(path, os.X_OK):
            return path
    found = shutil.which("chromium-headless-shell") or shutil.which("chromium")
    if not found:
        _unavailable("no Chromium installed (apt-get install chromium-headless-shell)")
    return found or ""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Served:
    """`verbatim --serve` on a free loopback port, stopped by its own pid (SIGTERM, bounded)."""

    def __init__(self, workdir: Path, *extra: str, env: dict[str, str] | None = None):
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.workdir = workdir
        exe = Path(sys.executable).with_name("verbatim")
        command = [str(exe)] if exe.exists() else [sys.executable, "-m", "tui"]
        extra_env = env
        env = {**os.environ, "HOME": str(workdir), "XDG_CACHE_HOME": str(workdir / "cache"),
               "VERBATIM_REGION": "US"}
        env.pop("VERBATIM_CACHE_DIR", None)
        env.pop("VERBATIM_WEB_SPAWN", None)
        env.update(extra_env or {})
        self.proc = subprocess.Popen([*command, "--serve", f"127.0.0.1:{self.port}", *extra],
                                     cwd=workdir, env=env, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, text=True)
        deadline = time.monotonic() + WAIT
        while True:
            if self.proc.poll() is not None:
                raise AssertionError(f"server exited: {self.proc.stdout.read() if self.proc.stdout else ''}")
            try:
                with urllib.request.urlopen(self.url + "/", timeout=2) as r:
                    if r.status == 200:
                        break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            if time.monotonic() > deadline:
                self.stop()
                raise AssertionError("server did not answer")
            time.sleep(0.05)  # polling interval, not synchronisation: the loop waits for the answer

    def descendants(self, pid: int | None = None) -> list[int]:
        """The app processes (and the fork server they come from) under this server."""
        pid = self.proc.pid if pid is None else pid
        try:
            kids = [int(x) for x in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
        except OSError:
            return []
        return kids + [d for k in kids for d in self.descendants(k)]

    def stop(self) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=WAIT)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=WAIT)
        if self.proc.stdout:
            self.proc.stdout.close()
        return self.proc.returncode


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[Served]:
    s = Served(tmp_path_factory.mktemp("server"))
    yield s
    s.stop()


@pytest.fixture(scope="module")
def browser(server):
    """Set up after the server, so torn down before it: the browser stops first."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("Playwright is not installed (pip install -e '.[test]')")
    path = _chromium()
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=path, args=ARGS)
        yield b
        b.close()


class Tab:
    """One page on the server, with the screen readable and every request recorded."""

    def __init__(self, browser, url: str):
        self.context = browser.new_context(viewport={"width": 1100, "height": 760}, accept_downloads=True)
        self.page = self.context.new_page()
        self.requests: list[str] = []
        self.downloads: list = []
        self.context.on("request", lambda r: self.requests.append(r.url))
        self.context.on("page", self._popup)
        self.page.on("websocket", lambda ws: self.requests.append(ws.url))
        self.page.on("download", lambda d: self.downloads.append(d))  # reported on the opener
        self.page.route("**/static/js/textual.js", self._expose_terminal)
        self.page.goto(url)

    def _popup(self, page) -> None:
        page.on("download", lambda d: self.downloads.append(d))
        page.on("websocket", lambda ws: self.requests.append(ws.url))

    @staticmethod
    def _expose_terminal(route) -> None:
        response = route.fetch()
        body = response.text()
        assert HOOK in body, "textual.js changed: update HOOK"
        route.fulfill(response=response, body=body.replace(HOOK, HOOK + "window.__verbatim=t;"))

    def screen(self) -> str:
        return self.page.evaluate(SCREEN)

    def wait_for(self, pattern: str, timeout: float = WAIT) -> str:
        """Poll the screen until the regular expression appears; the screen then."""
        rx = re.compile(pattern, re.I)
        deadline = time.monotonic() + timeout
        while True:
            text = self.screen()
            if rx.search(text):
                return text
            if time.monotonic() > deadline:
                raise AssertionError(f"{pattern!r} not on screen:\n{text}")
            self.page.wait_for_timeout(50)  # let the page run; the loop waits for the text

    def ready(self) -> str:
        return self.wait_for(r"content date")  # the guide's title line: documents are open

    def ask(self, question: str) -> None:
        self.page.focus(".xterm-helper-textarea")
        self.page.keyboard.type(question)
        self.page.keyboard.press("Enter")

    def close(self) -> None:
        self.context.close()


@pytest.fixture()
def tab(browser, server) -> Iterator[Tab]:
    t = Tab(browser, server.url + "/")
    yield t
    t.close()


def test_page_shows_the_title_and_answers_with_the_trastuzumab_row(tab, server):
    assert tab.page.title() == "Verbatim"
    assert "Advanced Breast Cancer" in tab.ready()
    tab.page.keyboard.type("What is Herceptin used for?")  # no click first: the page focused the terminal
    tab.page.keyboard.press("Enter")
    screen = tab.wait_for(r"trastuzumab.*herceptin|herceptin.*trastuzumab")
    assert "What is Herceptin used for?" in screen
    origin = server.url
    outside = [u for u in tab.requests if not re.match(rf"(https?|wss?)://127\.0\.0\.1:{server.port}/", u)]
    assert tab.requests and not outside, f"requests outside {origin}: {outside}"


def test_an_emergency_gets_the_emergency_message(tab):
    tab.ready()
    tab.ask("I have chest pain")
    screen = " ".join(tab.wait_for(r"This may be an emergency").split())
    assert "This may be an emergency. Call 911 now" in screen, screen


def test_export_arrives_as_a_download_and_writes_nothing_on_the_server(tab, server):
    before = sorted(p for p in server.workdir.rglob("*") if "cache" not in p.parts)
    tab.ready()
    tab.ask("What is Herceptin used for?")
    tab.wait_for(r"trastuzumab")
    tab.page.keyboard.press("Control+s")
    deadline = time.monotonic() + WAIT
    while not tab.downloads and time.monotonic() < deadline:
        tab.page.wait_for_timeout(50)
    assert tab.downloads, "no download arrived"
    download = tab.downloads[0]
    assert download.suggested_filename == "verbatim-conversation.md"
    text = Path(download.path()).read_text(encoding="utf-8")
    assert text.startswith("# Verbatim conversation") and "## You: What is Herceptin used for?" in text
    assert "Source: " in text
    after = sorted(p for p in server.workdir.rglob("*") if "cache" not in p.parts)
    assert after == before


def test_browser_safe_keys_and_the_footer_reach_the_app(tab):
    tab.ready()
    tab.page.focus(".xterm-helper-textarea")
    screen = tab.screen()
    assert re.search(r"F3 More\s+F4 Context", screen), screen  # the footer names keys that reach the page
    # click "Help" in the footer: the help window opens
    rows = screen.split("\n")
    row = max(i for i, line in enumerate(rows) if "Help" in line)
    col = rows[row].index("Help")
    box = tab.page.locator(".xterm-screen").bounding_box()
    cols = tab.page.evaluate("() => window.__verbatim.terminal.cols")
    cell_w, cell_h = box["width"] / cols, box["height"] / len(rows)
    tab.page.mouse.click(box["x"] + (col + 1.5) * cell_w, box["y"] + (row + 0.5) * cell_h)
    tab.wait_for(r"Keys.*\n.*Enter")
    tab.page.keyboard.press("Escape")
    tab.wait_for(r"Type your question")
    tab.page.keyboard.press("F10")  # quit: the page says the session ended
    tab.page.get_by_text("This session has ended.").wait_for(state="visible", timeout=WAIT * 1000)


def test_more_visitors_than_allowed_see_the_busy_page(browser, tmp_path):
    limited = Served(tmp_path, "--max-sessions", "1")
    first = second = None
    try:
        first = Tab(browser, limited.url + "/")
        first.ready()
        second = Tab(browser, limited.url + "/")
        second.page.get_by_text("Verbatim is busy").wait_for(timeout=WAIT * 1000)
        assert "Call 911 now" in second.page.content()
        first.close()
        first = None
        deadline = time.monotonic() + WAIT  # the slot frees once the first tab's app has stopped
        while True:
            second.page.goto(limited.url + "/")
            if second.page.title() == "Verbatim":
                break
            assert time.monotonic() < deadline, "the slot was never freed"
            second.page.wait_for_timeout(100)
        second.ready()
    finally:
        for t in (first, second):
            if t is not None:
                t.close()
        limited.stop()


def test_an_idle_session_ends(browser, tmp_path):
    idle = Served(tmp_path, "--idle-timeout", "0.04")  # 2.4 seconds
    t = None
    try:
        t = Tab(browser, idle.url + "/")
        t.ready()
        t.page.get_by_text("This session has ended.").wait_for(state="visible", timeout=WAIT * 1000)
        assert "after 2 seconds without use" in " ".join(t.page.content().split())
    finally:
        if t is not None:
            t.close()
        idle.stop()


def test_sigterm_with_tabs_open_stops_everything(browser, tmp_path):
    s = Served(tmp_path)
    tabs = []
    try:
        tabs = [Tab(browser, s.url + "/") for _ in range(2)]
        for t in tabs:
            t.ready()
        apps = s.descendants()
        assert len(apps) >= 2  # two apps (and, on POSIX, the fork server they come from)
        started = time.monotonic()
        assert s.stop() == 0
        assert time.monotonic() - started < 15
        assert not [pid for pid in apps if Path(f"/proc/{pid}").exists()
                    and "zombie" not in Path(f"/proc/{pid}/status").read_text()]
        for t in tabs:
            t.page.get_by_text("This session has ended.").wait_for(state="visible", timeout=WAIT * 1000)
    finally:
        for t in tabs:
            t.close()
        s.stop()


def test_one_new_process_per_tab_also_serves_the_chat(browser, tmp_path):
    """The fallback where fork is unavailable (VERBATIM_WEB_SPAWN=1): `verbatim` itself per tab."""
    s = Served(tmp_path, env={"VERBATIM_WEB_SPAWN": "1"})
    t = None
    try:
        t = Tab(browser, s.url + "/")
        t.ready()
        (app,) = s.descendants()
        assert b"tui" in Path(f"/proc/{app}/cmdline").read_bytes()
        t.ask("What is Herceptin used for?")
        t.wait_for(r"trastuzumab.*herceptin|herceptin.*trastuzumab")
    finally:
        if t is not None:
            t.close()
        s.stop()


def test_another_site_cannot_open_a_session(browser, server):
    """A page from another origin (here: a data: URL) cannot drive a session over the websocket."""
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto("about:blank")
        outcome = page.evaluate("""url => new Promise(done => {
            const ws = new WebSocket(url);
            ws.onopen = () => done("open"); ws.onerror = () => done("refused");
        })""", server.url.replace("http", "ws") + "/ws")
        assert outcome == "refused"
    finally:
        context.close()
