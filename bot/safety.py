"""Red flags and advice-seeking, checked on the raw question before retrieval.

Matching runs on the normalised text before any stopword removal, so "can't breathe" and
"no" survive. The rules live in data/red_flags.txt for clinical review.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from . import datafiles
from .sanitize import normalise

PRECEDENCE = ("emergency", "crisis", "urgent", "advice")


@dataclass(frozen=True)
class Flag:
    """The highest-precedence rule a question matched."""

    kind: str  # emergency | crisis | urgent | advice
    pattern: str


@cache
def rules() -> tuple[tuple[str, re.Pattern[str]], ...]:
    out = []
    for kind, pattern in datafiles.table("red_flags.txt"):
        if kind not in PRECEDENCE:
            raise ValueError(f"red_flags.txt: unknown kind {kind!r}")
        out.append((kind, re.compile(pattern)))
    return tuple(out)


def flag_text(question: str) -> str:
    """The form red flags are matched on: normalised, hyphens as spaces, one space."""
    text = normalise(question)
    text = re.sub(r"[-_/]+", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def check(question: str) -> Flag | None:
    """The most urgent rule that matches, or None."""
    text = flag_text(question)
    found: dict[str, str] = {}
    for kind, rx in rules():
        if kind not in found and rx.search(text):
            found[kind] = rx.pattern
    for kind in PRECEDENCE:
        if kind in found:
            return Flag(kind, found[kind])
    return None
