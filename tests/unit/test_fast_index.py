"""The postings index ranks exactly as the rank_bm25 reference does."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

import bot
from bot.index import FastIndex, Index
from bot.retriever import Retriever

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from library import generate, questions  # noqa: E402

QUERIES = ["What is Herceptin used for?", "hormone therapy options", "tamoxifin",
           "brain metastases radiation", "palliative care at home", "chemo side effects",
           "HER2-negative", "clinical trial immunotherapy", "stop treatment for a while"]


def both(b):
    titles = {d.doc_id: d.title for d in b.documents.values()}
    return (Index(b.passages, b.analyzer, titles=titles),
            FastIndex.build(b.passages, b.analyzer, titles=titles))


def compare(b, queries):
    ref, fast = both(b)
    for q in queries:
        exp = b.expand(q)
        for term in {t for c in exp.concepts for t in c.terms}:
            assert np.allclose(ref.scores(term), fast.scores(term)), term
            assert (ref.presence(term) == fast.presence(term)).all(), term
        a = [(h.passage.id, round(h.score, 9)) for h in Retriever(ref).rank(exp, limit=20)]
        f = [(h.passage.id, round(h.score, 9)) for h in Retriever(fast).rank(exp, limit=20)]
        assert a == f, q


def test_same_ids_and_order_on_the_guide(guide_bot):
    compare(guide_bot, QUERIES)


@pytest.fixture(scope="module")
def library(tmp_path_factory):
    folder = tmp_path_factory.mktemp("lib")
    generate(folder, passages=1500, seed=7)
    return bot.load(folder)


def test_same_ids_and_order_on_a_synthetic_library(library):
    compare(library, QUERIES + questions(40, seed=3))


def test_bigrams_agree(library):
    ref, fast = both(library)
    for a, b in [("hormon", "therapi"), ("side", "effect"), ("brain", "metastas")]:
        assert (ref.bigram_presence(a, b) == fast.bigram_presence(a, b)).all()
