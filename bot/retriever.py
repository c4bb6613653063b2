"""Rank passages for an expanded question and say why each matched.

A passage is a candidate only if it shares a content term (after expansion) with the question,
never because its score is above zero. Score: for each concept, the best of its alternative
phrases (weight x summed BM25), summed over concepts, then scaled by how much of the
question's informative weight the passage covers. Ties break on passage order.
"""

from __future__ import annotations

import re

import numpy as np

from .index import Index
from .lexicon import Concept, Expansion
from .models import Hit

ABSENT_FACTOR = 0.8
BIGRAM_WEIGHT = 0.5
PHRASE_BOOST = 1.5
BACKGROUND_IDF = 0.3
LIST_BOOST = 1.5
# Questions that ask for a list ("what are the chemo options?") prefer a bulleted list.
_LIST_INTENT = re.compile(
    r"\b(list|lists|options|types|kinds|names|choices|which (drugs|medicines|medications)|"
    r"what (drugs|medicines|medications)|all the)\b"
)
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"')\]]*\s+(?=[\"'(\[]?[A-Z0-9])|\n+")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Sentence (and line) spans of a passage, trimmed of surrounding spaces."""
    spans, start = [], 0
    for m in _SENTENCE_END.finditer(text):
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, len(text)))
    out = []
    for a, b in spans:
        seg = text[a:b]
        lead = len(seg) - len(seg.lstrip())
        trail = len(seg) - len(seg.rstrip())
        if b - trail > a + lead:
            out.append((a + lead, b - trail))
    return out


class Retriever:
    """Scores passages against concepts; owns top-k and the match rule."""

    def __init__(self, index: Index):
        self.index = index

    def concept_weight(self, c: Concept) -> float:
        """How informative a concept is: IDF of its rarest present phrase.

        A word found nowhere in the corpus (after spelling and lexicon) weighs ABSENT_FACTOR x
        the largest IDF: strong evidence that the question is about something else.
        """
        best = 0.0
        for phrase, _ in c.alts:
            present = [self.index.idf(t) for t in phrase if t in self.index.df]
            if present:
                best = max(best, max(present))
        return best if best > 0 else ABSENT_FACTOR * self.index.max_idf

    def _alt_covered(self, phrase: tuple[str, ...]) -> np.ndarray:
        """Passages holding every informative term of a phrase (background terms may lack)."""
        need = [t for t in phrase if self.index.idf(t) >= BACKGROUND_IDF] or list(phrase)
        cov = np.ones(self.index.size, dtype=bool)
        for t in need:
            cov &= self.index.presence(t)
        return cov

    def search(self, exp: Expansion, k: int = 3, offset: int = 0) -> list[Hit]:
        """Candidates ranked by score, then passage order."""
        return self.rank(exp)[offset : offset + k]

    def rank(self, exp: Expansion) -> list[Hit]:
        idx = self.index
        if not exp.concepts or idx.size == 0:
            return []
        weights = [self.concept_weight(c) for c in exp.concepts]
        n = idx.size
        score = np.zeros(n)
        covered_w = np.zeros(n)
        # Several named things ("Kisqali or Ibrance") count once for coverage: a passage about
        # either one covers that part of the question.
        named = [i for i, c in enumerate(exp.concepts) if c.source == "alias"]
        named_cov = np.zeros(n, dtype=bool)
        named_w = max((weights[i] for i in named), default=0.0) if len(named) > 1 else 0.0
        total_w = sum(w for i, w in enumerate(weights) if len(named) < 2 or i not in named)
        total_w = (total_w + named_w) or 1.0
        per_concept: list[np.ndarray] = []
        for ci, (c, w) in enumerate(zip(exp.concepts, weights, strict=True)):
            best = np.zeros(n)
            cov = np.zeros(n, dtype=bool)
            for phrase, weight in c.alts:
                s = np.zeros(n)
                for t in phrase:
                    s += idx.scores(t)
                if len(phrase) > 1:  # the words as a phrase, side by side, count for more
                    together = np.ones(n)
                    for a, b in zip(phrase, phrase[1:], strict=False):
                        together = together * idx.bigram_presence(a, b)
                    s = s * (1.0 + (PHRASE_BOOST - 1.0) * together)
                best = np.maximum(best, weight * s)
                cov |= self._alt_covered(phrase)
            best = np.where(cov, best, 0.0)
            per_concept.append(best)
            score += best
            if len(named) > 1 and ci in named:
                named_cov |= cov
            else:
                covered_w += np.where(cov, w, 0.0)
        covered_w += np.where(named_cov, named_w, 0.0)
        coverage = np.minimum(covered_w / total_w, 1.0)
        score += self._bigrams(exp)
        final = score * (0.3 + 0.7 * coverage) * idx.prior
        if _LIST_INTENT.search(exp.query_used):
            final = final * np.where(idx.is_list, LIST_BOOST, 1.0)
        candidates = [i for i in range(n) if covered_w[i] > 0]
        candidates.sort(key=lambda i: (-final[i], idx.passages[i].order))
        hits = []
        for i in candidates:
            hits.append(self._hit(i, float(final[i]), float(coverage[i]), exp, per_concept))
        return hits

    def _bigrams(self, exp: Expansion) -> np.ndarray:
        """A bonus for passages holding two of the question's words side by side."""
        bonus = np.zeros(self.index.size)
        terms = [c.alts[0][0] for c in exp.concepts]
        flat = [t for phrase in terms for t in phrase]
        for a, b in zip(flat, flat[1:], strict=False):
            has = self.index.bigram_presence(a, b)
            if has.any():
                bonus += has * BIGRAM_WEIGHT * (self.index.idf(a) + self.index.idf(b))
        return bonus

    def _hit(self, i: int, score: float, coverage: float, exp: Expansion,
             per_concept: list[np.ndarray]) -> Hit:
        p = self.index.passages[i]
        ts = self.index.term_sets[i]
        matched_terms: set[str] = set()
        matched_labels: list[str] = []
        contributions = []
        for c, s in zip(exp.concepts, per_concept, strict=True):
            terms = {t for t in c.terms if t in ts}
            if terms and s[i] > 0:
                matched_terms |= terms
                matched_labels.append(c.label)
                contributions.append((c.label, round(float(s[i]), 4)))
        spans = []
        weights = {}
        for tok in self.index.analyzer.tokens(p.text):
            if tok.term in matched_terms:
                if not spans or tok.start >= spans[-1][1]:
                    spans.append((tok.start, tok.end))
                weights.setdefault((tok.start, tok.end), self.index.idf(tok.term))
        best_sentence = None
        best_val = 0.0
        for a, b in sentence_spans(p.text):
            val = sum(w for (s0, e0), w in weights.items() if a <= s0 and e0 <= b)
            if val > best_val:
                best_val, best_sentence = val, (a, b)
        return Hit(p, score, tuple(spans), best_sentence, tuple(matched_labels), coverage,
                   tuple(contributions))
