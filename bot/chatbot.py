"""The facade: `load()` builds a Bot over a corpus folder; `Bot.ask()` answers one question.

Flow: sanitise -> red flags -> small talk -> expand (aliases, lexicon, spelling) -> rank ->
compose. The TUI and the CLI both hold a Bot and talk to nothing else in bot/.
"""

from __future__ import annotations

import gc
import re
import unicodedata
from functools import cache
from pathlib import Path

from . import cache as index_cache
from . import datafiles, lexicon, models, safety
from .analyzer import Analyzer, default_stopwords
from .composer import Composer
from .corpus import CorpusError, bundled_dir, load_folder, outdated_marks
from .index import FastIndex, PassageIndex, make_index
from .lexicon import Expander, Expansion
from .messages import Config, Messages
from .models import Document, Hit, Passage, Reply, Skipped
from .passages import split
from .retriever import Retriever
from .sanitize import clean, normalise

MAX_QUESTION = 2000
MAX_NAME_ITEM = 8  # words: a longer list item is a sentence, not a name

__all__ = ["Bot", "CorpusError", "load"]


@cache
def _smalltalk() -> tuple[tuple[str, re.Pattern[str]], ...]:
    return tuple((name, re.compile(rx)) for name, rx in datafiles.table("smalltalk.txt"))


def smalltalk_name(normalised: str) -> str | None:
    """The small-talk message a whole message asks for, if it is only small talk."""
    bare = re.sub(r"[^\w\s?]|_", " ", normalised)
    bare = re.sub(r"\s+", " ", bare).strip()
    if bare != "?":
        bare = bare.replace("?", "").strip()
    for name, rx in _smalltalk():
        if rx.fullmatch(bare):
            return name
    return None


@cache
def _foreign() -> frozenset[str]:
    return frozenset(datafiles.lines("foreign_words.txt"))


def not_english(normalised: str) -> bool:
    """Mostly non-Latin letters, or more foreign function words than English stopwords."""
    letters = [ch for ch in normalised if ch.isalpha()]
    if not letters:
        return False
    latin = sum(ch.isascii() or "LATIN" in unicodedata.name(ch, "") for ch in letters)
    if latin < len(letters) / 2:
        return True
    words = re.findall(r"[^\W\d_]+(?:'[^\W\d_]+)?", normalised)
    foreign = sum(w in _foreign() for w in words)
    english = sum(w in default_stopwords() for w in words)
    return foreign >= 2 and foreign > english


_ITEM = re.compile(r"^\s*(?:[\u2022*-]\s*)?([^\W\d_][\w-]*)", re.MULTILINE)


def named_terms(passages: list[Passage], analyzer: Analyzer) -> frozenset[str]:
    """What the documents name as things: the first word of each table row and list item
    ("tamoxifen", "capecitabine (Xeloda)"). A question naming one has it as its focus."""
    out: set[str] = set()
    for p in passages:
        if p.kind == "table_row":
            lines = p.text.split("\n")[:1]
        elif p.kind == "list":
            lines = [ln for ln in p.text.split("\n") if ln.strip().startswith(("\u2022", "*", "-"))]
        else:
            continue
        for line in lines:
            m = _ITEM.match(line)
            if m and (p.kind == "table_row" or len(line.split()) <= MAX_NAME_ITEM):
                out.update(t for t in analyzer.terms(m.group(1))[:1] if len(t) > 3)
    return frozenset(out)


_HEAD_WORD = re.compile(r"[^\W\d_]+")
# The name cell of a table row or list item: "anastrazole (Arimidex), exemestane (Aromasin),
# letrozole (Femara)" - names, each with an optional second word and a name in parentheses.
_NAME_CELL = re.compile(r"\s*(?:[\u2022*-]\s*)?([^\W\d_][\w-]*(?: [^\W\d_][\w-]*)?(?: \([^)]*\))?)(,)?")


