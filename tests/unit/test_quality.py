"""Our own patient questions: a ranking or declining regression fails CI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.evaluate import evaluate

QUESTIONS = Path(__file__).resolve().parent.parent / "data" / "questions.jsonl"


@pytest.fixture(scope="module")
def report(guide_bot):
    rows = [json.loads(line) for line in QUESTIONS.read_text(encoding="utf-8").splitlines() if line.strip()]
    return evaluate(guide_bot, rows, k=3)


def test_question_set_is_large_and_mixed(report):
    kinds = report["by_kind"]
    assert report["questions"] >= 80
    for kind in ("single", "misspelled", "consumer", "out_of_scope", "advice", "emergency", "followup"):
        assert kinds[kind][1] >= 5, kind


def test_right_passage_first(report):
    assert report["hit@1"] >= 0.85


def test_right_passage_in_top_three(report):
    assert report["hit@3"] >= 0.95


def test_misspelled_questions(report):
    good, total = report["by_kind"]["misspelled"]
    assert good / total >= 0.9


def test_in_scope_questions_are_rarely_declined(report):
    assert report["in_scope_declined"] <= 0.05


def test_out_of_scope_questions_are_declined(report):
    assert report["out_of_scope_declined"] >= 0.9


def test_every_emergency_is_flagged(report):
    good, total = report["by_kind"]["emergency"]
    assert good == total


def test_advice_is_flagged(report):
    good, total = report["by_kind"]["advice"]
    assert good / total >= 0.9


def test_follow_ups(report):
    good, total = report["by_kind"]["followup"]
    assert good / total >= 0.9
