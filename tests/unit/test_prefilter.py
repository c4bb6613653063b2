"""Red-flag rules compiled only when a message could match: the same flags, always."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot import prefilter, safety

DATA = Path(__file__).resolve().parent.parent / "data"


def test_every_rule_compiles():
    for _kind, pattern in safety.expanded():
        re.compile(pattern)


def test_the_shipped_needs_belong_to_the_rules_as_they_are():
    patterns = [p for _, p in safety.expanded()]
    needs = prefilter.shipped_needs(patterns)
    assert any(n is not None for n in needs), "run: python scripts/build_flag_needs.py"
    assert needs == [prefilter.required(p) for p in patterns], "run: python scripts/build_flag_needs.py"


@pytest.mark.parametrize("pattern, matching, needs", [
    (r"\bchest pain\b", "my chest pain", ("chest pain",)),
    (r"\b(?:can't|cannot) breathe?\b", "i cannot breath", (" breath",)),
    (r"\bsuicid\w*|\bkill (?:my ?self|me)\b", "feeling suicidal", ("kill m", "suicid")),
    (r"(?:very )?(?:hot|warm) and shivery", "hot and shivery", (" and shivery",)),
    (r"[a-z]+ing", "bleeding", ("ing",)),
])
def test_a_rule_needs_what_every_match_holds(pattern, matching, needs):
    assert prefilter.required(pattern) == needs
    assert re.search(pattern, matching) and any(n in matching for n in needs)


@pytest.mark.parametrize("pattern, needs", [
    (r"\b(?:pain|)\b", None),           # a branch that needs nothing: the rule is always tried
    (r"(?:blood)?\bfits?\b", ("fit",)),  # an optional part is no need
    (r"(?=.*fever)", None),              # a lookahead is not a need
    (r"[a-z]{3}", None),                 # nor a class
])
def test_needs_are_only_what_is_proved(pattern, needs):
    assert prefilter.required(pattern) == needs


def _batteries() -> list[str]:
    rows = []
    for path in sorted(DATA.glob("safety_*.tsv")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("#"):
                rows.append(line.split("\t")[-1])
    return rows


def test_every_safety_battery_gets_the_same_flags_with_every_rule_compiled(monkeypatch):
    rows = _batteries()
    lazy = [safety.check(text) for text in rows]
    eager = tuple((kind, prefilter.LazyRule(rule.pattern, None)) for kind, rule in safety.rules())
    monkeypatch.setattr(safety, "rules", lambda: eager)
    assert [safety.check(text) for text in rows] == lazy
    assert len(rows) > 2000


def test_warming_compiles_every_rule_and_changes_no_flag():
    before = [safety.check(t) for t in ("cant breath", "what is herceptin used for", "i want to end my life")]
    safety.warm()
    assert all(rule._compiled is not None for _, rule in safety.rules())
    assert [safety.check(t) for t in ("cant breath", "what is herceptin used for", "i want to end my life")] == before
