"""The patients' chat: a calm transcript of questions, fixed messages and verbatim quotes."""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static

if TYPE_CHECKING:
    from bot.chatbot import Bot

from bot.messages import Messages, examples
from bot.models import Reply, citation
from bot.sanitize import clean, normalise

from .widgets import HistoryInput, MessageCard, QuestionCard, QuoteCard


class ChatScreen(Screen):
    """Ask, read quotes, follow up; copy or export what was said."""

    CSS_PATH = "chat.tcss"
    BINDINGS = [
        Binding("ctrl+n", "more", "More"),
        Binding("ctrl+t", "context", "Context"),
        Binding("ctrl+y", "copy", "Copy quote"),
        Binding("ctrl+s", "export", "Export"),
    ]

    @dataclass
    class Answered(Message):
        """A reply is ready (posted from the worker thread)."""

        question: str
        reply: Reply

    def __init__(self, bot: Bot | None, messages: Messages | None = None, **kwargs):
        super().__init__(**kwargs)
        self.bot: Bot | None = None
        self.messages = messages or (bot.messages if bot else Messages())
        self.conversation = None
        self.replies: list[Reply] = []
        self._lock = threading.Lock()
        self._pending: list[str] = []
        self._given = bot

    def compose(self) -> ComposeResult:
        yield Static(Content.assemble(("Verbatim", "bold"), " ", (self.messages.get("opening"), "dim")),
                     id="title")
        yield Static(Content(self.messages.get("standing")), id="standing")
        with VerticalScroll(id="transcript"):
            yield Static(Content(self.messages.get("examples_title")), id="examples-title")
            yield OptionList(*[Content(q) for q in examples()], id="examples")
        yield Static("", id="status")
        yield HistoryInput(placeholder="Type your question and press Enter", id="ask",
                           )
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#ask", HistoryInput).focus()
        if self._given is not None:
            self.attach(self._given)

    def attach(self, bot: Bot) -> None:
        """The documents are loaded: show their title and answer any question already asked."""
        from bot.conversation import Conversation

        self.bot = bot
        self.messages = bot.messages
        self.conversation = Conversation(bot, k=3)
        docs = list(bot.documents.values())
        title = docs[0].title if len(docs) == 1 else f"{len(docs)} documents"
        dates = sorted({d.content_date for d in docs})
        self.query_one("#title", Static).update(Content.assemble(
            (clean(title), "bold"), (" · content date: " + ", ".join(dates), "dim")))
        pending, self._pending = self._pending, []
        for text in pending:
            self.run_turn(text)

    # --- asking -----------------------------------------------------------------------

    @on(HistoryInput.Submitted, "#ask")
    def submitted(self, event: HistoryInput.Submitted) -> None:
        text = event.value
        box = self.query_one("#ask", HistoryInput)
        box.remember(text.strip())
        box.value = ""
        self.ask(text)

    @on(OptionList.OptionSelected, "#examples")
    def example_chosen(self, event: OptionList.OptionSelected) -> None:
        self.ask(str(event.option.prompt))
        self.query_one("#ask", HistoryInput).focus()

    def ask(self, text: str) -> None:
        """Send a turn to the conversation off the UI thread (once the documents are open)."""
        self.query_one("#status", Static).update(Content(self.messages.get("working")))
        if self.conversation is None:
            self._pending.append(text)
        else:
            self.run_turn(text)

    @work(thread=True, group="ask")
    def run_turn(self, text: str) -> None:
        with self._lock:
            assert self.conversation is not None
            reply = self.conversation.ask(text)
        self.post_message(self.Answered(text, reply))

    @on(Answered)
    def show_reply(self, event: Answered) -> None:
        self.query_one("#status", Static).update("")
        transcript = self.query_one("#transcript", VerticalScroll)
        for node in transcript.query("#examples, #examples-title"):
            node.remove()
        at_bottom = transcript.scroll_y >= transcript.max_scroll_y - 1
        reply = event.reply
        self.replies.append(reply)
        question = QuestionCard(event.question)
        cards = [question, *self.cards(reply)]
        transcript.mount_all(cards)
        if at_bottom or len(self.replies) == 1:
            self.call_after_refresh(transcript.scroll_to_widget, question, top=True, animate=False)

    def cards(self, reply: Reply) -> list:
        """Widgets for one reply: the fixed message first, then notices, quotes, pointers."""
        d = reply.to_dict()
        out: list = []
        if d["message"]:
            out.append(MessageCard(d["message"], reply.kind))
        if d["query_used"] and reply.kind != "smalltalk" and normal(d["query_used"]) != normal(d["question"]):
            out.append(MessageCard(self.messages.get("corrected", query=d["query_used"])))
        shown = {self.messages.get("corrected", query=d["query_used"])}
        out += [MessageCard(n) for n in reply.general_notices() if n not in shown]
        out += [QuoteCard(reply, h) for h in reply.passages]
        if reply.related:
            out.append(MessageCard(self.messages.get("related_note"), "no_match"))
            for h in reply.related:
                p = reply.hit_dict(h)
                first = " ".join(p["text"].split())[:90]
                out.append(MessageCard(f"{p['section']}: {first}... ({citation(p)})"))
        return out

    # --- actions on the last reply -----------------------------------------------------

    def action_more(self) -> None:
        self.ask("more")

    def action_context(self) -> None:
        self.ask("show context")

    def last_quote(self) -> tuple[Reply, dict] | None:
        for reply in reversed(self.replies):
            if reply.passages:
                return reply, reply.hit_dict(reply.passages[0])
        return None

    def action_copy(self) -> None:
        found = self.last_quote()
        if found is None:
            self.notify(self.messages.get("nothing_to_copy"), markup=False)
            return
        _, p = found
        self.app.copy_to_clipboard(f"{p['text'].strip()}\n\n{p['section']}\n{citation(p)}")
        self.notify(self.messages.get("copied"), markup=False)

    def action_export(self) -> None:
        if not self.replies:
            self.notify(self.messages.get("nothing_to_export"), markup=False)
            return
        self.app.export_transcript(list(self.replies), self.messages)  # type: ignore[attr-defined]


def normal(question: str) -> str:
    """The question as the engine reads it, for telling whether it was rewritten."""
    return re.sub(r"\W+", "", normalise(question))
