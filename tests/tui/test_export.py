"""Exports: the patient's words shown literally by a Markdown viewer, full citations for staff,
table rows as labelled cells, and a clear message (nothing half-written) for a bad path."""

from __future__ import annotations

import html
import re

import pytest
from markdown_it import MarkdownIt

from bot.conversation import Conversation
from bot.messages import Messages
from tui.app import VerbatimApp
from tui.export import NO_FOLDER, NO_PERMISSION, NOT_A_FILE, ExportPathError, transcript, write_private

TRICKY = ["[bold]x[/]", "<b>hi</b>", "*stars* and _under_", "`code` and ``two``",
          "# not a heading", "[a link](http://example.org)", "1. not a list", "> not a quote",
          "&amp; stays", "back\\slash", "| a | table |"]


def rendered_text(markdown: str) -> str:
    """What a Markdown viewer shows: the HTML's text with tags removed and entities decoded."""
    out = MarkdownIt("commonmark").enable("table").render(markdown)
    return html.unescape(re.sub(r"<[^>]+>", "", out))


@pytest.mark.parametrize("question", TRICKY)
def test_a_markdown_viewer_shows_the_question_as_typed(guide_bot, question):
    reply = guide_bot.ask(question)
    text = rendered_text(transcript([reply], Messages()))
    assert f"You: {question}" in text


def test_export_keeps_full_citations_and_labels_cells(guide_bot):
    reply = Conversation(guide_bot).ask("What is Herceptin used for?")
    md = transcript([reply], Messages())
    assert "Source: Advanced Breast Cancer (advanced-breast-cancer.txt), line 79" in md
    assert "> Targeted Therapy Agent: trastuzumab (Herceptin)\n> Type of Breast Cancer: HER2+" in md


def test_a_folder_is_refused_with_a_fixed_message(tmp_path):
    with pytest.raises(ExportPathError) as caught:
        write_private(tmp_path, "text")
    assert caught.value.reason == NOT_A_FILE
    assert list(tmp_path.iterdir()) == []


def test_an_unwritable_folder_is_refused_and_nothing_is_left(tmp_path, monkeypatch):
    import tempfile

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", refuse)  # a read-only folder, even for root
    with pytest.raises(ExportPathError) as caught:
        write_private(tmp_path / "chat.md", "text")
    assert caught.value.reason == NO_PERMISSION
    assert list(tmp_path.iterdir()) == []


def test_a_missing_folder_is_refused(tmp_path):
    with pytest.raises(ExportPathError) as caught:
        write_private(tmp_path / "no-such-folder" / "chat.md", "text")
    assert caught.value.reason == NO_FOLDER


async def test_export_window_says_what_is_wrong_with_a_folder(guide_bot, tmp_path):
    app = VerbatimApp(guide_bot)
    async with app.run_test(size=(80, 24)) as pilot:
        app.screen.query_one("#ask").value = "What is Taxol?"
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        app.screen.query_one("#export-name").value = str(tmp_path)
        await pilot.press("enter")
        await pilot.pause()
        assert app.is_running
        assert str(app.screen.query_one("#export-help").content) == NOT_A_FILE
        await pilot.press("enter")  # pressing again must not replace the folder either
        await pilot.pause()
        assert str(app.screen.query_one("#export-help").content) == NOT_A_FILE
    assert tmp_path.is_dir() and list(tmp_path.iterdir()) == []
