"""The staff look-up: search as you type, a preview, and why each passage matched."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Input, OptionList, Select, Static
from textual.widgets.option_list import Option

from bot.models import Hit, Passage, citation, short_section
from bot.sanitize import clean

if TYPE_CHECKING:
    from bot.chatbot import Bot

from .widgets import calm_input, passage_content

ALL = "__all__"


class LookupScreen(Screen):
    """Find, audit and copy passages."""

    CSS_PATH = "lookup.tcss"
    BINDINGS = [
        Binding("ctrl+y", "copy", "Copy passage"),
        Binding("ctrl+g", "jump", "Go to id"),
        Binding("ctrl+b", "browse", "Browse"),
        Binding("escape", "app.switch_mode('chat')", "Chat"),
    ]

    @dataclass
    class Found(Message):
        """Search results for one query (posted from the worker thread)."""

        query: str
        hits: list[Hit]

    def __init__(self, bot: Bot, **kwargs):
        super().__init__(**kwargs)
        self.bot = bot
        self.hits: list[Hit] = []
        self.query_text = ""

    def compose(self) -> ComposeResult:
        yield Static(Content(self.bot.messages.get("lookup_intro")), id="lookup-intro")
        yield calm_input(placeholder="Search passages (words, drug names, ids)", id="query",
                    )
        with Horizontal(id="filters"):
            docs = [(Content(clean(d.name)), d.doc_id) for d in self.bot.documents.values()]
            yield Select(docs, prompt="All documents", id="doc-filter", allow_blank=True)
            sections = sorted({p.section_label for p in self.bot.passages if p.section_label})
            yield Select([(Content(clean(s[-60:])), s) for s in sections], prompt="All sections",
                         id="section-filter", allow_blank=True)
        with Horizontal(id="panes"):
            yield OptionList(id="results")
            with VerticalScroll(id="preview-pane"):
                yield Static(id="preview")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#query", Input).focus()
        self.action_browse()

    # --- searching ----------------------------------------------------------------------

    @on(Input.Changed, "#query")
    def changed(self, event: Input.Changed) -> None:
        self.query_text = event.value
        self.search(event.value)

    @on(Select.Changed)
    def filter_changed(self) -> None:
        self.search(self.query_text)

    @work(thread=True, exclusive=True, group="search")
    def search(self, query: str) -> None:
        if query.strip():
            hits = self.bot.search(query, k=50)
        else:
            hits = [Hit(p, 0.0) for p in self.bot.passages]
        self.post_message(self.Found(query, hits))

    @on(Found)
    def found(self, event: Found) -> None:
        if event.query != self.query_text:
            return  # a stale answer for something the user has since changed
        doc = self.query_one("#doc-filter", Select).value
        section = self.query_one("#section-filter", Select).value
        hits = [h for h in event.hits
                if (doc == Select.NULL or h.passage.doc_id == doc)
                and (section == Select.NULL or h.passage.section_label == section)]
        self.hits = hits
        results = self.query_one("#results", OptionList)
        results.clear_options()
        results.add_options([Option(self.row(h), id=h.passage.id) for h in hits])
        if hits:
            results.highlighted = 0
            self.preview(hits[0])
        else:
            self.query_one("#preview", Static).update(
                Content(self.bot.messages.get("no_match")))

    def row(self, hit: Hit) -> Content:
        """One result: score and the start of the passage, then its section, dimmed."""
        p = hit.passage
        snippet = " ".join(p.text.split())
        snippet = snippet if len(snippet) <= 56 else snippet[:55] + "…"
        section = short_section(p)
        section = section if len(section) <= 56 else "…" + section[-55:]
        score = f"{hit.score:5.2f} " if hit.score else ""
        return Content.assemble((score, "bold"), clean(snippet), "\n", (clean(section), "dim"))

    @on(OptionList.OptionHighlighted, "#results")
    def highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option_index is not None and event.option_index < len(self.hits):
            self.preview(self.hits[event.option_index])

    # --- preview ------------------------------------------------------------------------

    def preview(self, hit: Hit) -> None:
        p = hit.passage
        reply = self.bot.composer.reply("", "answer", None, "", [hit])
        d = reply.hit_dict(hit)
        parts: list = [(f"{p.id}", "bold"), "  ", (clean(d["section"]), "dim"), "\n",
                       (clean(citation(d)), "dim italic"), "\n\n", passage_content(hit)]
        if d["notice"]:
            parts += ["\n", (d["notice"], "bold $warning")]
        parts += ["\n\n", ("Why this matched", "bold"), "\n", self.why(hit)]
        parts += ["\n\n", ("Neighbours", "bold")]
        for q in self.bot.neighbours(p.id, 1):
            if q.id != p.id:
                parts += ["\n", (q.id, "bold"), " ", clean(" ".join(q.text.split())[:100])]
        self.query_one("#preview", Static).update(Content.assemble(*parts))

    def why(self, hit: Hit) -> Content:
        if not self.query_text.strip():
            return Content("(no search words)")
        exp = self.bot.expand(self.query_text)
        lines = []
        for old, new in exp.corrections:
            lines.append(f"spelling: {old} -> {new}")
        contrib = dict(hit.contributions)
        for c in exp.concepts:
            alts = ", ".join(" ".join(a) for a, _ in c.alts)
            if c.label in contrib:
                lines.append(f"{c.label}: +{contrib[c.label]:.2f} ({c.source}; searched as {alts})")
            else:
                lines.append(f"{c.label}: not in this passage ({c.source}; searched as {alts})")
        lines.append(f"coverage of the question: {hit.coverage:.0%}")
        return Content("\n".join(clean(x) for x in lines))

    # --- actions ------------------------------------------------------------------------

    def current(self) -> Passage | None:
        results = self.query_one("#results", OptionList)
        i = results.highlighted
        return self.hits[i].passage if i is not None and i < len(self.hits) else None

    def action_copy(self) -> None:
        p = self.current()
        if p is None:
            self.notify(self.bot.messages.get("nothing_to_copy"), markup=False)
            return
        d = self.bot.composer.reply("", "answer", None, "", [Hit(p, 0.0)]).to_dict()["passages"][0]
        self.app.copy_to_clipboard(f"{p.text.strip()}\n\n{d['section']}\n{citation(d)}")
        self.notify(self.bot.messages.get("copied"), markup=False)

    def action_browse(self) -> None:
        self.query_one("#query", Input).value = ""
        self.query_text = ""
        self.search("")

    def action_jump(self) -> None:
        from .modals import JumpScreen

        def go(pid: str | None) -> None:
            p = self.bot.passage(pid or "")
            if p is not None:
                self.hits = [Hit(p, 0.0)]
                results = self.query_one("#results", OptionList)
                results.clear_options()
                results.add_options([Option(self.row(self.hits[0]), id=p.id)])
                results.highlighted = 0
                self.preview(self.hits[0])

        self.app.push_screen(JumpScreen(self.bot), go)
