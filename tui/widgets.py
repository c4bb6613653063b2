"""Widgets that show untrusted text safely: every document and question goes through Content,
never through markup, so "[bold]x[/]" or "[@click=app.quit]" is shown as typed.
"""

from __future__ import annotations

from textual.binding import Binding
from textual.content import Content
from textual.widgets import Footer, Input, Static
from textual.widgets._footer import FooterKey

from bot.models import Hit, short_section
from bot.sanitize import clean

from .export import source_for_people


def styled_span(hit: Hit, a: int, b: int, highlight: bool = True) -> Content:
    """passage.text[a:b] with the matched words and the best sentence emphasised."""
    content = Content(clean(hit.passage.text[a:b]))
    if not highlight:
        return content
    if hit.best_sentence:
        s, e = hit.best_sentence
        if s < b and e > a:
            content = content.stylize("italic", max(0, s - a), min(b, e) - a)
    for s, e in hit.highlights:
        if s < b and e > a:
            content = content.stylize("bold underline", max(0, s - a), min(b, e) - a)
    return content


def passage_content(hit: Hit, highlight: bool = True) -> Content:
    """The passage text (without its surrounding blank lines), emphasised."""
    text = hit.passage.text
    a = len(text) - len(text.lstrip("\n"))
    b = len(text.rstrip("\n"))
    return styled_span(hit, a, max(a, b), highlight)


def cells_content(hit: Hit, highlight: bool = True) -> Content | None:
    """A table row as labelled cells, one per line (label dim and bold, then the cell);
    None for prose. Each cell is found in the row, so its emphasis follows the row's."""
    cells = getattr(hit.passage, "cells", ()) or ()
    if not cells:
        return None
    text = hit.passage.text
    parts: list[Content] = []
    at = 0
    for label, cell in cells:
        where = text.find(cell, at)
        body = (styled_span(hit, where, where + len(cell), highlight) if where >= 0 and cell
                else Content(clean(cell)))
        if where >= 0:
            at = where + len(cell)
        parts.append(Content.assemble((clean(label), "dim bold"), ": ", body) if label else body)
    return Content("\n").join(parts)


def where(d: dict) -> str:
    return (f"line {d['line_start']}" if d["line_start"] == d["line_end"]
            else f"lines {d['line_start']}-{d['line_end']}")


class QuoteCard(Static):
    """One quoted passage as a patient reads it: title and section, then the document's own
    words (a table row as labelled cells), then any notice. No line numbers, ids or scores."""

    DEFAULT_CSS = """
    QuoteCard { border-left: thick $accent; padding: 0 1; margin: 0 0 1 2; height: auto; }
    QuoteCard.outdated { border-left: thick $warning; }
    """

    def __init__(self, d: dict, hit: Hit, with_date: bool = False, **kwargs):
        self.hit = hit
        self.data = d
        self.with_date = with_date
        self._width = 70
        super().__init__(self.build(self._width), **kwargs)
        if d["notice"]:
            self.add_class("outdated")

    def build(self, width: int) -> Content:
        """The card's text with its source line fitted to `width` columns."""
        source = source_for_people(self.data, self.with_date, short_section(self.hit.passage),
                                   width=width)
        body = cells_content(self.hit) or passage_content(self.hit)
        parts: list[Content | str | tuple[str, str]] = [(clean(source), "dim italic"), "\n", body]
        if self.data["notice"]:
            parts += ["\n", (self.data["notice"], "bold $warning")]
        return Content.assemble(*parts)

    def on_resize(self, event) -> None:
        if event.size.width and event.size.width != self._width:
            self._width = event.size.width
            self.update(self.build(self._width))


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


class KeyHints(Footer):
    """The footer, whose keys named in `spare` get the class "-spare" so a narrow screen can
    leave them out (they still work; F1 help lists every key)."""

    def __init__(self, spare: frozenset[str] = frozenset(), **kwargs):
        super().__init__(**kwargs)
        self.spare = spare

    def compose(self):
        for widget in super().compose():
            if isinstance(widget, FooterKey) and widget.action in self.spare:
                widget.add_class("-spare")
            yield widget


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
