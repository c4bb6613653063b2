"""Rank passages for an expanded question and say why each matched.

A passage is a candidate only if it shares a content term (after expansion) with the question,
never because its score is above zero. Score: for each concept, the best of its alternative
phrases (weight x summed BM25), summed over concepts, then scaled by how much of the
question's informative weight the passage covers. Ties break on passage order.
"""

from __future__ import annotations

import re
from dataclasses import replace

import numpy as np

from .index import PassageIndex
from .lexicon import Concept, Expansion
from .models import Hit
from .question import topic_strength
from .spelling import english_words

ABSENT_FACTOR = 0.8
BIGRAM_WEIGHT = 0.5
PHRASE_BOOST = 1.5
BACKGROUND_IDF = 0.3
# What an uncovered question keeps of a passage's score: low, so a passage holding the focus
# and the other topics outranks one that only repeats one of them.
UNCOVERED_SHARE = 0.1
LIST_BOOST = 1.5
NAMED_IDF = 0.8
# A passage on a named drug's class ("hormone therapy" for letrozole) stands for the drug at
# this weight, and only where it covers another part of the question too.
FAMILY_WEIGHT = 0.5
# Framing words (evidence of the question's type) and the story around a question help rank
# but never decide coverage; see bot/question.py.
# A common English word that heads few of MedQuAD's foci ("worth", "look", "someone") is more
# likely the asker's phrasing than a topic: it counts for coverage by how clearly it names one.
WEAK_TOPIC_FLOOR = 0.34
ROLE_RANK_WEIGHT = {"framing": 0.25, "general": 0.6, "context": 0.3}
# "X or Y", "X vs Y", "difference between X and Y": a passage about either one is on topic.
_CHOICE = re.compile(r"\b(or|vs|versus|between|compare|compared|comparison|difference|differ|"
                     r"different from|better than|same as)\b")
# Questions that ask for a list ("what are the chemo options?") prefer a bulleted list.
_LIST_INTENT = re.compile(
    r"\b(list|lists|options|types|kinds|names|choices|which (drugs|medicines|medications)|"
    r"what (drugs|medicines|medications)|all the)\b"
)
# two capitalised words after a lower-case one, just before a word: "... or Gamma Knife |surgery"
_ENDS_NAME = re.compile(r"[a-z,;] ([A-Z][a-z]+ [A-Z][a-z]+) $")
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


class _Candidates:
    """The passages holding any of a question's terms, and per-term values over just those."""

    def __init__(self, index: PassageIndex, terms: set[str]):
        self.index = index
        self.postings = {t: index.postings(t) for t in terms}
        mask = np.zeros(index.size, dtype=bool)
        for docs, _ in self.postings.values():
            mask[docs] = True
        self.docs = np.nonzero(mask)[0]
        self.size = len(self.docs)
        self._places: dict[str, np.ndarray] = {}

    def _place(self, term: str) -> np.ndarray:
        got = self._places.get(term)
        if got is None:
            got = np.searchsorted(self.docs, self.postings[term][0])
            self._places[term] = got
        return got

    def scores(self, term: str) -> np.ndarray:
        out = np.zeros(self.size)
        out[self._place(term)] = self.postings[term][1]
        return out

    def presence(self, term: str) -> np.ndarray:
        out = np.zeros(self.size, dtype=bool)
        out[self._place(term)] = True
        return out

    def bigram(self, a: str, b: str) -> np.ndarray:
        out = np.zeros(self.size)
        docs = self.index.bigram_docs(a, b)
        if len(docs):
            out[np.searchsorted(self.docs, docs)] = 1.0  # bigram passages hold both terms
        return out


