"""Red-flag rules compiled only when a message could match them, so start-up stays quick.

Compiling the hundred-odd rules of red_flags.txt costs about 90 ms, a quarter of a cold
`python -m bot ask`. Most messages can match only a few of them: a rule whose every match
contains one of a few literal strings ("pain", "bleed", "suicid") cannot match a text holding
none of them. `required()` finds such strings from the rule's own syntax tree (the classic
required-substring analysis of code search engines): a literal needs itself; a sequence needs
what its most selective part needs; an alternation needs what any branch needs (the union);
a repeat needs its body only when it repeats at least once; lookarounds, character classes and
anything else need nothing. It is sound by construction: when it cannot prove a need it
returns None and the rule is always tried.

Parsing costs what compiling costs, so the needs ship with the rules as
data/red_flags_needs.json (scripts/build_flag_needs.py), keyed by a digest of the expanded
rules; when the digest differs (someone edited red_flags.txt and did not rebuild), every rule
is simply compiled and tried, as before. tests/unit/test_prefilter.py checks both the file and
that every safety battery gets the same flags with and without the needs.
"""

from __future__ import annotations

import hashlib
import json
import re
from importlib import resources

try:  # the regular-expression parser (re._parser since 3.11)
    from re import _constants as _c
    from re import _parser
except ImportError:  # pragma: no cover - a Python without it: no needs, every rule tried
    _parser = None

NEEDS_FILE = "red_flags_needs.json"
MIN_LITERAL = 2  # a need shorter than this filters nothing worth the check


def required(pattern: str) -> tuple[str, ...] | None:
    """Strings one of which every match of `pattern` contains, or None when none can be proved."""
    if _parser is None:
        return None
    try:
        tree = _parser.parse(pattern)
    except Exception:  # noqa: BLE001 - an unparsable pattern fails later, at compile
        return None
    if tree.state.flags & (re.IGNORECASE | re.VERBOSE):
        return None
    needs = _sequence(list(tree))
    return tuple(sorted(needs)) if needs else None


def _sequence(items: list) -> set[str] | None:
    """The most selective need among a sequence's parts (runs of literals joined)."""
    options: list[set[str]] = []
    run = ""
    for op, arg in items:
        if op is _c.LITERAL:
            run += chr(arg)
            continue
        if len(run) >= MIN_LITERAL:
            options.append({run})
        run = ""
        need = _node(op, arg)
        if need:
            options.append(need)
    if len(run) >= MIN_LITERAL:
        options.append({run})
    if not options:
        return None
    return max(options, key=lambda s: (min(len(x) for x in s), -len(s)))


def _node(op, arg) -> set[str] | None:
    if op is _c.SUBPATTERN:
        return _sequence(list(arg[-1]))
    if op is _c.BRANCH:
        union: set[str] = set()
        for branch in arg[1]:
            need = _sequence(list(branch))
            if not need:
                return None  # one branch needs nothing: the alternation needs nothing
            union |= need
        return union
    if op in (_c.MAX_REPEAT, _c.MIN_REPEAT, getattr(_c, "POSSESSIVE_REPEAT", None)):
        low, _high, body = arg
        return _sequence(list(body)) if low >= 1 else None
    if op is getattr(_c, "ATOMIC_GROUP", None):
        return _sequence(list(arg))
    return None  # AT (\b, ^), IN (classes), ANY, lookarounds, group references ...


def digest(patterns: list[str]) -> str:
    return hashlib.sha256("\n".join(patterns).encode("utf-8")).hexdigest()


def shipped_needs(patterns: list[str]) -> list[tuple[str, ...] | None]:
    """The needs shipped for exactly these patterns, or no needs at all (every rule tried)."""
    try:
        data = json.loads(resources.files("bot.data").joinpath(NEEDS_FILE).read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        data = {}
    if data.get("digest") != digest(patterns) or len(data.get("needs", ())) != len(patterns):
        return [None] * len(patterns)
    return [tuple(n) if n else None for n in data["needs"]]


class LazyRule:
    """A rule that is compiled the first time a text holds something it needs."""

    __slots__ = ("pattern", "needs", "_compiled")

    def __init__(self, pattern: str, needs: tuple[str, ...] | None):
        self.pattern = pattern
        self.needs = needs
        self._compiled: re.Pattern[str] | None = None

    def compile(self) -> re.Pattern[str]:
        if self._compiled is None:
            self._compiled = re.compile(self.pattern)
        return self._compiled

    def search(self, text: str) -> re.Match[str] | None:
        if self.needs is not None and not any(n in text for n in self.needs):
            return None
        return self.compile().search(text)
