"""Turn text into index terms: one analyzer serves passages and questions alike.

Offline nltk only (RegexpTokenizer-style regex, Snowball/Porter stemmer). Receptor signs are
kept as their own terms: "HER2+", "HER2-positive" and "HER2 positive" all become `her2pos`,
"HER2-"/"HER2-negative" become `her2neg` (likewise ER, PR); "triple negative" is `triplenegative`.
Hyphenated words give the joined form and each part ("5-FU" -> 5fu, 5, fu).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from nltk.stem.porter import PorterStemmer
from nltk.stem.snowball import SnowballStemmer

from . import datafiles

STEMMERS = ("snowball", "porter")

_TOKEN = re.compile(
    r"(?P<sign>\b(?P<rec>her-?2|er|pr|hr)\s?(?P<mark>\+|-?\s?positive\b|-?\s?pos\b"
    r"|-?\s?negative\b|-?\s?neg\b|-(?![^\W_])))"
    r"|(?P<triple>\btriple[-\s]?negative\b|\btnbc\b)"
    r"|(?P<word>[^\W_]+(?:['\u2019-][^\W_]+)*)",
    re.IGNORECASE,
)
NEGATIONS = {
    "no", "not", "nor", "never", "without", "cannot", "can't", "don't", "doesn't", "didn't",
    "won't", "isn't", "aren't", "wasn't", "weren't", "shouldn't", "wouldn't", "couldn't",
    "haven't", "hasn't", "hadn't",
    "cant", "dont", "wont", "doesnt", "didnt", "isnt", "arent", "wasnt", "werent", "shouldnt",
    "wouldnt", "couldnt", "havent", "hasnt",
}
# Snowball joins words that mean different things here ("clinical" trial vs a "clinic").
STEM_OVERRIDES = {"clinical": "clinical", "clinically": "clinical", "news": "news"}


@dataclass(frozen=True)
class Token:
    """One index term and the characters of the text it came from."""

    term: str
    start: int
    end: int
    surface: str


@cache
def default_stopwords() -> frozenset[str]:
    return frozenset(w.casefold() for w in datafiles.lines("stopwords.txt"))


class Analyzer:
    """Tokenise, normalise receptor signs, drop stopwords, stem."""

    def __init__(self, stemmer: str = "snowball", stopwords: frozenset[str] | None = None):
        if stemmer not in STEMMERS:
            raise ValueError(f"unknown stemmer {stemmer!r}; choose one of {', '.join(STEMMERS)}")
        self.stemmer_name = stemmer
        self._stemmer = SnowballStemmer("english") if stemmer == "snowball" else PorterStemmer()
        self.stopwords = default_stopwords() if stopwords is None else frozenset(stopwords)
        self._cache: dict[str, str] = {}
        self._words: dict[str, tuple[str, ...]] = {}

    def stem(self, word: str) -> str:
        """Stem one lower-case word (cached: the vocabulary is small)."""
        out = self._cache.get(word)
        if out is None:
            out = STEM_OVERRIDES.get(word) or self._stemmer.stem(word)
            self._cache[word] = out
        return out

    def tokens(self, text: str) -> list[Token]:
        """Index terms with their character spans in `text`, in order."""
        out: list[Token] = []
        for m in _TOKEN.finditer(text):
            start, end, surface = m.start(), m.end(), m.group()
            if m.group("sign"):
                rec = m.group("rec").casefold().replace("-", "")
                mark = m.group("mark").casefold()
                sign = "pos" if ("+" in mark or "pos" in mark) else "neg"
                recs = ("er", "pr") if rec == "hr" else (rec,)
                out.extend(Token(f"{r}{sign}", start, end, surface) for r in recs)
            elif m.group("triple"):
                out.append(Token("triplenegative", start, end, surface))
            else:
                out.extend(self._word(surface.casefold().replace("\u2019", "'"), start, end))
        return out

    def _word(self, word: str, start: int, end: int) -> list[Token]:
        if word in NEGATIONS:
            return [Token("not", start, end, word)]
        if "'" in word:
            word = word.split("'")[0]
        if "-" in word:
            parts = [p for p in word.split("-") if p]
            toks = [Token(self.stem(word.replace("-", "")), start, end, word)]
            pos = start
            for part in parts:
                if len(part) > 1 and part not in self.stopwords:
                    toks.append(Token(self.stem(part), pos, pos + len(part), part))
                pos += len(part) + 1
            return toks
        if word in self.stopwords or (len(word) == 1 and not word.isdigit()):
            return []
        return [Token(self.stem(word), start, end, word)]

    def terms(self, text: str) -> list[str]:
        """Just the terms of `text` (the fast path: each distinct word is analysed once)."""
        out: list[str] = []
        cache = self._words
        for m in _TOKEN.finditer(text):
            word = m.group("word")
            if word is not None:
                key = word.casefold()
                got = cache.get(key)
                if got is None:
                    got = tuple(t.term for t in self._word(key.replace("\u2019", "'"), 0, 0))
                    if len(cache) < 500_000:
                        cache[key] = got
                out.extend(got)
            else:
                out.extend(t.term for t in self.tokens(m.group()))
        return out