class Retriever:
    """Scores passages against concepts; owns top-k and the match rule."""

    def __init__(self, index: PassageIndex):
        self.index = index
        self._sections: dict[str, np.ndarray] | None = None
        self._heading_terms: dict[str, tuple[str, ...]] = {}
        self._in_names: dict[str, list[tuple[int, frozenset[str]]]] = {}

    def background(self, c: Concept) -> bool:
        """A concept one of whose phrases is in nearly every passage ("stage 4" -> "advanced",
        in the title of a guide about advanced cancer): it is what the whole document is about,
        so it neither ranks nor decides coverage. A lay phrase whose meaning is in its
        stopwords is judged by the meaning the lexicon gives it: "the treatments I had" is
        previous treatment, though its own words, stopwords aside, are only "treatment"."""
        alts = c.alts
        if c.source == "lexicon" and len(c.alts[0][0]) < len(c.label.split()):
            alts = tuple(a for a in alts if a[1] < 1.0) or alts
        return any(phrase and all(t in self.index.df and self.index.idf(t) < BACKGROUND_IDF
                                  for t in phrase) for phrase, _ in alts)

    def with_background(self, exp: Expansion) -> Expansion:
        """The expansion with its background concepts (what the whole document is about:
        "advanced", "breast cancer", "stage 4") given the role "background"."""
        if not any(c.role in ("focus", "content") and self.background(c) for c in exp.concepts):
            return exp
        concepts = tuple(replace(c, role="background")
                         if c.role in ("focus", "content") and self.background(c) else c
                         for c in exp.concepts)
        return replace(exp, concepts=concepts)

    def concept_weight(self, c: Concept) -> float:
        """How informative a concept is: IDF of its rarest present phrase.

        A word found nowhere in the corpus (after spelling and lexicon) weighs ABSENT_FACTOR x
        the largest IDF: strong evidence that the question is about something else.
        """
        if self.background(c):
            return 0.0
        best = 0.0
        for phrase, _ in c.alts:
            present = [self.index.idf(t) for t in phrase if t in self.index.df]
            if present:
                best = max(best, max(present))
        return best if best > 0 else ABSENT_FACTOR * self.index.max_idf

    @staticmethod
    def _topic_share(c: Concept) -> float:
        """How much a remaining keyword counts for coverage: fully, unless it is a common
        English word that heads few medical topics in MedQuAD ("worth", "look", "working")."""
        if c.role != "content" or c.source != "word" or c.label not in english_words():
            return 1.0
        known = [topic_strength(t) for t in c.terms]
        return max(WEAK_TOPIC_FLOOR, max(known, default=1.0))

    def rank(self, exp: Expansion, limit: int = 50) -> list[Hit]:
        """The best `limit` candidates, best first (ties: passage order).

        Works only on the passages that hold at least one of the question's terms (the
        candidates), so its cost grows with those, not with the library.
        """
        idx = self.index
        if not exp.concepts or idx.size == 0:
            return []
        view = _Candidates(idx, {t for c in exp.concepts for p, _ in c.alts for t in p}
                           | {t for c in exp.concepts for t in self._family_terms(c.family)})
        m = view.size
        if m == 0:
            return []
        weights = [self.concept_weight(c) for c in exp.concepts]
        # Only the focus and the remaining keywords decide coverage; a question made only of
        # framing words ("what are the side effects?") is covered by its framing.
        asked = {i for i, c in enumerate(exp.concepts) if c.role in ("focus", "content", "background")}
        if not asked:  # only framing and general words: those present in the documents decide
            asked = {i for i, c in enumerate(exp.concepts)
                     if c.role != "context" and any(t in idx.df for t in c.terms)}
        score = np.zeros(m)
        covered_w = np.zeros(m)
        # Several named things ("Kisqali or Ibrance") count once for coverage: a passage about
        # either one covers that part of the question.
        choice = bool(_CHOICE.search(exp.query_used))
        named = [i for i, (c, w) in enumerate(zip(exp.concepts, weights, strict=True))
                 if i in asked and (c.source == "alias" or (
                     choice and c.source == "word" and w >= NAMED_IDF * idx.max_idf
                     and any(t in idx.df for t in c.terms)))]
        named_cov = np.zeros(m, dtype=bool)
        named_w = max((weights[i] for i in named), default=0.0) if len(named) > 1 else 0.0
        cov_weights = [w * self._topic_share(c) for c, w in zip(exp.concepts, weights, strict=True)]
        total_w = sum(cov_weights[i] for i in asked if len(named) < 2 or i not in named)
        total_w = (total_w + named_w) or 1.0
        # the question's own words, its story's too ("They talked about a Gamma Knife. Is it surgery?")
        asked_terms = {t for c in exp.concepts for t in c.terms} | set(idx.analyzer.terms(exp.query_used))
        per_concept: list[np.ndarray] = []
        families: list[tuple[int, float, np.ndarray, np.ndarray]] = []
        for ci, (c, w) in enumerate(zip(exp.concepts, weights, strict=True)):
            best = np.zeros(m)
            cov = np.zeros(m, dtype=bool)
            if w == 0.0 and self.background(c):
                per_concept.append(best)
                continue
            lay = c.source == "lexicon"  # a lay word the lexicon reads as a guide word
            for phrase, weight in c.alts:
                s = np.zeros(m)
                for t in phrase:
                    s += view.scores(t)
                # "surgery" asked in lay words is not the "Gamma Knife surgery" a passage names
                in_name = np.isin(view.docs, self._only_in_names(phrase[0], asked_terms)) \
                    if lay and len(phrase) == 1 else np.zeros(m, dtype=bool)
                s = np.where(in_name, 0.0, s)
                if len(phrase) > 1:  # the words as a phrase, side by side, count for more
                    together = np.ones(m)
                    for a, b in zip(phrase, phrase[1:], strict=False):
                        together = together * view.bigram(a, b)
                    s = s * (1.0 + (PHRASE_BOOST - 1.0) * together)
                best = np.maximum(best, weight * s)
                if c.source != "related" or weight == 1.0:  # related words help rank only
                    cov |= self._alt_covered(view, phrase) & ~in_name
            best = np.where(cov, best, 0.0)
            if c.family and not (len(named) > 1 and ci in named):
                fam = np.isin(view.docs, self._section_docs(c.family)) & ~cov
                s = sum((view.scores(t) for t in self._family_terms(c.family)), np.zeros(m))
                families.append((ci, w, fam, FAMILY_WEIGHT * s))
            if ci not in asked:
                best = best * ROLE_RANK_WEIGHT.get(c.role, 1.0)
            per_concept.append(best)
            score += best
            if ci not in asked:
                continue
            if len(named) > 1 and ci in named:
                named_cov |= cov
            else:
                covered_w += np.where(cov, cov_weights[ci], 0.0)
        covered_w += np.where(named_cov, named_w, 0.0)
        # the other part must be a topic the lexicon knows ("stopped working"), and a class
        # passage never stands for one drug's side effects
        others = np.zeros(m, dtype=bool)
        if families and not exp.types.answer_words():
            for ci in range(len(exp.concepts)):
                if exp.concepts[ci].source != "word" and exp.concepts[ci].role != "framing":
                    others |= per_concept[ci] > 0
        for ci, w, fam, s in families:
            credit = fam & others
            if ci in asked:
                covered_w += np.where(credit, w, 0.0)
            else:  # the story's drug: its class section helps rank, like the story itself
                s = s * ROLE_RANK_WEIGHT.get(exp.concepts[ci].role, 1.0)
            per_concept[ci] = per_concept[ci] + np.where(credit, s, 0.0)
            score += np.where(credit, s, 0.0)
        coverage = np.minimum(covered_w / total_w, 1.0)
        if not any(weights[i] for i in asked):  # only what the whole document is about:
            covered_w = coverage = np.ones(m)  # its overview passages, in document order
            score = np.full(m, 1e-6)
        score += self._bigrams(view, exp)
        final = score * (UNCOVERED_SHARE + (1 - UNCOVERED_SHARE) * coverage) * idx.prior[view.docs]
        if _LIST_INTENT.search(exp.query_used):
            final = final * np.where(idx.is_list[view.docs], LIST_BOOST, 1.0)
        keep = np.nonzero(covered_w > 0)[0]
        order = keep[np.lexsort((view.docs[keep], -final[keep]))][:limit]
        return [self._hit(int(view.docs[j]), float(final[j]), float(coverage[j]), exp,
                          [pc[j] for pc in per_concept]) for j in order]

    def _only_in_names(self, term: str, asked: set[str]) -> np.ndarray:
        """The passages whose every use of `term` ends a capitalised name in mid-sentence
        ("or Gamma Knife surgery"): there the word names that thing, not the lay topic, unless
        the question names it too (`asked`: its terms). Found once per term."""
        got = self._in_names.get(term)
        if got is None:
            found: list[tuple[int, frozenset[str]]] = []
            for i in self.index.postings(term)[0]:
                text = self.index.passages[int(i)].text
                names = [_ENDS_NAME.search(text, max(0, tok.start - 40), tok.start)
                         for tok in self.index.analyzer.tokens(text) if tok.term == term]
                if names and all(names):
                    found.append((int(i), frozenset(self.index.analyzer.terms(
                        " ".join(m.group(1) for m in names if m)))))
            got = self._in_names[term] = found
        return np.array([i for i, name in got if not name & asked], dtype=np.int64)

    def _family_terms(self, heading: str) -> tuple[str, ...]:
        """The terms of a drug class's heading, analysed once per heading."""
        if not heading:
            return ()
        terms = self._heading_terms.get(heading)
        if terms is None:
            terms = self._heading_terms[heading] = tuple(self.index.analyzer.terms(heading))
        return terms

    def _section_docs(self, heading: str) -> np.ndarray:
        """The passages of the sections headed `heading` (a drug class's own section)."""
        if self._sections is None:  # built once, when a question first names a drug's class
            found: dict[str, list[int]] = {}
            for i, p in enumerate(self.index.passages):
                for h in set(p.section):
                    found.setdefault(h, []).append(i)
            self._sections = {h: np.array(v, dtype=np.int64) for h, v in found.items()}
        return self._sections.get(heading, np.zeros(0, dtype=np.int64))

    def _alt_covered(self, view: _Candidates, phrase: tuple[str, ...]) -> np.ndarray:
        """Passages holding every informative term of a phrase (background terms may lack)."""
        need = [t for t in phrase if t not in self.index.df or self.index.idf(t) >= BACKGROUND_IDF]
        need = need or list(phrase)
        cov = np.ones(view.size, dtype=bool)
        for t in need:
            cov &= view.presence(t)
        return cov

    def _bigrams(self, view: _Candidates, exp: Expansion) -> np.ndarray:
        """A bonus for passages holding two of the question's words side by side."""
        bonus = np.zeros(view.size)
        terms = [c.alts[0][0] for c in exp.concepts]
        flat = [t for phrase in terms for t in phrase]
        for a, b in zip(flat, flat[1:], strict=False):
            has = view.bigram(a, b)
            if has.any():
                bonus += has * BIGRAM_WEIGHT * (self.index.idf(a) + self.index.idf(b))
        return bonus

    def _hit(self, i: int, score: float, coverage: float, exp: Expansion,
             per_concept: list[float]) -> Hit:
        p = self.index.passages[i]
        ts = self.index.terms_of(i)
        matched_terms: set[str] = set()
        matched_labels: list[str] = []
        contributions = []
        for c, s in zip(exp.concepts, per_concept, strict=True):
            terms = {t for t in c.terms if t in ts}
            if not terms and c.family:  # the passage stands for the drug by its class
                terms = {t for t in self._family_terms(c.family) if t in ts}
            if terms and s > 0:
                matched_terms |= terms
                matched_labels.append(c.label)
                contributions.append((c.label, round(float(s), 4)))
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
