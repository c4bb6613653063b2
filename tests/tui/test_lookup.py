"""The staff look-up by keys: Up/Down from the search box, Enter to the preview, the section
tree, line numbers, and a score whose explanation adds up to the number listed."""

from __future__ import annotations

import html
import re

import pytest
from textual.widgets import OptionList, Tree

from tui.app import VerbatimApp
from tui.lookup import LookupScreen

SIZE = (80, 24)


@pytest.fixture()
def app(guide_bot):
    return VerbatimApp(guide_bot)


def on_screen(app) -> str:
    """The text actually drawn on the terminal (a screenshot holds only what is visible)."""
    svg = app.export_screenshot()
    return html.unescape(re.sub(r"<[^>]+>", "", svg)).replace("\xa0", " ")


async def search(pilot, words: str) -> LookupScreen:
    await pilot.press("f2")
    await pilot.pause()
    await pilot.press(*words)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    return pilot.app.screen


async def test_up_and_down_in_the_search_box_move_the_selection(app):
    async with app.run_test(size=SIZE) as pilot:
        screen = await search(pilot, "herceptin")
        results = screen.query_one("#results", OptionList)
        assert screen.query_one("#query").has_focus and results.highlighted == 0
        await pilot.press("down", "down")
        assert results.highlighted == 2 and screen.query_one("#query").has_focus
        assert screen.shown is screen.hits[2]
        await pilot.press("up")
        assert results.highlighted == 1 and screen.shown is screen.hits[1]


async def test_enter_opens_the_preview_with_line_numbers_and_why_in_view(app):
    async with app.run_test(size=SIZE) as pilot:
        screen = await search(pilot, "herceptin")
        await pilot.press("enter")
        await pilot.pause()
        assert screen.query_one("#preview-pane").has_focus
        shown = on_screen(app)
        assert "advanced-breast-cancer:79" in shown and "line 79" in shown
        assert "Why this matched" in shown and "herceptin:" in shown


async def test_the_score_listed_is_the_score_explained(app):
    async with app.run_test(size=SIZE) as pilot:
        screen = await search(pilot, "side effects of chemotherapy")
        for i, hit in enumerate(screen.hits[:5]):
            screen.query_one("#results", OptionList).highlighted = i
            await pilot.pause()
            listed = f"{hit.score:5.2f}".strip()
            assert str(screen.query_one("#results", OptionList).get_option_at_index(i).prompt) \
                .startswith(f"{hit.score:5.2f}")
            why = str(screen.query_one("#preview").content)
            sums = re.search(r"words ([\d.]+) ([+-]) ([\d.]+) \(.*\) = score ([\d.]+)", why, re.S)
            assert sums and sums.group(4) == listed
            words, sign, rest = float(sums.group(1)), sums.group(2), float(sums.group(3))
            assert round(words + (rest if sign == "+" else -rest), 2) == float(listed)
            parts = [float(x) for x in re.findall(r"^\S[^:\n]*: ([\d.]+) \(", why, re.M)]
            assert parts and round(sum(parts), 2) == words


async def test_browse_is_a_tree_of_document_sections_and_passages(app, guide_bot):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f2")
        await pilot.pause()
        screen = app.screen
        tree = screen.query_one("#browse", Tree)
        assert tree.display and not screen.query_one("#results").display
        doc = tree.root.children[0]
        assert str(doc.label) == "Advanced Breast Cancer"
        sections = [str(n.label) for n in doc.children]
        assert sections == ["Treatment Strategies", "Types of Treatment"]
        leaves = [n for n in _walk(tree.root) if n.data]
        assert len(leaves) == len(guide_bot.passages)
        assert all(not re.search(r"\w…", str(n.label)) or str(n.label).endswith("…")
                   for n in _walk(tree.root))
        await pilot.press("down", "down", "down")
        await pilot.pause()
        assert screen.shown is not None and screen.shown.passage.id == tree.cursor_node.data
        await pilot.press(*"kadcyla")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not tree.display and screen.query_one("#results").display


def _walk(node):
    for child in node.children:
        yield child
        yield from _walk(child)