class Families:
    """The class a named thing belongs to, read from the document's structure, when first asked:
    a drug named in a table or list under "Table 1. Common Hormone Therapy Options" belongs to
    the nearby prose section headed "Hormone Therapy" (the longest such heading whose words are
    all in the list's heading). Only for words the documents use in lists and tables alone - a
    drug's name, never a word the prose discusses ("estrogen"). Lazy, so a large library pays
    for the few drugs asked about, never at start-up."""

    WINDOW = 60  # passages either side where the class's prose section is looked for

    def __init__(self, passages: list[Passage], index: PassageIndex):
        self.passages = passages
        self.index = index
        self._known: dict[str, str] = {}

    def of(self, term: str) -> str:
        got = self._known.get(term)
        if got is None:
            got = self._known[term] = self._find(term)
        return got

    def _find(self, term: str) -> str:
        if len(term) <= 3 or term not in self.index.df:
            return ""
        docs, _ = self.index.postings(term)
        rows = [self.passages[int(i)] for i in docs]
        if not rows or any(p.kind not in ("table_row", "list") for p in rows):
            return ""
        for p in rows:
            if p.section and term in self._names(p):
                family = self._family(p)
                if family:
                    return family
        return ""

    def _names(self, p: Passage) -> set[str]:
        """Terms of the name cell of each row or short list item."""
        out: set[str] = set()
        lines = p.text.split("\n")[:1] if p.kind == "table_row" else p.text.split("\n")
        for line in lines:
            if p.kind == "list" and len(line.split()) > MAX_NAME_ITEM:
                continue
            pos = 0
            while m := _NAME_CELL.match(line, pos):
                out.update(self.index.analyzer.terms(m.group(1)))
                if not m.group(2):
                    break
                pos = m.end()
        return out

    def _family(self, p: Passage) -> str:
        words = set(_HEAD_WORD.findall(p.section[-1].casefold()))
        lo, hi = max(0, p.order - self.WINDOW), p.order + self.WINDOW
        heads = {q.section[-1] for q in self.passages[lo:hi]
                 if q.doc_id == p.doc_id and q.section and q.kind not in ("table_row", "list")}
        fits = [h for h in heads if h != p.section[-1]
                and set(_HEAD_WORD.findall(h.casefold())) <= words]
        return max(fits, key=len, default="")


