"""The patients' chat: a calm transcript of questions, fixed messages and verbatim quotes.

What the patient sees after each question is the new exchange: its question at the top of
the chat with as much of the reply as fits. Emergency, crisis and urgent messages are also
pinned in a banner above the input until the conversation moves on, so they are fully in
view at any size. A patient who scrolled up to re-read is not moved: a cue says a new reply
is below (PageDown or a click jumps to it).
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import OptionList, Static

if TYPE_CHECKING:
    from bot.chatbot import Bot

from bot.messages import Messages, examples
from bot.models import Reply, citation, short_section
from bot.sanitize import clean, normalise

from .export import show_dates, source_for_people
from .widgets import HistoryInput, KeyHints, MessageCard, QuestionCard, QuoteCard

NEW_BELOW = "↓ New reply below: press PageDown or click here to read it"
HIDE_HINT = "  (Esc hides this)"
SHORT = 20  # rows below which the chat drops borders so the reply, alert and input fit
NARROW = 70  # columns below which the footer keeps only the keys a patient needs most
SPARE = frozenset({"context", "export", "quit"})  # left out of a narrow footer (still work)


class Banner(Static):
    """The latest emergency, crisis or urgent message, pinned above the input (only Escape
    or the conversation moving on hides it: a stray click must not)."""


class NewBelow(Static):
    """The "new reply below" cue; a click jumps to the reply."""

    def on_click(self) -> None:
        self.screen.action_jump_to_new()


class ChatScreen(Screen):
    """Ask, read quotes, follow up; copy or export what was said."""

    CSS_PATH = "chat.tcss"
    BINDINGS = [
        Binding("ctrl+n", "more", "More"),
        Binding("ctrl+t", "context", "Context"),
        Binding("ctrl+y", "copy", "Copy"),
        Binding("ctrl+s", "export", "Export"),
        Binding("escape", "hide_alarm", "Hide alert"),
        Binding("pageup", "page(-1)", "Scroll up", show=False),
        Binding("pagedown", "page(1)", "Scroll down", show=False),
    ]

    alarm: reactive[str] = reactive("", init=False)
    """The emergency, crisis or urgent message pinned above the input ("" for none)."""
    new_below: reactive[bool] = reactive(False, init=False)
    """A reply arrived below a patient who had scrolled up to re-read."""

    @dataclass
    class Answered(Message):
        """A reply is ready (posted from the worker thread)."""

        question: str
        reply: Reply
        follow: bool = False

    def __init__(self, bot: Bot | None, messages: Messages | None = None, **kwargs):
        super().__init__(**kwargs)
        self.bot: Bot | None = None
        self.messages = messages or (bot.messages if bot else Messages())
        self.conversation = None
        self.replies: list[Reply] = []
        self.questions: list[QuestionCard] = []
        self.quote_dates = False
        self._lock = threading.Lock()
        self._pending: list[str] = []
        self._scroll_pending = False
        self._given = bot

    def compose(self) -> ComposeResult:
        yield Static(Content.assemble(("Verbatim", "bold"), " ", (self.messages.get("opening"), "dim")),
                     id="title")
        yield Static(Content(self.messages.get("standing")), id="standing")
        with VerticalScroll(id="transcript"):
            yield Static(Content(self.messages.get("examples_title")), id="examples-title")
            yield OptionList(*[Content(q) for q in examples()], id="examples")
        yield NewBelow(Content(NEW_BELOW), id="new-below")
        yield Banner("", id="banner")
        yield Static("", id="status")
        yield HistoryInput(placeholder="Type your question and press Enter", id="ask")
        yield KeyHints(SPARE, show_command_palette=False, compact=True)

    def on_mount(self) -> None:
        self.query_one("#ask", HistoryInput).focus()
        self.watch(self.query_one("#transcript"), "scroll_y", self._scrolled, init=False)
        if self._given is not None:
            self.attach(self._given)

    def on_resize(self, event: events.Resize) -> None:
        """Fit the new size; a patient following the conversation keeps the newest question
        in view (text reflows, so the same scroll offset would show something else)."""
        following = bool(self.questions) and not self.new_below and not self.scrolled_up()
        self.fit(event.size)
        if following:
            self._scroll_pending = True
            self.call_after_refresh(self.bring_into_view, self.questions[-1])

    def fit(self, size: Size) -> None:
        """Drop borders on short screens and spare keys on narrow ones."""
        self.set_class(size.height < SHORT, "-short")
        self.set_class(size.width < NARROW, "-narrow")
        self.query_one("#ask", HistoryInput).compact = size.height < SHORT

    def attach(self, bot: Bot) -> None:
        """The documents are loaded: show their title and answer any question already asked."""
        from bot.conversation import Conversation

        self.bot = bot
        self.messages = bot.messages
        self.conversation = Conversation(bot, k=3)
        docs = list(bot.documents.values())
        title = docs[0].title if len(docs) == 1 else f"{len(docs)} documents"
        dates = sorted({d.content_date for d in docs})
        self.quote_dates = show_dates([{"content_date": d} for d in dates])
        self.query_one("#title", Static).update(Content.assemble(
            (clean(title), "bold"), (" · content date: " + ", ".join(dates), "dim")))
        pending, self._pending = self._pending, []
        for text in pending:
            self.run_turn(text)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "hide_alarm":
            return bool(self.alarm)
        return True

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

    def ask(self, text: str, follow: bool = False) -> None:
        """Send a turn to the conversation off the UI thread (once the documents are open)."""
        self.query_one("#status", Static).update(Content(self.messages.get("working")))
        if self.conversation is None:
            self._pending.append(text)
        else:
            self.run_turn(text, follow)

    @work(thread=True, group="ask")
    def run_turn(self, text: str, follow: bool = False) -> None:
        with self._lock:
            assert self.conversation is not None
            reply = self.conversation.ask(text)
        self.post_message(self.Answered(text, reply, follow))

    @on(Answered)
    async def show_reply(self, event: Answered) -> None:
        self.query_one("#status", Static).update("")
        transcript = self.query_one("#transcript", VerticalScroll)
        await transcript.query("#examples, #examples-title").remove()
        follow = event.follow or not self.scrolled_up()
        reply = event.reply
        self.replies.append(reply)
        question = QuestionCard(event.question)
        self.questions.append(question)
        await transcript.mount_all([question, *self.cards(reply)])
        self.alarm = (reply.message or "") if reply.kind == "emergency" else ""
        if follow:
            self._scroll_pending = True
            self.call_after_refresh(self.bring_into_view, question)
        else:
            self.new_below = True

    def scrolled_up(self) -> bool:
        """Whether the patient scrolled above the newest exchange on purpose."""
        if not self.questions or self._scroll_pending:
            return False
        transcript = self.query_one("#transcript", VerticalScroll)
        if transcript.scroll_y >= transcript.max_scroll_y - 1:
            return False
        anchor = min(self.questions[-1].virtual_region_with_margin.y, transcript.max_scroll_y)
        return transcript.scroll_y < anchor - 1

    def bring_into_view(self, question: QuestionCard) -> None:
        """Put a question at the top of the chat (as far as the transcript scrolls)."""
        transcript = self.query_one("#transcript", VerticalScroll)
        transcript.scroll_to_widget(question, top=True, animate=False, immediate=True)
        self._scroll_pending = False
        self.new_below = False

    def _scrolled(self, _old: float, _new: float) -> None:
        if self.new_below and self.questions:
            transcript = self.query_one("#transcript", VerticalScroll)
            top = self.questions[-1].region.y
            if transcript.content_region.y <= top < transcript.content_region.bottom:
                self.new_below = False

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
        out += [QuoteCard(p, h, self.quote_dates)
                for p, h in zip(d["passages"], reply.passages, strict=True)]
        if reply.related:
            out.append(MessageCard(self.messages.get("related_note"), "no_match"))
            for p, h in zip(d["related"], reply.related, strict=True):
                a, b = p["best_sentence"] or (0, len(p["text"]))
                sentence = " ".join(p["text"][a:b].split())
                source = source_for_people(p, self.quote_dates, short_section(h.passage))
                out.append(MessageCard(f"\u201c{sentence}\u201d ({source})"))
        return out

    # --- what the banner and the cue do -------------------------------------------------

    def watch_alarm(self, text: str) -> None:
        banner = self.query_one("#banner", Banner)
        banner.update(Content.assemble(clean(text), (HIDE_HINT, "dim")) if text else "")
        self.set_class(bool(text), "-alarm")
        self.refresh_bindings()

    def watch_new_below(self, value: bool) -> None:
        self.set_class(value, "-new-below")

    def action_hide_alarm(self) -> None:
        self.alarm = ""

    def action_jump_to_new(self) -> None:
        if self.questions:
            self.bring_into_view(self.questions[-1])

    def action_page(self, step: int) -> None:
        """PageUp/PageDown scroll the chat; PageDown goes to a new reply first."""
        transcript = self.query_one("#transcript", VerticalScroll)
        if step > 0 and self.new_below:
            self.action_jump_to_new()
        elif step > 0:
            transcript.scroll_page_down(animate=False)
        else:
            transcript.scroll_page_up(animate=False)

    # --- actions on the reply in view ----------------------------------------------------

    def action_more(self) -> None:
        self.ask("more", follow=True)

    def action_context(self) -> None:
        self.ask("show context", follow=True)

    def quote_in_view(self) -> QuoteCard | None:
        """The first quote the patient can see, else the newest quote."""
        view = self.query_one("#transcript", VerticalScroll).content_region
        cards = list(self.query(QuoteCard))
        for card in cards:
            if card.region.y < view.bottom and card.region.bottom > view.y:
                return card
        return cards[-1] if cards else None

    def action_copy(self) -> None:
        card = self.quote_in_view()
        if card is None:
            self.notify(self.messages.get("nothing_to_copy"), markup=False)
            return
        p = card.data
        self.app.copy_to_clipboard(f"{p['text'].strip()}\n\n{p['section']}\n{citation(p)}")
        self.query_one("#transcript", VerticalScroll).scroll_to_widget(card, animate=False)
        self.notify(self.messages.get("copied"), markup=False)

    def action_export(self) -> None:
        if not self.replies:
            self.notify(self.messages.get("nothing_to_export"), markup=False)
            return
        self.app.export_transcript(list(self.replies), self.messages)  # type: ignore[attr-defined]


def normal(question: str) -> str:
    """The words of a question as the engine reads them, in any order: a long message
    searched question-sentence first is not a rewrite worth showing, a correction is."""
    return " ".join(sorted(re.findall(r"\w+", normalise(question))))

