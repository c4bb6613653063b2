"""Red flags and advice-seeking, checked on the raw question before retrieval.

Matching runs on the normalised text before any stopword removal, so "can't breathe" and
"no" survive, and again on that text corrected towards the red-flag vocabulary
(flagspell.py), so "cant breth" and "feaver" are caught too. The rules live in
data/red_flags.txt for clinical review; its header states what earns a flag.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from . import datafiles
from .flagspell import correct
from .sanitize import normalise

PRECEDENCE = ("emergency", "crisis", "urgent", "advice")
_DEFINE = re.compile(r"\{([A-Z]+)\}")


@dataclass(frozen=True)
class Flag:
    """The highest-precedence rule a question matched."""

    kind: str  # emergency | crisis | urgent | advice
    pattern: str


@cache
def rules() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """(kind, compiled rule) in file order, with every {NAME} replaced by its definition."""
    defines: dict[str, str] = {}
    out = []
    for kind, pattern in datafiles.table("red_flags.txt"):
        if kind == "define":
            name, _, body = pattern.partition("|")
            defines[name.strip()] = body.strip()
            continue
        if kind not in PRECEDENCE:
            raise ValueError(f"red_flags.txt: unknown kind {kind!r}; valid: define, {', '.join(PRECEDENCE)}")

        def expand(m: re.Match[str]) -> str:
            if m.group(1) not in defines:
                raise ValueError(f"red_flags.txt: {{{m.group(1)}}} is used before it is defined")
            return defines[m.group(1)]

        out.append((kind, re.compile(_DEFINE.sub(expand, pattern))))
    return tuple(out)


def flag_text(question: str) -> str:
    """The form red flags are matched on: normalised, hyphens as spaces, one space."""
    text = normalise(question)
    text = re.sub(r"[-_/]+", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def flag_forms(question: str) -> tuple[str, ...]:
    """The texts every rule is tried on: as typed, and spelled towards the red-flag words."""
    text = flag_text(question)
    fixed = correct(text)
    return (text,) if fixed == text else (text, fixed)


def check(question: str) -> Flag | None:
    """The most urgent rule that matches, or None."""
    forms = flag_forms(question)
    found: dict[str, str] = {}
    for kind, rx in rules():
        if kind not in found and any(rx.search(t) for t in forms):
            found[kind] = rx.pattern
    for kind in PRECEDENCE:
        if kind in found:
            return Flag(kind, found[kind])
    return None
