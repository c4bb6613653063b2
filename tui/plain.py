"""`verbatim --plain`: one line in, plain text out, for screen readers and simple terminals.

Same engine and safety as the app; no full-screen drawing, no colour, no markup.
"""

from __future__ import annotations

import sys
from typing import TextIO

from bot.chatbot import Bot
from bot.conversation import Conversation
from bot.models import citation
from bot.sanitize import clean


def _say(out: TextIO, text: str = "") -> None:
    out.write(clean(text) + "\n")
    out.flush()


def run(bot: Bot, stdin: TextIO = sys.stdin, out: TextIO = sys.stdout) -> int:
    """Read questions line by line until end of input; answer each."""
    conv = Conversation(bot, k=3)
    interactive = stdin.isatty()
    _say(out, "Guide: " + bot.greeting())
    _say(out, "Guide: " + bot.messages.get("disclaimer"))
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
        for i, p in enumerate(d["passages"], 1):
            _say(out, f"Quote {i} of {len(d['passages'])}, from {p['section']}:")
            for text_line in p["text"].strip("\n").split("\n"):
                _say(out, "  " + text_line.strip())
            _say(out, f"Source: {citation(p)}")
            if p["notice"]:
                _say(out, "Note: " + p["notice"])
        if d["related"]:
            _say(out, "Guide: " + bot.messages.get("related_note"))
            for p in d["related"]:
                _say(out, f"  {p['section']} ({citation(p)})")
        _say(out)
