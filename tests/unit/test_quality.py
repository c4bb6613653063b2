"""Question sets: a ranking or declining regression fails CI.

DEV (tests/data/questions.jsonl, dev_questions_extra.jsonl) is what the decision was tuned on;
TEST (tests/data/test_questions.jsonl) was frozen before tuning and is only reported on. The
floors here sit a little under the measured figures so a regression shows; they are not
targets to tune to.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.evaluate import evaluate

DATA = Path(__file__).resolve().parent.parent / "data"
QUESTIONS = DATA / "questions.jsonl"
TEST = DATA / "test_questions.jsonl"


def rows_of(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="module")
def report(guide_bot):
    return evaluate(guide_bot, rows_of(QUESTIONS), k=3)


@pytest.fixture(scope="module")
def test_report(guide_bot):
    return evaluate(guide_bot, rows_of(TEST), k=3)


def share(rep: dict, kind: str) -> float:
    good, total = rep["by_kind"][kind]
    return good / total


def test_test_split_is_frozen_with_provenance():
    rows = rows_of(TEST)
    assert len(rows) >= 200
    assert all(r["split"] == "test" and r["source"] for r in rows)


def test_real_consumer_questions_the_guide_answers(test_report):
    assert share(test_report, "real_answerable") >= 0.9


def test_real_consumer_questions_it_does_not_answer_are_handled_safely(test_report):
    assert share(test_report, "real_unanswerable") >= 0.95


def test_held_out_stories_and_follow_ups(test_report):
    assert share(test_report, "story") >= 0.7
    assert share(test_report, "followup") >= 0.9


def test_held_out_out_of_scope_is_declined(test_report):
    assert test_report["out_of_scope_declined"] >= 0.8


def test_question_set_is_large_and_mixed(report):
    kinds = report["by_kind"]
    assert report["questions"] >= 80
    for kind in ("single", "misspelled", "consumer", "out_of_scope", "advice", "emergency", "followup"):
        assert kinds[kind][1] >= 5, kind


def test_right_passage_first(report):
    assert report["hit@1"] >= 0.85


def test_right_passage_in_top_three(report):
    assert report["hit@3"] >= 0.92


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


def test_a_table_row_or_a_bare_list_shows_its_caption_but_a_paragraph_not_its_heading(guide_bot):
    """A table row is printed under its table's caption, a list with no sentence of its own
    under the heading that introduces it: a gold caption is shown by the reply."""
    from bot.evaluate import shown

    rows = [p for p in guide_bot.passages if p.kind == "table_row"]
    lists = [p for p in guide_bot.passages if p.kind == "list"]
    paragraphs = [p for p in guide_bot.passages if p.kind == "paragraph"]
    assert all(shown(p).startswith("Table ") for p in rows)
    assert [shown(p).split("\n")[0] for p in lists] == [lists[0].text.split("\n")[0],
                                                         "Common chemotherapy options"]
    assert all(shown(p) == p.text for p in paragraphs)
