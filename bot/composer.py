"""Build the reply: which kind, which fixed message, which verbatim quotes.

Whether to quote is not decided here: `bot/decision.py` decides; this module turns that
decision and the safety flag into a `Reply` with the right fixed message.
"""

from __future__ import annotations

from collections.abc import Sequence

from .decision import Decider
from .lexicon import Expansion
from .messages import Messages
from .models import Document, Hit, Passage, Reply
from .question import type_name
from .safety import Flag


class Composer:
    """Turns a flag, an expansion and ranked hits into a Reply."""

    def __init__(self, messages: Messages, documents: dict[str, Document],
                 outdated: dict[str, str], vocab: frozenset[str] = frozenset(),
                 passages: Sequence[Passage] = ()):
        self.messages = messages
        self.documents = documents
        self.outdated = outdated
        self.notice_by_passage = {pid: messages.get("outdated") for pid in outdated}
        self.decider = Decider(documents, vocab, passages)

    def reply(self, question: str, kind: str, message: str | None, query: str,
              passages: list[Hit] | tuple[Hit, ...] = (), related: list[Hit] | tuple[Hit, ...] = (),
              notices: tuple[str, ...] = ()) -> Reply:
        flagged = next((self.notice_by_passage[h.passage.id] for h in passages
                        if h.passage.id in self.notice_by_passage), None)
        notices = notices + ((flagged,) if flagged else ())
        return Reply(question, kind, message, query, tuple(passages), tuple(related), notices,
                     documents=self.documents,
                     outdated=self.notice_by_passage)

    def compose(self, question: str, exp: Expansion, hits: list[Hit], flag: Flag | None,
                k: int, offset: int = 0, normalised: str = "",
                notices: tuple[str, ...] = ()) -> Reply:
        query = exp.query_used
        if exp.corrections:
            notices = notices + (self.messages.get("corrected", query=query),)
        d = self.decider.decide(exp, hits, k, offset, normalised,
                                advice=bool(flag and flag.kind == "advice"))
        answers, related = list(d.answers), list(d.related)
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
        if offset and hits and d.reason == "answer":
            return self.reply(question, "no_match", self.messages.get("more_none"), query,
                              (), (), notices)
        if d.reason == "type_not_covered" and d.qtype:
            message = self.messages.get("type_not_covered", qtype=type_name(d.qtype))
        elif d.reason == "not_covered":
            message = self.messages.get("no_match_scope")
        else:
            message = self.messages.get("no_match")
        return self.reply(question, "no_match", message, query, (), related, notices)
