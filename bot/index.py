"""BM25 over analysed passages, with rank_bm25's scoring model.

IDF choice: rank_bm25's Okapi IDF, log((N - df + 0.5) / (df + 0.5)), is zero for a term in half
the passages and negative (floored to epsilon * mean IDF) above that (rank_bm25 #39, #43). In
this guide "cancer", "treatment" and "breast" are in most passages, so Okapi would rank a
passage *down* for containing them. We subclass BM25Okapi with Lucene's non-negative IDF,
log(1 + (N - df + 0.5) / (df + 0.5)): frequent terms count a little, rare terms a lot, never
below zero. The term-frequency part is rank_bm25's own code (`get_scores`).

Two indexes share one interface. `Index` asks rank_bm25 for every score (the reference; used
for small corpora such as the bundled guide). `FastIndex` computes the same formula from
postings (per term: the passages holding it and how often), touching only those passages, for
libraries of many thousand passages; tests check both rank alike.
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
FAST_ABOVE = 5000  # passages: above this, FastIndex
_POS = 1 << 20  # position key: passage * _POS + term position


class LuceneIdfBM25(BM25Okapi):
    """rank_bm25's Okapi BM25 with Lucene's always-positive IDF."""

    def _calc_idf(self, nd: dict[str, int]) -> None:
        n = self.corpus_size
        self.idf = {w: math.log(1.0 + (n - df + 0.5) / (df + 0.5)) for w, df in nd.items()}
        self.average_idf = sum(self.idf.values()) / len(self.idf) if self.idf else 0.0


def passage_terms(p: Passage, analyzer: Analyzer, title: str = "",
                  body: list[str] | None = None) -> list[str]:
    """What a passage is indexed under: its body, the document title (background: what every
    passage is about), every heading of its section path and a table row's column names, the
    nearest heading once more (three times for a list with no sentence of its own), and its
    first terms once more."""
    body = analyzer.terms(p.text) if body is None else body
    section = [t for h in p.section for t in analyzer.terms(h)]
    section += [t for label, _ in p.cells for t in analyzer.terms(label)]  # a row's column names
    nearest = p.section[-1] if p.section else ""
    heading = analyzer.terms(nearest)
    if p.kind == "list" and BULLET.match(p.text):
        heading = heading * 3
    return body + analyzer.terms(title) + section + heading + body[:LEAD_TERMS]


class _Idf:
    """Lucene IDF from `size` and `df`."""

    size: int
    df: dict[str, int]

    def idf_of_df(self, df: int) -> float:
        n = max(self.size, 1)
        return math.log(1.0 + (n - df + 0.5) / (df + 0.5))

    def idf(self, term: str) -> float:
        """Lucene IDF of a term; 0 for a term in no passage."""
        df = self.df.get(term, 0)
        return self.idf_of_df(df) if df else 0.0


class _Base(_Idf):
    """What both indexes share: passages, document frequencies, IDF, priors."""

    def __init__(self, passages: list[Passage], analyzer: Analyzer,
                 titles: dict[str, str] | None = None, k1: float = K1, b: float = B):
        self.passages = passages
        self.analyzer = analyzer
        self.k1, self.b = k1, b
        titles = titles or {}
        self.size = len(passages)
        self.bodies: list[list[str]] = [analyzer.terms(p.text) for p in passages]
        self.doc_terms: list[list[str]] = [
            passage_terms(p, analyzer, titles.get(p.doc_id, ""), body)
            for p, body in zip(passages, self.bodies, strict=True)
        ]
        self.df: dict[str, int] = {}
        for terms in self.doc_terms:
            for t in set(terms):
                self.df[t] = self.df.get(t, 0) + 1
        self.is_list = np.array([p.kind == "list" for p in passages], dtype=bool)
        # The first passage under a heading usually introduces its topic.
        self.prior = np.ones(self.size)
        for i, p in enumerate(passages):
            prev = passages[i - 1] if i else None
            if (prev is None or prev.section != p.section or prev.doc_id != p.doc_id) and \
                    p.kind != "table_row":
                self.prior[i] = SECTION_LEAD_BOOST
        self.max_idf = self.idf_of_df(1)

    def terms_of(self, i: int) -> frozenset[str]:
        return frozenset(self.doc_terms[i])


class Index(_Base):
    """Every score from rank_bm25's `get_scores`: the reference, for small corpora."""

    def __init__(self, passages: list[Passage], analyzer: Analyzer, k1: float = K1, b: float = B,
                 titles: dict[str, str] | None = None):
        super().__init__(passages, analyzer, titles, k1, b)
        usable = self.size > 0 and any(self.doc_terms)
        # rank_bm25 divides by the corpus size and total length: guard the empty corpus (#36).
        self.bm25 = LuceneIdfBM25(self.doc_terms, k1=k1, b=b) if usable else None
        self.term_sets = [frozenset(t) for t in self.doc_terms]
        self.bigrams = [frozenset(zip(t, t[1:], strict=False)) for t in self.bodies]
        self._cache: dict[str, np.ndarray] = {}
        self._presence: dict[str, np.ndarray] = {}

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

    def bigram_docs(self, a: str, b: str) -> np.ndarray:
        return np.nonzero(self.bigram_presence(a, b))[0]

    def postings(self, term: str) -> tuple[np.ndarray, np.ndarray]:
        """(passages holding the term, their BM25 scores), from rank_bm25."""
        docs = np.nonzero(self.presence(term))[0]
        return docs, self.scores(term)[docs]

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


