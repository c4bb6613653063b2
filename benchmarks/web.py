"""Benchmark the web mode: `verbatim --serve` driven by headless Chromium through Playwright.

    python benchmarks/web.py                    # the bundled guide and a 100k-passage library
    python benchmarks/web.py --sizes 0          # the bundled guide only (0 = the guide)

For each library it reports: page-to-ready (page opened -> the guide's title line on screen,
i.e. the session's app has opened the documents), answer latency in the browser (Enter -> the
reply on screen), memory of the first session and of each further one (from
/proc/PID/smaps_rollup: RSS, PSS, private), and 8 sessions opened at once (time until all are
ready, total memory of the server and its apps). Needs the test extra (Playwright) and Debian's
headless Chromium (VERBATIM_CHROMIUM to point elsewhere).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
CHROMIUM = os.environ.get("VERBATIM_CHROMIUM", "/usr/bin/chromium-headless-shell")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
HOOK = "const t=new w(e,{ping:r});"
SCREEN = """() => { const x = window.__verbatim && window.__verbatim.terminal; if (!x) return "";
  const b = x.buffer.active, out = [];
  for (let i = 0; i < x.rows; i++) {
    const l = b.getLine(b.viewportY + i); out.push(l ? l.translateToString(true) : "");
  }
  return out.join("\\n"); }"""
QUESTIONS = ["What is Herceptin used for?", "What are the hormone therapy options?", "What is palliative care?",
             "Can I take a break from treatment?", "What is a clinical trial?", "chemo side effects"]
PLACEHOLDER = "Type your question and press Enter"
WORKING = json.loads((HERE.parent / "bot" / "data" / "messages.json").read_text(encoding="utf-8"))["working"]


def memory(pid: int) -> dict[str, int]:
    """RSS, PSS and private memory of one process, in KiB."""
    out = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
        name, value = line.split(":", 1)
        out[name] = int(value.split()[0])
    return {"rss": out["Rss"], "pss": out["Pss"], "private": out["Private_Clean"] + out["Private_Dirty"]}


def children(pid: int) -> list[int]:
    try:
        return [int(x) for x in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def processes(server: int) -> tuple[list[int], list[int]]:
    """(helpers: the fork server if any, sessions: one app process per tab)."""
    helpers, sessions = [], []
    for pid in children(server):
        if b"tui.forkserver" in Path(f"/proc/{pid}/cmdline").read_bytes():
            helpers.append(pid)
            sessions += children(pid)
        else:
            sessions.append(pid)
    return helpers, sessions


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, corpus: str | None, cache: Path, spawn: bool):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        command = [str(Path(sys.executable).with_name("verbatim")), "--serve", f"127.0.0.1:{self.port}",
                   "--max-sessions", "16"]
        if corpus:
            command += ["--corpus", corpus]
        env = {**os.environ, "VERBATIM_CACHE_DIR": str(cache)}
        if spawn:
            env["VERBATIM_WEB_SPAWN"] = "1"
        t = time.perf_counter()
        self.proc = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        while True:
            try:
                urllib.request.urlopen(self.url, timeout=2).close()
                break
            except OSError:
                if self.proc.poll() is not None or time.perf_counter() - t > 600:
                    raise RuntimeError("server did not start") from None
                time.sleep(0.05)
        self.start_s = time.perf_counter() - t

    def stop(self) -> None:
        self.proc.send_signal(signal.SIGTERM)
        self.proc.wait(timeout=30)


def expose(route) -> None:
    response = route.fetch()
    route.fulfill(response=response, body=response.text().replace(HOOK, HOOK + "window.__verbatim=t;"))


def wait_screen(page, test, timeout: float = 120.0) -> float:
    t = time.perf_counter()
    while not test(page.evaluate(SCREEN)):
        if time.perf_counter() - t > timeout:
            raise TimeoutError(page.evaluate(SCREEN))
        page.wait_for_timeout(10)
    return time.perf_counter()


def open_tab(browser, url: str):
    context = browser.new_context(viewport={"width": 1100, "height": 760})
    page = context.new_page()
    page.route("**/static/js/textual.js", expose)
    return context, page


def run(label: str, corpus: str | None, sessions: int, spawn: bool) -> dict:
    from playwright.sync_api import sync_playwright

    cache = Path(tempfile.mkdtemp(prefix="verbatim-web-cache-"))
    server = Server(corpus, cache, spawn)  # opens the library (building its cache) before serving
    helpers, _ = processes(server.proc.pid)
    result: dict = {"library": label, "mode": "spawn" if spawn else "fork", "server_start_s": round(server.start_s, 2),
                    "server_mb": round(memory(server.proc.pid)["rss"] / 1024),
                    "fork_server_mb": {k: round(v / 1024) for k, v in memory(helpers[0]).items()} if helpers else None}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            # one session at a time: page-to-ready, answer latency, memory
            ready, answers, tabs = [], [], []
            for i in range(3):
                context, page = open_tab(browser, server.url)
                t = time.perf_counter()
                page.goto(server.url)
                ready.append(wait_screen(page, lambda s: "content date" in s) - t)
                page.focus(".xterm-helper-textarea")
                for q in QUESTIONS:
                    page.keyboard.type(q)
                    wait_screen(page, lambda s, q=q: q[-12:] in s)  # echoed in the input
                    t = time.perf_counter()
                    page.keyboard.press("Enter")
                    # the input clears and "working" shows in one frame; the reply clears "working"
                    answers.append(wait_screen(page, lambda s: PLACEHOLDER in s and WORKING not in s) - t)
                tabs.append(context)
                if i == 0:
                    (first,) = processes(server.proc.pid)[1]
                    result["first_session"] = {k: round(v / 1024) for k, v in memory(first).items()}
            apps = processes(server.proc.pid)[1]
            later = [memory(pid) for pid in apps if pid != first]
            result["next_sessions_mb"] = {k: round(statistics.mean(m[k] for m in later) / 1024)
                                          for k in ("rss", "pss", "private")}
            result["page_to_ready_s"] = [round(x, 2) for x in ready]
            result["answer_s_median"] = round(statistics.median(answers), 3)
            result["answer_s_max"] = round(max(answers), 3)
            for c in tabs:
                c.close()
            deadline = time.perf_counter() + 30
            while processes(server.proc.pid)[1] and time.perf_counter() < deadline:
                time.sleep(0.05)
            # `sessions` tabs opened at once
            pages = [open_tab(browser, server.url) for _ in range(sessions)]
            t = time.perf_counter()
            for _, page in pages:
                page.goto(server.url, wait_until="commit")
            done = [wait_screen(page, lambda s: "content date" in s) - t for _, page in pages]
            helpers, apps = processes(server.proc.pid)
            total = [memory(pid) for pid in [server.proc.pid, *helpers, *apps]]
            per = [memory(pid) for pid in apps]
            result[f"{sessions}_at_once"] = {
                "all_ready_s": round(max(done), 2), "sessions": len(apps),
                "total_pss_mb": round(sum(m["pss"] for m in total) / 1024),
                "per_session_pss_mb": round(statistics.mean(m["pss"] for m in per) / 1024),
                "per_session_private_mb": round(statistics.mean(m["private"] for m in per) / 1024),
            }
            for c, _ in pages:
                c.close()
            browser.close()
    finally:
        server.stop()
    return result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[0, 100000],
                    help="library sizes in passages; 0 is the bundled guide")
    ap.add_argument("--sessions", type=int, default=8)
    ap.add_argument("--library", help="reuse (or create) synthetic libraries under this folder")
    ap.add_argument("--spawn", action="store_true", help="one new process per tab instead of forked sessions")
    args = ap.parse_args()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    for n in args.sizes:
        corpus = None
        if n:
            from library import generate

            folder = Path(args.library or tempfile.mkdtemp(prefix="verbatim-web-lib-")) / f"lib{n}"
            if not folder.exists():
                generate(folder, n, seed=1)
            corpus = str(folder)
        print(json.dumps(run("bundled guide" if not n else f"{n:,} passages", corpus, args.sessions, args.spawn)),
              flush=True)


if __name__ == "__main__":
    main()
