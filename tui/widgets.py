"""Widgets that show untrusted text safely: every document and question goes through Content,
never through markup, so "[bold]x[/]" or "[@click=app.quit]" is shown as typed.
"""

from __future__ import annotations

from textual.binding import Binding
from textual.content import Content
from textual.widgets import Input, Static

from bot.models import Hit, Reply, short_section
from bot.sanitize import clean


def passage_content(hit: Hit, highlight: bool = True) -> Content:
    """The passage text with matched words and the best sentence emphasised."""
    text = clean(hit.passage.text.strip("\n"))
    offset = len(hit.passage.text) - len(hit.passage.text.lstrip("\n"))
    content = Content(text)
    if not highlight:
        return content
    if hit.best_sentence:
        a, b = hit.best_sentence
        content = content.stylize("italic", max(0, a - offset), max(0, b - offset))
    for a, b in hit.highlights:
        content = content.stylize("bold underline", max(0, a - offset), max(0, b - offset))
    return content


def where(d: dict) -> str:
    return (f"line {d['line_start']}" if d["line_start"] == d["line_end"]
            else f"lines {d['line_start']}-{d['line_end']}")


class QuoteCard(Static):
    """One quoted passage: section path, the verbatim text, its citation, any notice."""

    DEFAULT_CSS = """
    QuoteCard { border-left: thick $accent; padding: 0 1; margin: 0 0 1 2; height: auto; }
    QuoteCard.outdated { border-left: thick $warning; }
    """

    def __init__(self, reply: Reply, hit: Hit, **kwargs):
        d = reply.hit_dict(hit)
        parts: list[Content | str | tuple[str, str]] = [
            (clean(short_section(hit.passage) or "Quote"), "dim"), "\n", passage_content(hit), "\n",
            (clean(f"{d['doc_title']}, {where(d)}, content date: {d['content_date']}"), "dim italic"),
        ]
        if d["notice"]:
            parts += ["\n", (d["notice"], "bold $warning")]
        super().__init__(Content.assemble(*parts), **kwargs)
        self.hit = hit
        if d["notice"]:
            self.add_class("outdated")


class MessageCard(Static):
    """A fixed message, styled by the kind of reply it belongs to."""

    DEFAULT_CSS = """
    MessageCard { padding: 0 1; margin: 0 0 1 0; height: auto; }
    MessageCard.emergency { background: $error; color: $text; text-style: bold;
                            border: heavy $error-lighten-2; }
    MessageCard.advice { border-left: thick $warning; }
    MessageCard.no_match, MessageCard.smalltalk { border-left: thick $secondary; }
    MessageCard.notice { color: $text-muted; margin: 0 0 0 2; }
    """

    def __init__(self, text: str, kind: str = "notice", **kwargs):
        super().__init__(Content(clean(text)), **kwargs)
        self.add_class(kind)


class QuestionCard(Static):
    """What the user asked, shown literally."""

    DEFAULT_CSS = """
    QuestionCard { text-style: bold; margin: 1 0 0 0; height: auto; }
    """

    def __init__(self, question: str, **kwargs):
        super().__init__(Content.assemble(("You: ", "bold $primary"), clean(question).strip()),
                         **kwargs)


class HistoryInput(Input):
    """An input whose Up and Down keys recall earlier questions."""

    BINDINGS = [
        Binding("up", "history(-1)", "Previous question", show=False),
        Binding("down", "history(1)", "Next question", show=False),
    ]

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.cursor_blink = False
        self.history: list[str] = []
        self._pos = 0

    def remember(self, text: str) -> None:
        if text and (not self.history or self.history[-1] != text):
            self.history.append(text)
        self._pos = len(self.history)

    def action_history(self, step: int) -> None:
        """Show the previous (step -1) or next (step 1) question asked."""
        if not self.history:
            return
        self._pos = max(0, min(len(self.history), self._pos + step))
        self.value = self.history[self._pos] if self._pos < len(self.history) else ""
        self.cursor_position = len(self.value)


def calm_input(**kwargs) -> Input:
    """An Input whose cursor does not blink (no animation on slow terminals)."""
    box = Input(**kwargs)
    box.cursor_blink = False
    return box
