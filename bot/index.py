"""BM25 over analysed passages, with rank_bm25 as the scoring model.

IDF choice: rank_bm25's Okapi IDF, log((N - df + 0.5) / (df + 0.5)), is zero for a term in half
the passages and negative (floored to epsilon * mean IDF) above that (rank_bm25 #39, #43). In
this guide "cancer", "treatment" and "breast" are in most passages, so Okapi would rank a
passage *down* for containing them. We subclass BM25Okapi with Lucene's non-negative IDF,
log(1 + (N - df + 0.5) / (df + 0.5)): frequent terms count a little, rare terms a lot, never
below zero. The term-frequency part is rank_bm25's own code (`get_scores`).
"""

from __future__ import annotations

import math

import numpy as np
from rank_bm25 import BM25Okapi

from .analyzer import Analyzer
from .models import Passage
from .passages import BULLET

K1 = 1.2
B = 0.75
LEAD_TERMS = 6
SECTION_LEAD_BOOST = 1.15


class LuceneIdfBM25(BM25Okapi):
    """rank_bm25's Okapi BM25 with Lucene's always-positive IDF."""

    def _calc_idf(self, nd: dict[str, int]) -> None:
        n = self.corpus_size
        self.idf = {w: math.log(1.0 + (n - df + 0.5) / (df + 0.5)) for w, df in nd.items()}
        self.average_idf = sum(self.idf.values()) / len(self.idf) if self.idf else 0.0


class Index:
    """Passages' terms (text + section path + a repeated lead) and their BM25 scores."""

    def __init__(self, passages: list[Passage], analyzer: Analyzer, k1: float = K1, b: float = B,
                 titles: dict[str, str] | None = None):
        self.passages = passages
        self.titles = titles or {}
        self.analyzer = analyzer
        self.doc_terms: list[list[str]] = [self._terms(p) for p in passages]
        self.term_sets: list[frozenset[str]] = [frozenset(t) for t in self.doc_terms]
        self.df: dict[str, int] = {}
        for s in self.term_sets:
            for t in s:
                self.df[t] = self.df.get(t, 0) + 1
        self.size = len(passages)
        usable = self.size > 0 and any(self.doc_terms)
        # rank_bm25 divides by the corpus size and total length: guard the empty corpus (#36).
        self.bm25 = LuceneIdfBM25(self.doc_terms, k1=k1, b=b) if usable else None
        self._cache: dict[str, np.ndarray] = {}
        self._presence: dict[str, np.ndarray] = {}
        self.bigrams: list[frozenset[tuple[str, str]]] = [
            frozenset(zip(t, t[1:], strict=False))
            for t in (self.analyzer.terms(p.text) for p in passages)
        ]
        self.is_list = np.array([p.kind == "list" for p in passages], dtype=bool)
        # The first passage under a heading usually introduces its topic.
        self.prior = np.ones(self.size)
        for i, p in enumerate(passages):
            if i == 0 or passages[i - 1].section != p.section or passages[i - 1].doc_id != p.doc_id:
                if p.kind != "table_row":
                    self.prior[i] = SECTION_LEAD_BOOST
        self.max_idf = self.idf_of_df(1)

    def _terms(self, p: Passage) -> list[str]:
        """Body, the document title (background: it is what every passage is about), every
        heading of the section path, the nearest heading once more, and the lead once more."""
        body = self.analyzer.terms(p.text)
        title = self.analyzer.terms(self.titles.get(p.doc_id, ""))
        section = [t for h in p.section for t in self.analyzer.terms(h)]
        nearest = p.section[-2] if p.kind == "table_row" and len(p.section) > 1 else (
            p.section[-1] if p.section else "")
        heading = self.analyzer.terms(nearest)
        if p.kind == "list" and BULLET.match(p.text):
            heading = heading * 3  # a list with no sentence of its own is introduced by its heading
        return body + title + section + heading + body[:LEAD_TERMS]

    def idf_of_df(self, df: int) -> float:
        n = max(self.size, 1)
        return math.log(1.0 + (n - df + 0.5) / (df + 0.5))

    def idf(self, term: str) -> float:
        """Lucene IDF of a term; 0 for a term in no passage."""
        df = self.df.get(term, 0)
        return self.idf_of_df(df) if df else 0.0

    def presence(self, term: str) -> np.ndarray:
        """Which passages contain a term (text or section path), as a boolean array."""
        got = self._presence.get(term)
        if got is None:
            got = np.fromiter((term in s for s in self.term_sets), dtype=bool, count=self.size)
            self._presence[term] = got
        return got

    def bigram_presence(self, a: str, b: str) -> np.ndarray:
        """Passages where term b directly follows term a (stopwords aside)."""
        return np.fromiter(((a, b) in s for s in self.bigrams), dtype=float, count=self.size)

    def scores(self, term: str) -> np.ndarray:
        """rank_bm25's score of every passage for one term (cached)."""
        got = self._cache.get(term)
        if got is None:
            if self.bm25 is None or term not in self.df:
                got = np.zeros(self.size)
            else:
                got = np.asarray(self.bm25.get_scores([term]), dtype=float)
            self._cache[term] = got
        return got
