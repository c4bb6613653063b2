"""Build the reply: which kind, which fixed message, which verbatim quotes.

The decision to answer rests on coverage of the question's informative terms (after aliases,
lexicon and spelling), never on a raw score: the best passage must cover at least
MIN_COVERAGE of the question's informative weight, and the question must not be about a topic
every loaded document declares it does not cover. Otherwise the reply is `no_match`, with the
best candidates as `related` pointers that are never presented as answers.
"""

from __future__ import annotations

import re

from .lexicon import Expansion
from .messages import Messages
from .models import Document, Hit, Reply
from .safety import Flag

MIN_COVERAGE = 0.6
MIN_COVERAGE_ADVICE = 0.4
KEEP_COVERAGE = 0.4
RELATED = 3


class Composer:
    """Turns a flag, an expansion and ranked hits into a Reply."""

    def __init__(self, messages: Messages, documents: dict[str, Document],
                 outdated: dict[str, str]):
        self.messages = messages
        self.documents = documents
        self.outdated = outdated
        self._notice_by_passage = {pid: messages.get("outdated") for pid in outdated}
        scopes = [set(d.not_covered) for d in documents.values()]
        common = set.intersection(*scopes) if scopes else set()
        self.not_covered = [re.compile(p) for p in sorted(common)]

    def reply(self, question: str, kind: str, message: str | None, query: str,
              passages: list[Hit] | tuple[Hit, ...] = (), related: list[Hit] | tuple[Hit, ...] = (),
              notices: tuple[str, ...] = ()) -> Reply:
        flagged = tuple(self.messages.get("outdated") for h in passages
                        if h.passage.id in self.outdated)
        notices = notices + (flagged[:1] if flagged else ())
        return Reply(question, kind, message, query, tuple(passages), tuple(related), notices,
                     documents=self.documents,
                     outdated=self._notice_by_passage)

    def out_of_scope(self, normalised: str) -> bool:
        """The question is about a topic every loaded document says it does not cover."""
        return any(rx.search(normalised) for rx in self.not_covered)

    def select(self, exp: Expansion, hits: list[Hit], k: int, offset: int = 0,
               normalised: str = "", advice: bool = False) -> tuple[list[Hit], list[Hit]]:
        """(answers, related): answers only when the best passage covers the question.

        Advice questions carry decision words ("switch", "dose") that no passage holds, so
        their general quotes need a little less coverage.
        """
        if not hits:
            return [], []
        need = MIN_COVERAGE_ADVICE if advice else MIN_COVERAGE
        if hits[0].coverage < need or self.out_of_scope(normalised):
            return [], self.related(exp, hits)
        floor = max(KEEP_COVERAGE, hits[0].coverage * 0.5)
        kept = [h for h in hits if h.coverage >= floor]
        return kept[offset : offset + k], []

    @staticmethod
    def related(exp: Expansion, hits: list[Hit]) -> list[Hit]:
        """Pointers for a question the guide does not answer: the best passage for each of the
        question's words ("the guide mentions tamoxifen here"), most covering first."""
        out: list[Hit] = []
        for concept in sorted(exp.concepts, key=lambda c: -max(
                (h.coverage for h in hits if c.label in h.matched), default=0.0)):
            best = next((h for h in hits if concept.label in h.matched), None)
            if best is not None and best not in out:
                out.append(best)
        for h in hits:
            if len(out) >= RELATED:
                break
            if h not in out:
                out.append(h)
        return out[:RELATED]

    def compose(self, question: str, exp: Expansion, hits: list[Hit], flag: Flag | None,
                k: int, offset: int = 0, normalised: str = "",
                notices: tuple[str, ...] = ()) -> Reply:
        query = exp.query_used
        if exp.corrections:
            notices = notices + (self.messages.get("corrected", query=query),)
        answers, related = self.select(exp, hits, k, offset, normalised,
                                       advice=bool(flag and flag.kind == "advice"))
        if flag and flag.kind == "urgent":
            return self.reply(question, "emergency", self.messages.get("urgent"), query,
                              answers, (), notices)
        if flag and flag.kind == "advice":
            if answers:
                return self.reply(question, "advice", self.messages.get("advice"), query,
                                  answers, (), notices)
            return self.reply(question, "advice", self.messages.get("advice_no_quotes"), query,
                              (), related, notices)
        if answers:
            return self.reply(question, "answer", None, query, answers, (), notices)
        if offset and hits and not related:
            return self.reply(question, "no_match", self.messages.get("more_none"), query,
                              (), (), notices)
        return self.reply(question, "no_match", self.messages.get("no_match"), query,
                          (), related, notices)
