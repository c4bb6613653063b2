"""`verbatim --plain`: one line in, plain text out, for screen readers and simple terminals.

Same engine and safety as the app; no full-screen drawing, no colour, no markup.
"""

from __future__ import annotations

import sys
from typing import TextIO

from bot.chatbot import Bot
from bot.conversation import Conversation
from bot.models import short_section
from bot.sanitize import clean

from .export import show_dates, source_for_people, text_lines

WIDE = 500  # a screen reader reads the whole section path: never shortened with "…"


def _say(out: TextIO, text: str = "") -> None:
    out.write(clean(text) + "\n")
    out.flush()


def run(bot: Bot, stdin: TextIO = sys.stdin, out: TextIO = sys.stdout) -> int:
    """Read questions line by line until end of input; answer each."""
    conv = Conversation(bot, k=3)
    with_date = show_dates([{"content_date": d.content_date} for d in bot.documents.values()])
    interactive = stdin.isatty()
    _say(out, "Guide: " + bot.greeting())
    _say(out, "Guide: " + bot.messages.get("disclaimer"))
    for doc in bot.documents.values():
        _say(out, f"Source: {doc.title}, content date: {doc.content_date}")
    while True:
        if interactive:
            out.write("You: ")
            out.flush()
        line = stdin.readline()
        if not line:
            return 0
        question = line.rstrip("\n")
        if not interactive:
            _say(out, f"You: {question}")
        reply = conv.ask(question)
        d = reply.to_dict()
        if d["message"]:
            _say(out, "Guide: " + d["message"])
        for n in reply.general_notices():
            _say(out, "Guide: " + n)
        for i, (p, hit) in enumerate(zip(d["passages"], reply.passages, strict=True), 1):
            source = source_for_people(p, with_date, short_section(hit.passage), WIDE, ", ")
            _say(out, f"Quote {i} of {len(d['passages'])}, from {source}:")
            for text_line in text_lines(p):
                _say(out, "  " + text_line)
            if p["notice"]:
                _say(out, "Note: " + p["notice"])
        if d["related"]:
            _say(out, "Guide: " + bot.messages.get("related_note"))
            for p, hit in zip(d["related"], reply.related, strict=True):
                _say(out, "  " + source_for_people(p, with_date, short_section(hit.passage),
                                                   WIDE, ", "))
        _say(out)
