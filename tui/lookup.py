"""The staff look-up: search as you type, a section tree to browse, a preview with why each
passage matched. Staff see ids, line numbers and scores here (patients never do)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Footer, Input, OptionList, Select, Static, Tree
from textual.widgets.option_list import Option

from bot.models import Hit, Passage, citation, short_label, short_section
from bot.sanitize import clean

if TYPE_CHECKING:
    from bot.chatbot import Bot

from .export import fit_words
from .widgets import calm_input, cells_content, passage_content

TREE_WIDTH = 36  # the browse tree's labels fit half of an 80-column screen, cut between words


class LookupScreen(Screen):
    """Find, audit and copy passages."""

    CSS_PATH = "lookup.tcss"
    BINDINGS = [
        Binding("ctrl+y", "copy", "Copy passage"),
        Binding("ctrl+g", "jump", "Go to id"),
        Binding("ctrl+b", "browse", "Browse"),
        Binding("escape", "app.switch_mode('chat')", "Chat"),
        Binding("up", "move(-1)", "Previous result", show=False),
        Binding("down", "move(1)", "Next result", show=False),
    ]

    browsing: reactive[bool] = reactive(True, init=False)
    """True while the search box is empty: the section tree shows instead of the results."""

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
        self.shown: Hit | None = None

    def compose(self) -> ComposeResult:
        yield Static(Content(self.bot.messages.get("lookup_intro")), id="lookup-intro")
        yield calm_input(placeholder="Search passages (words, drug names, ids)", id="query",
                         compact=True)
        with Horizontal(id="filters"):
            docs = [(Content(clean(d.name)), d.doc_id) for d in self.bot.documents.values()]
            yield Select(docs, prompt="All documents", id="doc-filter", allow_blank=True,
                         compact=True)
            sections = sorted({p.section_label for p in self.bot.passages if p.section_label})
            yield Select([(Content(clean(short_label(s, 60))), s) for s in sections],
                         prompt="All sections", id="section-filter", allow_blank=True, compact=True)
        with Horizontal(id="panes"):
            yield OptionList(id="results")
            yield self.section_tree()
            with VerticalScroll(id="preview-pane"):
                yield Static(id="preview")
        yield Footer(show_command_palette=False, compact=True)

    def on_mount(self) -> None:
        self.query_one("#query", Input).focus()
        self.set_class(True, "-browsing")
        self.action_browse()

    def section_tree(self) -> Tree[str]:
        """Document > section > sub-section > passages, from the passages' section paths."""
        tree: Tree[str] = Tree(Text("Documents"), id="browse")
        tree.show_root = False
        tree.guide_depth = 2
        nodes: dict[tuple[str, ...], object] = {}
        for doc in self.bot.documents.values():
            nodes[(doc.doc_id,)] = tree.root.add(Text(clean(doc.title), style="bold"),
                                                 expand=len(self.bot.documents) == 1)
        for p in self.bot.passages:
            path: tuple[str, ...] = (p.doc_id,)
            for heading in p.section:
                parent = nodes[path]
                path = (*path, heading)
                if path not in nodes:
                    width = max(12, TREE_WIDTH - 2 * len(path))
                    nodes[path] = parent.add(  # type: ignore[attr-defined]
                        Text(clean(fit_words(heading, width))))
            first = fit_words(p.text, max(12, TREE_WIDTH - 2 * len(path) - 10))
            label = Text.assemble((f"line {p.line_start} ", "dim"), clean(first))
            nodes[path].add_leaf(label, data=p.id)  # type: ignore[attr-defined]
        tree.root.expand_all()
        return tree

    def watch_browsing(self, value: bool) -> None:
        self.set_class(value, "-browsing")

    # --- searching ----------------------------------------------------------------------

    @on(Input.Changed, "#query")
    def changed(self, event: Input.Changed) -> None:
        self.query_text = event.value
        self.browsing = not event.value.strip()
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
            self.shown = None
            self.query_one("#preview", Static).update(
                Content(self.bot.messages.get("no_match")))

    def row(self, hit: Hit) -> Content:
        """One result: score and the start of the passage, then its section, dimmed."""
        p = hit.passage
        snippet = " ".join(p.text.split())
        snippet = snippet if len(snippet) <= 40 else snippet[:snippet.rfind(" ", 0, 40)] + "…"
        section = short_label(short_section(p), 40)
        score = f"{hit.score:5.2f} " if hit.score else ""
        return Content.assemble((score, "bold"), clean(snippet), "\n",
                                (clean(f"line {p.line_start} · {section}"), "dim"))

    @on(OptionList.OptionHighlighted, "#results")
    def highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option_index is not None and event.option_index < len(self.hits):
            self.preview(self.hits[event.option_index])

    @on(Tree.NodeHighlighted, "#browse")
    def tree_highlighted(self, event: Tree.NodeHighlighted) -> None:
        p = self.bot.passage(event.node.data or "")
        if p is not None:
            self.preview(Hit(p, 0.0))

    def action_move(self, step: int) -> None:
        """Up/Down typed in the search box move through the results (or the tree)."""
        if not isinstance(self.focused, Input) or self.focused.id != "query":
            return
        if self.browsing:
            tree = self.query_one("#browse", Tree)
            (tree.action_cursor_down if step > 0 else tree.action_cursor_up)()
            return
        results = self.query_one("#results", OptionList)
        (results.action_cursor_down if step > 0 else results.action_cursor_up)()

    @on(Input.Submitted, "#query")
    @on(OptionList.OptionSelected, "#results")
    def open_preview(self) -> None:
        """Enter: show the chosen result in the preview and move there to read or scroll it."""
        if self.browsing:
            node = self.query_one("#browse", Tree).cursor_node
            if node is None or node.data is None:
                if node is not None:
                    node.toggle()
                return
        elif self.current() is None:
            return
        self.query_one("#preview-pane").focus()

    @on(Tree.NodeSelected, "#browse")
    def tree_selected(self, event: Tree.NodeSelected) -> None:
        if event.node.data is not None:
            self.query_one("#preview-pane").focus()

    # --- preview ------------------------------------------------------------------------

    def preview(self, hit: Hit) -> None:
        """Id, score and why first (so they show at 80x24 without scrolling), then the text."""
        self.shown = hit
        p = hit.passage
        d = self.bot.hit_dict(hit)
        parts: list = [(p.id, "bold")]
        if hit.score:
            parts += ["  ", (f"score {hit.score:.2f}", "bold")]
        section = p.staff_label() if hasattr(p, "staff_label") else d["section"]
        parts += ["\n", (clean(citation(d)), "dim italic"), "\n", (clean(section), "dim")]
        if self.query_text.strip():
            parts += ["\n", ("Why this matched", "bold"), "\n", self.why(hit)]
        parts += ["\n\n", cells_content(hit) or passage_content(hit)]
        if d["notice"]:
            parts += ["\n", (d["notice"], "bold $warning")]
        parts += ["\n\n", ("Neighbours", "bold")]
        for q in self.bot.neighbours(p.id, 1):
            if q.id != p.id:
                parts += ["\n", (q.id, "bold"), " ", clean(" ".join(q.text.split())[:100])]
        self.query_one("#preview", Static).update(Content.assemble(*parts))
        self.query_one("#preview-pane", VerticalScroll).scroll_home(animate=False)

    def why(self, hit: Hit) -> Content:
        """Each search word's part of the score, and how they add up to the score listed."""
        exp = self.bot.expand(self.query_text)
        lines = [f"spelling: {old} -> {new}" for old, new in exp.corrections]
        contrib = dict(hit.contributions)
        for c in exp.concepts:
            alts = ", ".join(" ".join(a) for a, _ in c.alts)
            if c.label in contrib:
                lines.append(f"{c.label}: {contrib[c.label]:.2f} ({c.source}; searched as {alts})")
            else:
                lines.append(f"{c.label}: not in this passage ({c.source}; searched as {alts})")
        words = round(sum(round(contrib[c.label], 2) for c in exp.concepts if c.label in contrib), 2)
        if hit.score:
            rest = round(round(hit.score, 2) - words, 2)
            sign = "+" if rest >= 0 else "-"
            lines.append(f"words {words:.2f} {sign} {abs(rest):.2f} (coverage {hit.coverage:.0%}, "
                         f"words side by side, document weight) = score {hit.score:.2f}")
        else:
            lines.append(f"coverage of the question: {hit.coverage:.0%}")
        return Content("\n".join(clean(x) for x in lines))

    # --- actions ------------------------------------------------------------------------

    def current(self) -> Passage | None:
        if self.browsing or self.shown is None:
            return self.shown.passage if self.shown is not None else None
        results = self.query_one("#results", OptionList)
        i = results.highlighted
        return self.hits[i].passage if i is not None and i < len(self.hits) else None

    def action_copy(self) -> None:
        p = self.current()
        if p is None:
            self.notify(self.bot.messages.get("nothing_to_copy"), markup=False)
            return
        d = self.bot.hit_dict(Hit(p, 0.0))
        self.app.copy_to_clipboard(f"{p.text.strip()}\n\n{d['section']}\n{citation(d)}")
        self.notify(self.bot.messages.get("copied"), markup=False)

    def action_browse(self) -> None:
        self.query_one("#query", Input).value = ""
        self.query_text = ""
        self.browsing = True
        self.search("")

    def action_jump(self) -> None:
        from .modals import JumpScreen

        def go(pid: str | None) -> None:
            p = self.bot.passage(pid or "")
            if p is not None:
                self.browsing = False
                self.hits = [Hit(p, 0.0)]
                results = self.query_one("#results", OptionList)
                results.clear_options()
                results.add_options([Option(self.row(self.hits[0]), id=p.id)])
                results.highlighted = 0
                self.preview(self.hits[0])

        self.app.push_screen(JumpScreen(self.bot), go)