class FastIndex(_Idf):
    """The same BM25 scores from postings: work grows with the passages holding a term.

    Everything lives in a few flat numpy arrays (CSR style), so the index can be saved and
    loaded without pickling: `arrays` + `vocab` is the whole state.
    """

    ARRAYS = ("doc_ptr", "doc_ids", "post_ptr", "post_docs", "post_tf", "pos_ptr", "pos_keys",
              "norm", "prior", "is_list")

    def __init__(self, passages: list[Passage], analyzer: Analyzer, vocab: list[str],
                 arrays: dict[str, np.ndarray], k1: float = K1):
        self.passages = passages
        self.analyzer = analyzer
        self.k1 = k1
        self.vocab = vocab
        self.arrays = arrays
        for name in self.ARRAYS:
            setattr(self, name, arrays[name])
        self.size = len(passages)
        self.term_id = {t: i for i, t in enumerate(vocab)}
        counts = np.diff(self.post_ptr)
        self.df = dict(zip(vocab, counts.tolist(), strict=True))
        self.max_idf = self.idf_of_df(1)
        self._cache: dict[str, np.ndarray] = {}

    @classmethod
    def build(cls, passages: list[Passage], analyzer: Analyzer,
              titles: dict[str, str] | None = None, k1: float = K1, b: float = B) -> FastIndex:
        base = _Base(passages, analyzer, titles, k1, b)
        vocab = sorted(base.df)
        term_id = {t: i for i, t in enumerate(vocab)}
        n = len(passages)
        doc_ids = [np.asarray([term_id[t] for t in terms], dtype=np.int32) for terms in base.doc_terms]
        lengths = np.array([len(d) for d in doc_ids], dtype=float)
        doc_ptr = np.zeros(n + 1, dtype=np.int64)
        doc_ptr[1:] = np.cumsum(lengths)
        flat = np.concatenate(doc_ids) if doc_ids else np.zeros(0, dtype=np.int32)
        owner = np.repeat(np.arange(n, dtype=np.int64), lengths.astype(np.int64))
        # postings: unique (term, passage) pairs with their counts, sorted by term then passage
        pair = flat.astype(np.int64) * max(n, 1) + owner
        uniq, tf = np.unique(pair, return_counts=True)
        post_term, post_docs = uniq // max(n, 1), uniq % max(n, 1)
        post_ptr = np.searchsorted(post_term, np.arange(len(vocab) + 1)).astype(np.int64)
        # positions of body terms, for phrases: key = passage * _POS + position
        keys: list[np.ndarray] = []
        terms_at: list[np.ndarray] = []
        for i, terms in enumerate(base.bodies):
            body = [term_id[t] for t in terms[: _POS - 1]]
            keys.append(i * _POS + np.arange(len(body), dtype=np.int64))
            terms_at.append(np.asarray(body, dtype=np.int64))
        all_keys = np.concatenate(keys) if keys else np.zeros(0, dtype=np.int64)
        all_terms = np.concatenate(terms_at) if terms_at else np.zeros(0, dtype=np.int64)
        by_term = np.lexsort((all_keys, all_terms))
        pos_keys, pos_terms = all_keys[by_term], all_terms[by_term]
        pos_ptr = np.searchsorted(pos_terms, np.arange(len(vocab) + 1)).astype(np.int64)
        avgdl = lengths.sum() / n if n else 1.0
        arrays = {
            "doc_ptr": doc_ptr, "doc_ids": flat, "post_ptr": post_ptr,
            "post_docs": post_docs.astype(np.int32), "post_tf": tf.astype(np.float64),
            "pos_ptr": pos_ptr, "pos_keys": pos_keys,
            "norm": k1 * (1 - b + b * lengths / (avgdl or 1.0)),
            "prior": base.prior, "is_list": base.is_list,
        }
        return cls(passages, analyzer, vocab, arrays, k1)

    def terms_of(self, i: int) -> frozenset[str]:
        ids = self.doc_ids[self.doc_ptr[i] : self.doc_ptr[i + 1]]
        return frozenset(self.vocab[j] for j in ids.tolist())

    def _postings(self, term: str) -> tuple[np.ndarray, np.ndarray] | None:
        j = self.term_id.get(term)
        if j is None:
            return None
        a, b = self.post_ptr[j], self.post_ptr[j + 1]
        return self.post_docs[a:b], self.post_tf[a:b]

    def postings(self, term: str) -> tuple[np.ndarray, np.ndarray]:
        """(passages holding the term, their BM25 scores): rank_bm25's formula, sparse."""
        got = self._cache.get(term)
        if got is None:
            found = self._postings(term)
            if found is None:
                got = (np.zeros(0, dtype=np.int64), np.zeros(0))
            else:
                docs, tf = found
                got = (docs.astype(np.int64),
                       self.idf(term) * (tf * (self.k1 + 1) / (tf + self.norm[docs])))
            if len(self._cache) > 4096:
                self._cache.clear()
            self._cache[term] = got
        return got

    def scores(self, term: str) -> np.ndarray:
        """BM25 of every passage for one term (dense; for tests and the benchmark)."""
        got = np.zeros(self.size)
        docs, values = self.postings(term)
        got[docs] = values
        return got

    def presence(self, term: str) -> np.ndarray:
        got = np.zeros(self.size, dtype=bool)
        found = self._postings(term)
        if found is not None:
            got[found[0]] = True
        return got

    def _positions(self, term: str) -> np.ndarray | None:
        j = self.term_id.get(term)
        return None if j is None else self.pos_keys[self.pos_ptr[j] : self.pos_ptr[j + 1]]

    def bigram_docs(self, a: str, b: str) -> np.ndarray:
        """Passages where term b directly follows term a, from positions."""
        pa, pb = self._positions(a), self._positions(b)
        if pa is None or pb is None or not len(pa) or not len(pb):
            return np.zeros(0, dtype=np.int64)
        return np.unique(np.intersect1d(pa + 1, pb, assume_unique=True) // _POS)

    def bigram_presence(self, a: str, b: str) -> np.ndarray:
        got = np.zeros(self.size)
        got[self.bigram_docs(a, b)] = 1.0
        return got


def make_index(passages: list[Passage], analyzer: Analyzer,
               titles: dict[str, str] | None = None) -> Index | FastIndex:
    """rank_bm25 itself for a small corpus; the postings index for a large one."""
    if len(passages) > FAST_ABOVE:
        return FastIndex.build(passages, analyzer, titles)
    return Index(passages, analyzer, titles=titles)