class Bot:
    """An indexed corpus and everything needed to answer questions about it."""

    def __init__(self, documents: list[Document], skipped: list[Skipped] | None = None,
                 warnings: list[str] | None = None, config: Config | None = None,
                 marks: list[dict] | None = None, analyzer: Analyzer | None = None,
                 root: Path | None = None):
        self.analyzer = analyzer or Analyzer()
        self.documents = {d.doc_id: d for d in documents}
        self.skipped = list(skipped or [])
        self.warnings = list(warnings or [])
        cached = index_cache.load(root, documents, self.analyzer) if root is not None else None
        if cached is not None:
            self.passages, self.index, mined = cached
        else:
            self.passages = []
            for d in documents:
                for p in split(d):
                    self.passages.append(p._replace(order=len(self.passages)))
            self.index = make_index(self.passages, self.analyzer,
                                    titles={d.doc_id: d.title for d in documents})
            mined = lexicon.mine([d.text for d in documents])
            if root is not None and isinstance(self.index, FastIndex):
                index_cache.save(root, documents, self.analyzer, self.passages, self.index, mined)
        self.by_id = {p.id: p for p in self.passages}
        self.expander = Expander(self.analyzer, set(self.index.df), mined,
                                 named=named_terms(self.passages, self.analyzer),
                                 family_of=Families(self.passages, self.index).of)
        self.retriever = Retriever(self.index)
        title = documents[0].title if len(documents) == 1 else "the guides"
        self.messages = Messages(config, title=title)
        self.outdated = self._outdated(marks or [])
        self.composer = Composer(self.messages, self.documents, self.outdated,
                                 frozenset(self.index.df), self.passages)

    def _outdated(self, marks: list[dict]) -> dict[str, str]:
        out = {}
        names = {d.doc_id: d.name for d in self.documents.values()}
        for m in marks:
            anchor = " ".join(str(m.get("anchor", "")).split()).casefold()
            if not anchor:
                continue
            for p in self.passages:
                doc_ok = not m.get("doc") or m.get("doc") == names.get(p.doc_id)
                if doc_ok and anchor in " ".join(p.text.split()).casefold():
                    out[p.id] = str(m.get("reason", ""))
        return out

    # --- look-ups for staff -------------------------------------------------------------

    def expand(self, query: str) -> Expansion:
        """The question as searched: concepts with their roles (focus, framing, ...)."""
        return self.retriever.with_background(self.expander.expand(normalise(query),
                                                                    lexicon.proper_nouns(query)))

    def search(self, query: str, k: int = 10, doc: str | None = None) -> list[Hit]:
        """Every passage that shares a content term with the query, best first (no safety)."""
        exp = self.expand(clean(query)[:MAX_QUESTION])
        hits = self.retriever.rank(exp, limit=self.index.size if doc else max(k, 10))
        if doc:
            hits = [h for h in hits if doc in (h.passage.doc_id, self.documents[h.passage.doc_id].name)]
        return hits[:k]

    def passage(self, pid: str) -> Passage | None:
        return self.by_id.get(pid.strip())

    def neighbours(self, pid: str, n: int = 1) -> list[Passage]:
        """The passage with up to n passages either side in the same document."""
        p = self.by_id.get(pid)
        if p is None:
            return []
        lo, hi = max(0, p.order - n), min(len(self.passages), p.order + n + 1)
        return [q for q in self.passages[lo:hi] if q.doc_id == p.doc_id]

    # --- questions ----------------------------------------------------------------------

    def ask(self, question: str, k: int = 3, offset: int = 0,
            searched: str | None = None) -> Reply:
        """Answer one question with fixed messages and verbatim quotes only.

        `searched` is a rewritten question (a follow-up) to retrieve with; safety and small
        talk are always judged on the user's own words.
        """
        text = clean(question[: MAX_QUESTION * 4])
        notices: tuple[str, ...] = ()
        if len(text) > MAX_QUESTION or len(question) > MAX_QUESTION * 4:
            text = text[:MAX_QUESTION]
            notices = (self.messages.get("trimmed"),)
        question = text  # what the reply echoes: never control sequences
        shown = text.strip()
        if not shown:
            return self.composer.reply(question, "smalltalk", self.messages.get("empty"), "")
        flag = safety.check(text)
        if flag and flag.kind in ("emergency", "crisis"):
            return self.composer.reply(question, "emergency", self.messages.get(flag.kind),
                                       normalise(text), notices=notices)
        norm = normalise(searched if searched is not None else text)
        if searched is None and not_english(norm):
            return self.composer.reply(question, "no_match", self.messages.get("language"), norm,
                                       notices=notices)
        if not flag and searched is None:
            name = smalltalk_name(norm)
            if name:
                return self.composer.reply(question, "smalltalk", self.messages.get(name), norm)
        raw = searched if searched is not None else text
        exp = self.retriever.with_background(self.expander.expand(norm, lexicon.proper_nouns(raw)))
        if not exp.concepts:
            if flag and flag.kind == "urgent":
                return self.composer.reply(question, "emergency", self.messages.get("urgent"),
                                           norm, notices=notices)
            if flag and flag.kind == "advice":
                return self.composer.reply(question, "advice",
                                           self.messages.get("advice_no_quotes"), norm,
                                           notices=notices)
            return self.composer.reply(question, "no_match", self.messages.get("add_words"),
                                       norm, notices=notices)
        hits = self.retriever.rank(exp, limit=offset + k + 10)
        return self.composer.compose(question, exp, hits, flag, k, offset, norm, notices)

    def make_reply(self, question: str, kind: str, message: str | None, query: str,
                   passages: list[Hit] | tuple[Hit, ...] = (),
                   notices: tuple[str, ...] = ()) -> Reply:
        """A reply built from a fixed message (or None) and passages already chosen, for
        conversation commands ("more", "show context"); the outdated notice is added."""
        return self.composer.reply(question, kind, message, query, passages, (), notices)

    def warm(self) -> None:
        """Prepare what the first questions would otherwise prepare (the red-flag rules), for a
        long-running app or a latency measurement; a one-shot `ask` is quicker without it."""
        safety.warm()

    def greeting(self) -> str:
        return self.messages.get("greeting")

    def hit_dict(self, hit: Hit) -> dict:
        """The JSON dict of one hit (as in `Reply.to_dict()`), for look-ups outside a reply."""
        return models.hit_dict(hit, self.documents, self.composer.notice_by_passage)



@cache
def _freeze_imports() -> None:
    """Move what is loaded so far (nltk, numpy, rank_bm25: alive as long as the process) out
    of the garbage collector's reach, once: building a Bot then triggers no full collection
    over those objects, about 10 ms of every cold start."""
    gc.freeze()


def load(corpus_dir: str | Path | None = None, config: Config | None = None) -> Bot:
    """Load and index a corpus folder (default: the bundled guide).

    Raises CorpusError (one line, naming the path) when the folder is unusable or holds no
    usable document.
    """
    _freeze_imports()
    root = Path(corpus_dir) if corpus_dir is not None else bundled_dir()
    docs, skipped, warnings = load_folder(root)
    if not docs:
        detail = f" ({len(skipped)} file(s) skipped)" if skipped else ""
        raise CorpusError(f"no usable document in {root}{detail}")
    return Bot(docs, skipped, warnings, config or Config.from_env(), outdated_marks(root),
               root=root)
