"""A conversation: successive turns, with follow-ups resolved against earlier ones.

Follow-ups: a pronoun ("who is it for?") takes the last answered topic; "And Kisqali?" swaps
the named thing in the last question; "what about ..." and very short questions add the last
topic; "more" pages through the last question; "show context" quotes the neighbours of the
last quoted passage. A question with its own subject and no such marker starts a new topic.
Safety is always judged on the user's own words, never on the rewritten question.
"""

from __future__ import annotations

import re
from functools import cache

from . import datafiles
from .chatbot import Bot
from .models import Hit, Reply, Turn
from .sanitize import clean, normalise

_MORE = re.compile(
    r"(show |give |tell )?(me )?(some )?(more|next|others?|anything else)"
    r"( please| results| passages| quotes| answers)?( please)?"
)
_CONTEXT = re.compile(
    r"(show |give )?(me )?(the )?(context|surrounding text|more context|text around (it|that)|"
    r"where is (it|that|this) from)( please)?"
)
_PRONOUN = re.compile(
    r"\b(it|its|it's|itself|they|them|their|this|that|these|those|this drug|that drug|the drug|"
    r"the same|this treatment|that treatment|the treatment|this one|that one|this therapy|"
    r"that therapy)\b"
    # "can I get one?", "how do I ask for one?": "one" for the thing the last answer named
    r"|(?<=\bget )one\b|(?<=\bhave )one\b|(?<=\btry )one\b|(?<=\bneed )one\b|(?<=\bwant )one\b"
    r"|(?<=\btreated with )one\b|(?<=\bput on )one\b|(?<=\bjoin )one\b|(?<=\bask for )one\b"
    r"|(?<=\bstart )one\b|(?<=\btake )one\b|(?<=\bbe on )one\b"
)
_ELLIPSIS = re.compile(
    r"^(and|also|plus|but|so|then|what about|how about|and what about|and how about|what if|"
    r"same for|and for|how about for|what else)\b"
)
SHORT = 4


def _asked(norm: str) -> str:
    """The question without its closing mark, so the topic added after it stays part of the
    question sentence (not a story sentence after it)."""
    return norm.rstrip(" ?!.")


@cache
def _aspects() -> frozenset[str]:
    return frozenset(datafiles.lines("aspects.txt"))


def is_aspect(label: str) -> bool:
    """A concept that asks about a topic rather than naming one ("side effects", "dose")."""
    label = label.casefold().strip()
    return label in _aspects() or all(w in _aspects() for w in label.split())


class Conversation:
    """The state of one chat: what the TUI holds per chat and `bot chat` drives."""

    def __init__(self, bot: Bot, k: int = 3):
        self.bot = bot
        self.k = k
        self.turns: list[Turn] = []
        self._topic: tuple[str, ...] = ()
        self._entity: str = ""
        self._last_query: str = ""
        self._offset = 0
        self._last_quoted: str | None = None

    def ask(self, question: str) -> Reply:
        """Answer one turn and remember it."""
        question = clean(question[:8000])
        norm = normalise(question)
        bare = re.sub(r"[^\w\s']", " ", norm)
        bare = re.sub(r"\s+", " ", bare).strip()
        if self._last_query and _MORE.fullmatch(bare):
            reply = self._more(question)
        elif _CONTEXT.fullmatch(bare):
            reply = self._context(question)
        else:
            searched = self.rewrite(norm)
            reply = self.bot.ask(question, self.k, searched=searched)
            if reply.kind in ("answer", "advice", "emergency", "no_match") and reply.query_used:
                self._last_query = reply.query_used
                self._offset = 0
            if reply.passages and reply.kind in ("answer", "advice", "emergency"):
                self._remember(reply)
        if reply.passages:
            self._last_quoted = reply.passages[0].passage.id
        self.turns.append(Turn(question, reply.query_used, reply, " ".join(self._topic)))
        return reply

    def _remember(self, reply: Reply) -> None:
        exp = self.bot.expand(reply.query_used)
        top = reply.passages[0]
        matched = set(top.matched)
        # The topic is the last answered focus (a drug, a treatment); failing that, the
        # matched words that are not aspects.
        named = [c.label for c in exp.focus if c.source in ("alias", "word") and c.label in matched]
        focus = [c.label for c in exp.focus if c.label in matched and not is_aspect(c.label)]
        topic = tuple(named or focus or [c.label for c in exp.concepts
                                         if c.label in matched and not is_aspect(c.label)])
        if topic:
            self._topic = topic
            self._entity = named[0] if named else ""

    def rewrite(self, norm: str) -> str | None:
        """The question to search for a follow-up, or None for a question that stands alone."""
        if not self._topic:
            return None
        topic = " ".join(self._topic)
        exp = self.bot.expand(norm)
        own_entity = [c for c in exp.concepts if c.source == "alias"]
        own_focus = [c for c in exp.focus if c.source in ("alias", "word")]
        ellipsis = _ELLIPSIS.match(norm)
        pronoun = _PRONOUN.search(norm)
        if ellipsis and own_focus and self._entity and len(exp.concepts) <= 2:
            new = own_focus[0].label
            swapped = re.sub(re.escape(self._entity), new, self._last_query, count=1)
            if swapped != self._last_query:
                return swapped
        if pronoun and not own_entity:
            return norm[: pronoun.start()] + topic + norm[pronoun.end():]
        if pronoun and own_entity:
            return None if len(exp.concepts) >= 2 else f"{_asked(norm)} {topic}"
        if ellipsis and own_focus:
            return None  # "what about Kisqali?": a new focus, asked the same way
        only_aspects = bool(exp.concepts) and all(is_aspect(c.label) for c in exp.concepts)
        if ellipsis or only_aspects or (len(exp.concepts) <= 1 and len(norm.split()) <= SHORT
                                        and not own_entity and not exp.concepts):
            return f"{_asked(norm)} {topic}"
        return None

    def _more(self, question: str) -> Reply:
        self._offset += self.k
        reply = self.bot.ask(self._last_query, self.k, offset=self._offset,
                             searched=self._last_query)
        if not reply.passages:
            return self.bot.make_reply(question, "no_match",
                                       self.bot.messages.get("more_none"), self._last_query)
        return self.bot.make_reply(question, reply.kind, reply.message, self._last_query,
                                   reply.passages, reply.notices)

    def _context(self, question: str) -> Reply:
        if not self._last_quoted:
            return self.bot.make_reply(question, "smalltalk",
                                       self.bot.messages.get("context_none"), "")
        hits = [Hit(p, 0.0) for p in self.bot.neighbours(self._last_quoted, 1)]
        return self.bot.make_reply(question, "answer", self.bot.messages.get("context"),
                                   self._last_query, hits)
