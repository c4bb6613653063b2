"""Read the reviewed data files in bot/data: one place for how they are found and parsed.

Text files are line-based: blank lines and lines starting with "#" (their headers, saying who
edits them) are skipped; every other line is returned stripped.
"""

from __future__ import annotations

import json
from importlib import resources


def lines(name: str) -> list[str]:
    """The content lines of a text data file."""
    text = resources.files("bot.data").joinpath(name).read_text(encoding="utf-8")
    return [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]


def table(name: str) -> list[tuple[str, str]]:
    """`key | value` lines, split once at the first bar."""
    out = []
    for line in lines(name):
        key, _, value = line.partition("|")
        out.append((key.strip(), value.strip()))
    return out


def json_entries(name: str) -> dict:
    """A JSON data file without its "_about" (and other underscore) keys."""
    data = json.loads(resources.files("bot.data").joinpath(name).read_text(encoding="utf-8"))
    return {k: v for k, v in data.items() if not k.startswith("_")}
