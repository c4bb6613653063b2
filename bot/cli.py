"""Command line: ask, chat, search, show, passages, check, eval.

A thin argparse layer over the facade. Text from documents and users is printed as plain
text (never markup), already stripped of control sequences at load and input.
"""

from __future__ import annotations

import argparse
import gc
import json
import sys
from collections.abc import Iterable

from .corpus import CorpusError, safe_name
from .messages import REGIONS, Config
from .models import Reply
from .models import citation as cite


def _bot(args: argparse.Namespace):
    """Load the bot with the garbage collector paused: start-up makes only objects that live
    as long as the process (modules, passages, the index), so a collection finds nothing to
    free and costs about a tenth of a cold start. They are then frozen out of its reach."""
    gc.disable()
    try:
        from .chatbot import load

        return load(args.corpus, Config.from_env(args.region))
    finally:
        gc.freeze()
        gc.enable()


def _out(line: str = "") -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def print_reply(reply: Reply) -> None:
    d = reply.to_dict()
    if d["message"]:
        _out(d["message"])
    for n in reply.general_notices():
        _out(n)
    for i, p in enumerate(d["passages"], 1):
        _out()
        _out(f"[{i}] {p['section'] or '(no section)'}")
        for line in p["text"].strip("\n").split("\n"):
            _out(f"    {line.strip()}")
        _out(f"    -- {cite(p)}")
        if p["notice"]:
            _out(f"    !! {p['notice']}")
    if d["related"]:
        _out()
        from .messages import Messages

        _out(Messages().get("related_note"))
        for p in d["related"]:
            a, b = p["best_sentence"] or (0, len(p["text"]))
            sentence = " ".join(p["text"][a:b].split())
            _out(f"  - \u201c{sentence}\u201d  ({p['id']}; {cite(p)})")
    _out()


def cmd_ask(args: argparse.Namespace) -> int:
    bot = _bot(args)
    questions: Iterable[str] = sys.stdin if args.question == ["-"] else [" ".join(args.question)]
    for q in questions:
        q = q.rstrip("\n")
        reply = bot.ask(q, k=args.k)
        if args.json:
            _out(json.dumps(reply.to_dict(), ensure_ascii=False))
        else:
            print_reply(reply)
    return 0


def cmd_chat(args: argparse.Namespace) -> int:
    from .conversation import Conversation

    bot = _bot(args)
    conv = Conversation(bot, k=args.k)
    if not args.json and sys.stdin.isatty():
        _out(bot.greeting())
    for line in sys.stdin:
        reply = conv.ask(line.rstrip("\n"))
        if args.json:
            _out(json.dumps(reply.to_dict(), ensure_ascii=False))
        else:
            _out(f"You: {line.strip()}")
            print_reply(reply)
    return 0


def cmd_search(args: argparse.Namespace) -> int:
    bot = _bot(args)
    hits = bot.search(" ".join(args.query), k=args.k, doc=args.doc)
    rows = [bot.hit_dict(h) for h in hits]
    if args.json:
        _out(json.dumps(rows, ensure_ascii=False))
        return 0
    if not rows:
        _out("no passage shares a word with that query")
    for r, h in zip(rows, hits, strict=True):
        snippet = " ".join(r["text"].split())
        _out(f"{r['score']:8.3f}  {r['id']:<28} {h.passage.staff_label()}")
        _out(f"          {snippet[:110]}")
        _out(f"          matched: {', '.join(h.matched)}")
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    bot = _bot(args)
    p = bot.passage(args.id)
    if p is None:
        sys.stderr.write(f"verbatim: no passage with id {args.id!r} (see `passages`)\n")
        return 2
    for q in bot.neighbours(p.id, args.context):
        mark = ">>" if q.id == p.id else "  "
        doc = bot.documents[q.doc_id]
        _out(f"{mark} {q.id}  {q.staff_label()}  ({doc.name}, lines {q.line_start}-{q.line_end})")
        for line in q.text.strip("\n").split("\n"):
            _out(f"{mark}     {line.strip()}")
        for column, text in q.cells:
            _out(f"{mark}       {column}: {text}")
        if q.id in bot.outdated:
            _out(f"{mark}     !! {bot.messages.get('outdated')}")
        _out()
    return 0


