"""Frozen values that cross module boundaries: documents, passages, hits, replies, turns.

`Reply.to_dict()` is the JSON contract other tools rely on.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

KINDS = ("answer", "advice", "emergency", "no_match", "smalltalk")


@dataclass(frozen=True)
class Document:
    """One corpus file as loaded: its text (sanitised) and its manifest entry."""

    doc_id: str
    name: str
    title: str
    source: str
    content_date: str
    text: str
    not_covered: tuple[str, ...] = ()
    answers: tuple[str, ...] = ()  # question types (bot/data/question_types.json) it answers
    does_not_answer: tuple[str, ...] = ()  # ... and those it declares it does not
    format: str = "text"
    blocks: tuple[Block, ...] = ()
    table_columns: tuple[tuple[str, tuple[str, ...]], ...] = ()
    added_headings: tuple[tuple[str, str], ...] = ()

    @property
    def lines(self) -> list[str]:
        return self.text.split("\n")


@dataclass(frozen=True)
class Block:
    """One unit of a marked-up document as its parser read it, with markup removed.

    `text` is the words in document order (entities decoded, whitespace folded; list items
    one per line); `line_start`/`line_end` are the source file's lines; `char_start`/`char_end`
    locate `text` in the document's rendered `Document.text`.
    """

    kind: str  # "heading", "paragraph", "list" or "table_row"
    text: str
    line_start: int
    line_end: int
    level: int = 0
    cells: tuple[tuple[str, str], ...] = ()
    caption: str = ""
    char_start: int = 0
    char_end: int = 0


class Passage(NamedTuple):
    """A readable unit of a document: `text == doc.text[char_start:char_end]`, verbatim.

    `line_start`..`line_end` are the source file's lines that hold it. A table row has `cells`:
    (column label, cell text) pairs, each label an exact substring of the table's header row and
    each cell an exact substring of `text`. `added_headings` are the indexes in `section` of
    headings that staff added in the manifest (not the document's own words).
    A NamedTuple (immutable, like the dataclasses here) because a library holds 100k of them
    and tuples are built several times faster.
    """

    id: str
    doc_id: str
    section: tuple[str, ...]
    text: str
    line_start: int
    line_end: int
    order: int
    kind: str = "paragraph"
    cells: tuple[tuple[str, str], ...] = ()
    char_start: int = 0
    char_end: int = 0
    added_headings: tuple[int, ...] = ()

    @property
    def section_label(self) -> str:
        return " > ".join(self.section)

    def staff_label(self) -> str:
        """The section path with each heading staff added marked as such (for staff views)."""
        return " > ".join(f"{s} (heading added by staff)" if i in self.added_headings else s
                          for i, s in enumerate(self.section))


@dataclass(frozen=True)
class Hit:
    """A passage returned for a question, with why it matched."""

    passage: Passage
    score: float
    highlights: tuple[tuple[int, int], ...] = ()
    best_sentence: tuple[int, int] | None = None
    matched: tuple[str, ...] = ()
    coverage: float = 0.0
    contributions: tuple[tuple[str, float], ...] = ()


@dataclass(frozen=True)
class Skipped:
    """A corpus file that was not indexed, and why."""

    path: str
    reason: str


def hit_dict(hit: Hit, documents: dict[str, Document], outdated: dict[str, str]) -> dict:
    """One quoted passage as in the JSON contract: where it is from, its verbatim text, cells."""
    p = hit.passage
    doc = documents.get(p.doc_id)
    return {
        "id": p.id,
        "doc": doc.name if doc else p.doc_id,
        "doc_title": doc.title if doc else p.doc_id,
        "content_date": doc.content_date if doc else "undated",
        "section": p.section_label,
        "text": p.text,
        "line_start": p.line_start,
        "line_end": p.line_end,
        "cells": [{"column": c, "text": t} for c, t in p.cells],
        "score": round(hit.score, 4),
        "highlights": [list(s) for s in hit.highlights],
        "best_sentence": list(hit.best_sentence) if hit.best_sentence else None,
        "notice": outdated.get(p.id),
    }


@dataclass(frozen=True)
class Reply:
    """What the bot says to one question: a fixed message and/or verbatim quotes."""

    question: str
    kind: str
    message: str | None
    query_used: str
    passages: tuple[Hit, ...] = ()
    related: tuple[Hit, ...] = ()
    notices: tuple[str, ...] = ()
    documents: dict[str, Document] = field(default_factory=dict, compare=False, repr=False)
    outdated: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    def hit_dict(self, hit: Hit) -> dict:
        return hit_dict(hit, self.documents, self.outdated)

    def general_notices(self) -> list[str]:
        """Notices about the reply as a whole; the outdated notice is shown with its passage."""
        per_passage = set(self.outdated.values())
        return [n for n in self.notices if n not in per_passage]

    def to_dict(self) -> dict:
        return {
            "question": self.question,
            "kind": self.kind,
            "message": self.message,
            "query_used": self.query_used,
            "notices": list(self.notices),
            "passages": [self.hit_dict(h) for h in self.passages],
            "related": [self.hit_dict(h) for h in self.related],
        }


@dataclass(frozen=True)
class Turn:
    """One exchange of a conversation: what was asked, how it was resolved, the reply."""

    question: str
    query_used: str
    reply: Reply
    topic: str = ""


def citation(p: dict) -> str:
    """Where a quoted passage comes from, as one line: title (file), lines, content date."""
    lines = (f"line {p['line_start']}" if p["line_start"] == p["line_end"]
             else f"lines {p['line_start']}-{p['line_end']}")
    return f"{p['doc_title']} ({p['doc']}), {lines}, content date: {p['content_date']}"


def short_section(p: Passage) -> str:
    """The section path for a narrow screen: a table row shows its table, not every heading."""
    if p.kind == "table_row" and len(p.section) >= 2:
        return " > ".join(p.section[-2:])
    return p.section_label


def short_label(section: tuple[str, ...] | str, width: int) -> str:
    """A section path in at most `width` characters, never cut mid-word.

    Whole headings are dropped from the left at a " > " (shown as "… > "); a last heading that
    is still too long is cut at a space and ends with "…".
    """
    parts = tuple(section.split(" > ")) if isinstance(section, str) else tuple(section)
    label = " > ".join(parts)
    if len(label) <= width:
        return label
    for n in range(1, len(parts)):
        label = "… > " + " > ".join(parts[n:])
        if len(label) <= width:
            return label
    last = parts[-1] if parts else ""
    cut = last[: max(width - 1, 0)]
    if " " in cut and not last[len(cut):len(cut) + 1].isspace():
        cut = cut[: cut.rfind(" ")]
    cut = cut.rstrip(" >,;:")
    return cut + "…" if cut else ""
