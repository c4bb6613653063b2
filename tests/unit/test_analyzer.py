"""Text analysis: receptor signs keep their meaning; negations survive; no nltk data needed."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from bot.analyzer import Analyzer


@pytest.fixture(scope="module")
def an():
    return Analyzer()


@pytest.mark.parametrize("text", ["HER2+", "HER2-positive", "HER2 positive", "her2 pos", "HER-2 positive"])
def test_her2_positive_spellings_are_one_term(an, text):
    assert an.terms(text) == ["her2pos"]


@pytest.mark.parametrize("text", ["HER2-", "HER2-negative", "HER2 negative"])
def test_her2_negative_is_not_positive(an, text):
    assert an.terms(text) == ["her2neg"]


def test_er_pr_signs_and_triple_negative(an):
    assert an.terms("ER+/PR+, HER2-") == ["erpos", "prpos", "her2neg"]
    assert an.terms("ER-positive or PR-positive") == ["erpos", "prpos"]
    assert an.terms("triple negative") == an.terms("triple-negative") == ["triplenegative"]


def test_negations_are_kept(an):
    assert "not" in an.terms("the cancer is not growing")
    assert "not" in an.terms("symptoms that don’t respond")


def test_hyphenated_words_give_joined_form_and_parts(an):
    assert an.terms("5-FU")[0] == "5fu"
    assert {"tdm1", "dm1"} <= set(an.terms("T-DM1"))


def test_unknown_stemmer_is_rejected_with_choices():
    with pytest.raises(ValueError, match="snowball, porter"):
        Analyzer(stemmer="lancaster")


def test_runs_with_no_nltk_data_at_all(tmp_path):
    env = dict(os.environ, NLTK_DATA=str(tmp_path), HOME=str(tmp_path))
    out = subprocess.run(
        [sys.executable, "-m", "bot", "ask", "--json", "What is Herceptin used for?"],
        capture_output=True, text=True, env=env, timeout=120,
    )
    assert out.returncode == 0, out.stderr
    assert "trastuzumab (Herceptin)" in out.stdout