def cmd_passages(args: argparse.Namespace) -> int:
    bot = _bot(args)
    for p in bot.passages:
        if args.json:
            _out(json.dumps({"id": p.id, "doc": bot.documents[p.doc_id].name,
                             "section": p.section_label, "kind": p.kind,
                             "line_start": p.line_start, "line_end": p.line_end,
                             "char_start": p.char_start, "char_end": p.char_end,
                             "added_headings": [p.section[i] for i in p.added_headings],
                             "cells": [{"column": c, "text": t} for c, t in p.cells],
                             "text": p.text}, ensure_ascii=False))
        else:
            first = " ".join(p.text.split())[:70]
            _out(f"{p.id:<28} {p.line_start:>5}-{p.line_end:<5} {p.kind:<9} {p.staff_label()}")
            if p.cells:
                for column, text in p.cells:
                    _out(f"{'':28} {column}: {text[:70]}")
            else:
                _out(f"{'':28} {first}")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from .formats import LABELS

    bot = _bot(args)
    counts: dict[str, int] = {}
    unsplit: dict[str, int] = {}
    for p in bot.passages:
        counts[p.doc_id] = counts.get(p.doc_id, 0) + 1
        if p.kind == "table_row" and not p.cells:
            unsplit[p.doc_id] = unsplit.get(p.doc_id, 0) + 1
    for d in bot.documents.values():
        _out(f"ok       {d.name} ({LABELS.get(d.format, d.format)}): {counts.get(d.doc_id, 0)} passages, "
             f"content date {d.content_date}")
        for before, heading in d.added_headings:
            at = next((p for p in bot.passages if p.doc_id == d.doc_id
                       and " ".join(p.text.split()).casefold().startswith(" ".join(before.split()).casefold())),
                      None)
            where = f"before line {at.line_start}" if at else f"NOT FOUND: no paragraph opens {before!r}"
            _out(f"         heading added by staff: {heading!r}, {where}")
        for title, columns in d.table_columns:
            _out(f"         columns from the manifest for {title!r}: {' | '.join(columns)}")
        if unsplit.get(d.doc_id):
            why = ("columns not found (declare them under table_columns in manifest.json)"
                   if d.format == "text" else "the table has no header row to label its cells")
            _out(f"warning  {d.name}: {unsplit[d.doc_id]} table row(s) shown whole: {why}")
    for s in bot.skipped:
        _out(f"skipped  {s.path}: {s.reason}")
    for w in bot.warnings:
        _out(f"warning  {w}")
    if bot.outdated:
        _out(f"outdated {len(bot.outdated)} passage(s) marked")
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    from .evaluate import curve, decision_points, evaluate, format_report

    bot = _bot(args)
    rows = []
    with open(args.file, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if line.strip():
                try:
                    rows.append(json.loads(line))
                except ValueError:
                    sys.stderr.write(f"verbatim: {args.file}: line {n} is not JSON\n")
                    return 2
    report = evaluate(bot, rows, k=args.k)
    _out(format_report(report, misses=args.misses))
    if args.curve:
        _out("risk-coverage (single questions; the chosen threshold is in bot/data/decision_model.json)")
        _out(curve(decision_points(bot, rows, k=args.k)))
    return 0


def positive(value: str) -> int:
    """A whole number from 1 to 100."""
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {value!r}") from None
    if not 1 <= n <= 100:
        raise argparse.ArgumentTypeError(f"must be from 1 to 100, not {n}")
    return n


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(
        prog="python -m bot",
        description="Verbatim: answers questions only by quoting the guide, word for word.",
    )
    sub = ap.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def common(p: argparse.ArgumentParser, k: int = 3, json_flag: bool = True) -> None:
        p.add_argument("--corpus", metavar="DIR", help="folder of .txt/.md/.html documents "
                       "(default: the bundled guide)")
        p.add_argument("--region", choices=REGIONS, default=None,
                       help="emergency numbers to show (default: US, or $VERBATIM_REGION)")
        p.add_argument("-k", type=positive, default=k, help=f"passages to show (default {k})")
        if json_flag:
            p.add_argument("--json", action="store_true", help="print JSON instead of text")

    p = sub.add_parser("ask", help="answer one question (or one per stdin line with '-')",
                       description="Answer a question with quotes from the guide.")
    common(p)
    p.add_argument("question", nargs="+", help="the question, or - to read one per line")
    p.set_defaults(func=cmd_ask)

    p = sub.add_parser("chat", help="a conversation: each stdin line is the next turn",
                       description="Read stdin lines as turns of one conversation.")
    common(p)
    p.set_defaults(func=cmd_chat)

    p = sub.add_parser("search", help="staff look-up: ranked passages with ids and scores",
                       description="Rank every passage that shares a word with the query.")
    common(p, k=10)
    p.add_argument("--doc", help="only passages of this document (file name or id)")
    p.add_argument("query", nargs="+", help="words to look up")
    p.set_defaults(func=cmd_search)

    p = sub.add_parser("show", help="one passage with its neighbours",
                       description="Show a passage by id, with neighbouring passages.")
    common(p, json_flag=False)
    p.add_argument("--context", type=int, default=1, help="neighbours either side (default 1)")
    p.add_argument("id", help="passage id, as printed by search or passages")
    p.set_defaults(func=cmd_show)

    p = sub.add_parser("passages", help="every passage with id, section and lines",
                       description="List every passage, to audit how documents were split.")
    common(p)
    p.set_defaults(func=cmd_passages)

    p = sub.add_parser("check", help="list documents, passage counts and skipped files",
                       description="Check a corpus folder: documents used and files skipped.")
    common(p, json_flag=False)
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("eval", help="score a JSONL question file (hit@1, hit@3, MRR, declines)",
                       description="Score questions {'question', 'gold': [substrings]}.")
    common(p, json_flag=False)
    p.add_argument("--misses", action="store_true", help="list the questions that missed")
    p.add_argument("--curve", action="store_true",
                   help="also print the risk-coverage trade-off at each decision threshold")
    p.add_argument("file", help="JSONL file of questions")
    p.set_defaults(func=cmd_eval)
    return ap


def main(argv: list[str] | None = None) -> int:
    for stream in (sys.stdin, sys.stdout, sys.stderr):
        try:
            stream.reconfigure(errors="replace")  # type: ignore[attr-defined]
        except (AttributeError, ValueError):
            pass
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except CorpusError as exc:
        sys.stderr.write(f"verbatim: error: {exc}\n")
        return 2
    except ValueError as exc:
        sys.stderr.write(f"verbatim: error: {safe_name(str(exc))}\n")
        return 2
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:
        return 130
    except OSError as exc:
        sys.stderr.write(f"verbatim: error: {safe_name(str(exc))}\n")
        return 1
