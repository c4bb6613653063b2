"""Spelling: correct a question's words to the documents' words, and find the words the
documents themselves spell two ways ("anastrazole"/"anastrozole").

A common-English word list guards real words from being "corrected" into the guide's words.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from functools import cache
from importlib import resources

import numpy as np
from nltk.metrics.distance import edit_distance
from nltk.stem.snowball import SnowballStemmer

MAX_SPELL_CANDIDATES = 40
# Spellings by sound: "kemo" is "chemo", "fysician" "physician".
SOUNDS = (("k", "ch"), ("k", "c"), ("c", "k"), ("f", "ph"), ("ph", "f"), ("z", "s"), ("s", "z"),
          ("i", "y"), ("y", "i"), ("ee", "e"), ("oo", "u"))
_STEM = SnowballStemmer("english")
MIN_SOUND_KEY = 4  # consonants: shorter skeletons match too many words
_SOUND_RULES = (("ph", "f"), ("ck", "k"), ("q", "k"), ("x", "ks"), ("z", "s"))
_SOFT_C = re.compile(r"c(?=[eiy])")
_VOWELS = re.compile(r"[aeiouy]+")
_DOUBLED = re.compile(r"(.)\1+")
_FIRST_VOWELS = frozenset("aeiou")


def sound_key(word: str) -> str:
    """The consonant skeleton of a word as it sounds: "faslodecks" and "faslodex" are both
    "fsldks", "kiskally" and "kisqali" "kskl", "herseptin" and "herceptin" "hrsptn"."""
    w = word.casefold()
    for a, b in _SOUND_RULES:
        w = w.replace(a, b)
    w = _SOFT_C.sub("s", w).replace("c", "k")
    return _DOUBLED.sub(r"\1", _VOWELS.sub("", w))


@cache
def english_words() -> frozenset[str]:
    """Common English words: never spell-corrected into a word of the guide.

    The file is generated (one word a line after its "#" header), and 40,000 lines long, so it
    is read in one split rather than line by line: it is loaded on most cold starts.
    """
    text = resources.files("bot.data").joinpath("english_words.txt").read_text(encoding="utf-8")
    body = text.split("\n")
    start = next((i for i, ln in enumerate(body) if ln.strip() and not ln.startswith("#")),
                 len(body))
    return frozenset("\n".join(body[start:]).split())


def spelling_variants(words: Iterable[str] | Counter[str]) -> list[tuple[str, str]]:
    """Long words the documents spell two ways ("anastrazole"/"anastrozole"): one edit apart,
    same first three letters, different stems. Found through shared one-letter deletions, so
    the cost grows with the vocabulary, not with its square."""
    by_key: dict[str, list[str]] = {}
    counts = Counter(words)
    vocab = sorted(w for w in counts if len(w) >= 8 and w.isalpha())
    for w in vocab:
        for key in {w, *(w[:i] + w[i + 1 :] for i in range(len(w)))}:
            by_key.setdefault(key, []).append(w)
    pairs: set[tuple[str, str]] = set()
    for group in by_key.values():
        if len(group) < 2 or len(group) > 50:
            continue
        for i, a in enumerate(group):
            for b in group[i + 1 :]:
                if a[:3] == b[:3] and (a, b) not in pairs:
                    pairs.add((a, b))
    found = [(a, b) for a, b in sorted(pairs)
             if edit_distance(a, b, transpositions=True) == 1 and _STEM.stem(a) != _STEM.stem(b)]
    # A word one letter from several others is a family of real words, not a typo.
    seen = Counter(w for pair in found for w in pair)
    return [(a, b) for a, b in found if seen[a] == 1 and seen[b] == 1]


def _letters(word: str) -> np.ndarray:
    row = np.zeros(27, dtype=np.int16)
    for ch in word:
        o = ord(ch) - 97
        row[o if 0 <= o < 26 else 26] += 1
    return row


class Speller:
    """Corrects words that are not in the vocabulary to the nearest known word.

    Candidates are first narrowed with numpy (length, and letter counts: an edit changes them
    by at most two), so only a handful get a real edit distance, however large the library.
    """

    def __init__(self, counts: Counter[str], known: set[str], names: Iterable[str] = ()):
        """`names`: the documents' names of things (drugs, brands), also matched by how they
        sound ("faslodecks"), when exactly one name sounds alike."""
        self.counts = counts
        self.known = known | set(counts)
        self._memo: dict[str, str | None] = {}
        self._ready = False
        self._names = tuple(names)
        self._by_sound: dict[str, str] | None = None

    def _prepare(self) -> None:
        """Arrays for narrowing candidates, built on the first unknown word (not at start-up)."""
        self.words = [w for w in self.counts if len(w) >= 3 and w.isalpha() and w.isascii()]
        self.lengths = np.array([len(w) for w in self.words], dtype=np.int16)
        self.first = np.array([ord(w[0]) for w in self.words], dtype=np.int16)
        self.letters = (np.stack([_letters(w) for w in self.words]) if self.words
                        else np.zeros((0, 27), dtype=np.int16))
        self._ready = True

    def correct(self, word: str) -> str | None:
        """The corrected word, or None when `word` is known or nothing is close enough."""
        if word in self.known or len(word) < 4 or not word.isalpha() or word in english_words():
            return None
        if word in self._memo:
            return self._memo[word]
        for a, b in SOUNDS:
            i = word.find(a)
            while i >= 0:
                alt = word[:i] + b + word[i + len(a):]
                if alt in self.known and alt not in english_words() and len(alt) >= 4:
                    self._memo[word] = alt
                    return alt
                i = word.find(a, i + 1)
        if not self._ready:
            self._prepare()
        limit = 1 if len(word) <= 5 else 2
        near = np.abs(self.lengths - len(word)) <= limit
        if len(word) < 6:
            near &= self.first == ord(word[0])
        diff = np.abs(self.letters - _letters(word)).sum(axis=1)
        near &= diff <= 2 * limit
        pool = np.nonzero(near)[0]
        pool = pool[np.argsort(diff[pool], kind="stable")][:MAX_SPELL_CANDIDATES]
        best: tuple[int, int, str] | None = None
        for j in pool.tolist():
            cand = self.words[j]
            d = edit_distance(word, cand, transpositions=True)
            if cand[0] != word[0] and not (cand[0] in _FIRST_VOWELS and word[0] in _FIRST_VOWELS):
                d += 1  # a different first letter is a rarer typo, unless a vowel for a vowel
                # ("emunotherapy", "anastrozole" typed "enastrozole"): they sound alike
            if d == 2 and word.startswith(_STEM.stem(cand)):
                continue  # a whole word of the guide and two letters more is another word
                # ("placebo" is not "place(s)"): it stays as typed, an uncovered topic
            if d <= limit:
                key = (d, -self.counts[cand], cand)
                if best is None or key < best:
                    best = key
        out = best[2] if best else self._sounds_like(word)
        if len(self._memo) < 10_000:
            self._memo[word] = out
        return out

    def _sounds_like(self, word: str) -> str | None:
        """The one name of the documents that sounds like `word` (a phonetic spelling more
        than two edits away), if its skeleton is long enough to tell names apart."""
        if self._by_sound is None:  # built on the first word needing it, not at start-up
            by_key: dict[str, set[str]] = {}
            for n in self._names:
                if n.isalpha() and n not in english_words():
                    k = sound_key(n)
                    if len(k) >= MIN_SOUND_KEY:
                        by_key.setdefault(k, set()).add(n)
            self._by_sound = {k: next(iter(v)) for k, v in by_key.items() if len(v) == 1}
        key = sound_key(word)
        name = self._by_sound.get(key) if len(key) >= MIN_SOUND_KEY else None
        if name and len(key) <= MIN_SOUND_KEY and name[0] != word[0]:
            return None  # a short skeleton ("rmsn": aromasin, remission) needs the same start
        return name
