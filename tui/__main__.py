"""`verbatim` / `python -m tui`: open the chat on the bundled guide (or --corpus DIR)."""

from __future__ import annotations

import argparse
import sys


def main(argv: list[str] | None = None) -> int:
    from bot.messages import REGIONS

    ap = argparse.ArgumentParser(prog="verbatim", description="Chat with the guide: every answer "
                                 "is a quote from it, with where it comes from.")
    ap.add_argument("--corpus", metavar="DIR", help="folder of .txt/.md documents (default: the bundled guide)")
    ap.add_argument("--region", choices=REGIONS, default=None, help="emergency numbers (default US)")
    ap.add_argument("--plain", action="store_true",
                    help="line-by-line text mode for screen readers, simple terminals and pipes")
    args = ap.parse_args(argv)

    from bot.corpus import CorpusError
    from bot.messages import Config, Messages

    config = Config.from_env(args.region)
    if args.plain or not sys.stdout.isatty() or not sys.stdin.isatty():
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
