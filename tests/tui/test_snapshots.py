"""What the screens look like at 80x24. Review the report before `--snapshot-update`."""

from __future__ import annotations

import pytest

from tui.app import VerbatimApp

SIZE = (80, 24)


@pytest.fixture()
def app(guide_bot):
    return VerbatimApp(guide_bot)


async def _ask(pilot, question: str) -> None:
    pilot.app.screen.query_one("#ask").value = question
    await pilot.press("enter")
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def test_empty_chat(app, snap_compare):
    assert snap_compare(app, terminal_size=SIZE)


def test_answer(app, snap_compare):
    async def run(pilot):
        await _ask(pilot, "What is Herceptin used for?")

    assert snap_compare(app, terminal_size=SIZE, run_before=run)


def test_emergency_reply(app, snap_compare):
    async def run(pilot):
        await _ask(pilot, "I have a fever and I'm on chemo")

    assert snap_compare(app, terminal_size=SIZE, run_before=run)


def test_no_match_reply(app, snap_compare):
    async def run(pilot):
        await _ask(pilot, "How often should I get a mammogram?")

    assert snap_compare(app, terminal_size=SIZE, run_before=run)


def test_lookup_with_results(app, snap_compare):
    async def run(pilot):
        await pilot.press("f2")
        await pilot.press(*"kadcyla")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=run)


def test_help(app, snap_compare):
    assert snap_compare(app, terminal_size=SIZE, press=["f1"])


def test_cells_view(app, snap_compare):
    """A table row quoted as labelled cells, with title and section and no line number."""
    async def run(pilot):
        await _ask(pilot, "What is Kisqali?")

    assert snap_compare(app, terminal_size=SIZE, run_before=run)


def test_lookup_tree(app, snap_compare):
    """Browse: document > section > passages, with line numbers."""
    async def run(pilot):
        await pilot.press("f2")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("down", "down", "down")
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=run)


def test_urgent_at_60x15(app, snap_compare):
    """The smallest supported terminal: urgent box with its number, input and key hints."""
    async def run(pilot):
        await _ask(pilot, "I have a fever and I'm on chemo")

    assert snap_compare(app, terminal_size=(60, 15), run_before=run)


def test_new_reply_below(app, snap_compare):
    """A patient who scrolled up sees a cue, not a jump."""
    async def run(pilot):
        await _ask(pilot, "What is Herceptin used for?")
        await _ask(pilot, "what is hormone therapy")
        await pilot.press("pageup", "pageup")
        await pilot.pause()
        await _ask(pilot, "what is palliative care")

    assert snap_compare(app, terminal_size=SIZE, run_before=run)
