"""`verbatim` / `python -m tui`: open the chat on the bundled guide (or --corpus DIR)."""

from __future__ import annotations

import argparse
import os
import sys


def main(argv: list[str] | None = None) -> int:
    from bot.messages import REGIONS

    ap = argparse.ArgumentParser(prog="verbatim", description="Chat with the guide: every answer "
                                 "is a quote from it, with where it comes from.")
    ap.add_argument("--corpus", metavar="DIR", help="folder of .txt/.md documents (default: the bundled guide)")
    ap.add_argument("--region", choices=REGIONS, default=None, help="emergency numbers (default US)")
    ap.add_argument("--plain", action="store_true",
                    help="line-by-line text mode for screen readers, simple terminals and pipes")
    web = ap.add_argument_group("web mode (one app per browser tab, through textual-serve)")
    web.add_argument("--serve", metavar="[HOST:]PORT", nargs="?", const="127.0.0.1:8000",
                     help="serve the app to browsers (default 127.0.0.1:8000; loopback unless a host is given)")
    web.add_argument("--public-url", metavar="URL",
                     help="the address browsers use, e.g. https://verbatim.clinic.example behind a reverse "
                          "proxy (needed when HOST is not loopback)")
    web.add_argument("--max-sessions", type=int, default=None, metavar="N",
                     help="at most N browser sessions at once; more visitors see a busy page (default 8)")
    web.add_argument("--idle-timeout", type=float, default=None, metavar="MINUTES",
                     help="end a session after this many minutes without a key or click (default 15)")
    args = ap.parse_args(argv)
    if args.serve is not None:
        from .web import IDLE_TIMEOUT, MAX_SESSIONS, serve

        idle = IDLE_TIMEOUT if args.idle_timeout is None else args.idle_timeout * 60
        return serve(args.serve, args.corpus, args.region, args.public_url,
                     MAX_SESSIONS if args.max_sessions is None else args.max_sessions, idle)
    if args.public_url or args.max_sessions is not None or args.idle_timeout is not None:
        ap.error("--public-url, --max-sessions and --idle-timeout only apply with --serve")

    from bot.corpus import CorpusError
    from bot.messages import Config, Messages

    config = Config.from_env(args.region)
    # Under textual-serve stdin/stdout are pipes, but the web driver draws the full app.
    web_driver = "web_driver" in os.environ.get("TEXTUAL_DRIVER", "")
    if args.plain or (not web_driver and (not sys.stdout.isatty() or not sys.stdin.isatty())):
        from bot.chatbot import load

        try:
            bot = load(args.corpus, config)
        except CorpusError as exc:
            sys.stderr.write(f"verbatim: error: {exc}\n")
            return 2
        from .plain import run

        for stream in (sys.stdin, sys.stdout):
            try:
                stream.reconfigure(errors="replace")  # type: ignore[attr-defined]
            except (AttributeError, ValueError):
                pass
        try:
            return run(bot)
        except BrokenPipeError:
            sys.stderr.close()  # the reader went away (| head): nothing left to say
            return 0
        except KeyboardInterrupt:
            return 130
    from .app import VerbatimApp

    def loader():
        from bot.chatbot import load

        return load(args.corpus, config)

    app = VerbatimApp(loader=loader, messages=Messages(config))
    app.run()
    return 0 if app.bot is not None else 2


if __name__ == "__main__":
    sys.exit(main())
