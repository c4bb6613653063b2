"""Drive the app by keys, as a patient and a staff member would."""

from __future__ import annotations

import io
import os
import stat

import pytest
from textual.widgets import OptionList, Static

import bot
from tui.app import VerbatimApp
from tui.chat import ChatScreen
from tui.lookup import LookupScreen
from tui.modals import ErrorScreen, HelpScreen
from tui.widgets import MessageCard, QuestionCard, QuoteCard

SIZE = (80, 24)


def text_of(widget: Static) -> str:
    return str(widget.content)


async def ask(pilot, app, question: str) -> ChatScreen:
    screen = app.screen
    screen.query_one("#ask").value = question
    await pilot.press("enter")
    await app.workers.wait_for_complete()
    await pilot.pause()
    return screen


@pytest.fixture()
def app(guide_bot):
    return VerbatimApp(guide_bot)


async def test_question_shows_the_quote_with_its_citation(app):
    async with app.run_test(size=SIZE) as pilot:
        screen = await ask(pilot, app, "What is Herceptin used for?")
        cards = list(screen.query(QuoteCard))
        shown = text_of(cards[0])
        assert shown.count("Targeted Therapy Agent: trastuzumab (Herceptin)\n") == 1
        assert "Type of Breast Cancer: HER2+, metastatic\n" in shown
        assert "Advanced Breast Cancer · " in shown and "Table 2. Targeted Therapy Options" in shown
        assert "line 79" not in shown and "advanced-breast-cancer:" not in shown
        assert screen.query_one("#ask").has_focus


async def test_emergency_message_comes_first(app):
    async with app.run_test(size=SIZE) as pilot:
        screen = await ask(pilot, app, "I have a fever and I'm on chemo")
        transcript = list(screen.query_one("#transcript").children)
        first = transcript[transcript.index(screen.query(QuestionCard).last()) + 1]
        assert isinstance(first, MessageCard) and first.has_class("emergency")
        assert "24-hour" in text_of(first)


async def test_follow_up_shows_the_rewritten_question(app):
    async with app.run_test(size=SIZE) as pilot:
        await ask(pilot, app, "Tell me about Perjeta")
        screen = await ask(pilot, app, "who is it for?")
        notices = [text_of(c) for c in screen.query(MessageCard)]
        assert any(n.startswith("Showing results for:") and "perjeta" in n for n in notices)


async def test_a_story_searched_question_first_is_not_shown_as_a_rewrite(app):
    async with app.run_test(size=SIZE) as pilot:
        screen = await ask(pilot, app, "My mum has been on letrozole for two years and the scan "
                                       "shows it has grown. What now?")
        notices = [text_of(c) for c in screen.query(MessageCard)]
        assert not any(n.startswith("Showing results for:") for n in notices)


async def test_up_recalls_the_last_question(app):
    async with app.run_test(size=SIZE) as pilot:
        screen = await ask(pilot, app, "What is Taxol?")
        await pilot.press("up")
        assert screen.query_one("#ask").value == "What is Taxol?"
        await pilot.press("down")
        assert screen.query_one("#ask").value == ""


async def test_example_question_can_be_picked(app):
    async with app.run_test(size=SIZE) as pilot:
        app.screen.query_one("#examples", OptionList).focus()
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.screen.query(QuoteCard)


@pytest.mark.parametrize("question", ["[bold]x[/]", "[/]", "[@click=app.quit]x", "\x1b]52;c;aGk=\x07hi"])
async def test_markup_in_a_question_is_shown_literally(app, question):
    async with app.run_test(size=SIZE) as pilot:
        screen = await ask(pilot, app, question)
        shown = text_of(screen.query(QuestionCard).last())
        assert app.is_running
        assert "\x1b" not in shown
        if question.startswith("["):
            assert question in shown


async def test_markup_laden_document_is_quoted_literally(tmp_path):
    (tmp_path / "odd.txt").write_text(
        "Odd leaflet\n\nDosing [bold]words[/] and [@click=app.quit]boom[/] inside [/] text.\n\n"
        "Another \x1b]52;c;aGVsbG8=\x07 paragraph about sleep.\n\nThird about walking.\n\n"
        "Fourth about water.\n\nFifth about rest.\n", encoding="utf-8")
    app = VerbatimApp(bot.load(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        screen = await ask(pilot, app, "boom inside text")
        card = text_of(screen.query(QuoteCard).first())
        assert "[@click=app.quit]boom[/]" in card and "[bold]words[/]" in card
        screen = await ask(pilot, app, "paragraph about sleep")
        assert all("\x1b" not in text_of(c) for c in screen.query(QuoteCard))
        assert app.is_running


async def test_copy_puts_quote_and_citation_on_the_clipboard(app):
    async with app.run_test(size=SIZE) as pilot:
        await ask(pilot, app, "What is Herceptin used for?")
        await pilot.press("ctrl+y")
        assert app.clipboard.startswith("trastuzumab (Herceptin)")
        assert "line 79, content date: undated" in app.clipboard


async def test_export_writes_a_private_markdown_transcript(app, tmp_path):
    target = tmp_path / "chat.md"
    async with app.run_test(size=SIZE) as pilot:
        await ask(pilot, app, "What is Herceptin used for?")
        await pilot.press("ctrl+s")
        await pilot.pause()
        app.screen.query_one("#export-name").value = str(target)
        await pilot.press("enter")
        await pilot.pause()
    text = target.read_text(encoding="utf-8")
    assert text.index("only quotes the guide") < text.index("trastuzumab (Herceptin)")
    assert "line 79, content date: undated" in text
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600


async def test_export_never_overwrites_without_asking(app, tmp_path):
    target = tmp_path / "keep.md"
    target.write_text("mine", encoding="utf-8")
    async with app.run_test(size=SIZE) as pilot:
        await ask(pilot, app, "What is Taxol?")
        await pilot.press("ctrl+s")
        await pilot.pause()
        app.screen.query_one("#export-name").value = str(target)
        await pilot.press("enter")
        await pilot.pause()
        assert target.read_text() == "mine"
        assert "already exists" in text_of(app.screen.query_one("#export-help"))
        await pilot.press("enter")
        await pilot.pause()
    assert "Taxol" in target.read_text()


async def test_lookup_finds_kadcyla_while_typing(app):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f2")
        await pilot.pause()
        assert isinstance(app.screen, LookupScreen)
        await pilot.press(*"Kadcyla")
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert screen.hits[0].passage.id == "advanced-breast-cancer:73"
        preview = text_of(screen.query_one("#preview"))
        assert "Why this matched" in preview and "kadcyla" in preview.lower()
        await pilot.press("ctrl+y")
        assert app.clipboard.startswith("ado-trastuzumab emtansine (Kadcyla T-DM1)")


async def test_lookup_explains_spelling_and_aliases(app):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f2")
        await pilot.press(*"herseptin")
        await app.workers.wait_for_complete()
        await pilot.pause()
        preview = text_of(app.screen.query_one("#preview"))
        assert "spelling: herseptin -> herceptin" in preview
        assert "trastuzumab" in preview


async def test_help_lists_every_key(app):
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        shown = " ".join(text_of(s) for s in app.screen.query(Static))
        for key in ("Ctrl+N", "Ctrl+T", "Ctrl+Y", "F2", "Ctrl+G", "Ctrl+Q"):
            assert key in shown


async def test_palette_has_own_commands_and_no_screenshot(app):
    async with app.run_test(size=SIZE):
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "Screenshot" not in titles
        assert {"Export transcript", "Look-up screen", "Copy quote", "High-contrast theme"} <= set(titles)


async def test_unusable_corpus_shows_an_error_screen(tmp_path):
    from bot.messages import Messages

    app = VerbatimApp(None, Messages().get("load_error", query=f"not found: {tmp_path}/x"))
    async with app.run_test(size=SIZE):
        assert isinstance(app.screen, ErrorScreen)


def test_plain_mode_answers_piped_questions(guide_bot):
    from tui.plain import run

    out = io.StringIO()
    run(guide_bot, io.StringIO("What is Herceptin used for?\nI can't breathe\n"), out)
    text = out.getvalue()
    assert "You: What is Herceptin used for?" in text
    assert "from Advanced Breast Cancer, Targeted Therapy > Table 2. Targeted Therapy Options:" in text
    assert "  Targeted Therapy Agent: trastuzumab (Herceptin)\n  Type of Breast Cancer: HER2+" in text
    assert "line 79" not in text and "advanced-breast-cancer:" not in text
    assert "Call 911 now" in text


async def test_input_is_ready_before_the_documents_are_open(guide_bot):
    import threading

    gate = threading.Event()

    def slow_loader():
        gate.wait(10)
        return guide_bot

    app = VerbatimApp(loader=slow_loader)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert screen.query_one("#ask").has_focus
        screen.query_one("#ask").value = "What is Taxol?"
        await pilot.press("enter")
        gate.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert any("paclitaxel (Taxol)" in text_of(c) for c in screen.query(QuoteCard))


async def test_a_loader_that_fails_shows_the_error_screen(tmp_path):
    app = VerbatimApp(loader=lambda: bot.load(tmp_path / "missing"))
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, ErrorScreen)
        assert "missing" in text_of(app.screen.query_one("#error"))


def test_table_cells_with_markup_are_shown_literally(guide_bot):
    from bot.models import Hit
    from tui.export import text_lines
    from tui.widgets import cells_content

    row = next(p for p in guide_bot.passages if getattr(p, "cells", ()))
    text = "[bold]drug[/] [@click=app.quit]x[/] \x1b[31mred"
    odd = row._replace(text=text, cells=(("[i]Agent[/i]", "[bold]drug[/]"),
                                         ("Use", "[@click=app.quit]x[/] \x1b[31mred")))
    shown = str(cells_content(Hit(odd, 1.0, highlights=((0, 6),))))
    assert "[i]Agent[/i]: [bold]drug[/]" in shown and "Use: [@click=app.quit]x[/]" in shown
    assert "\x1b" not in shown
    label, cell = row.cells[0]
    assert text_lines(guide_bot.hit_dict(Hit(row, 0.0)))[0] == f"{label}: {cell.strip()}"


async def test_related_pointers_show_their_best_sentence(app):
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await ask(pilot, app, "can I take turmeric with chemotherapy")
        shown = [text_of(c) for c in screen.query(MessageCard)]
        pointer = next(t for t in shown if "Most people with advanced breast cancer" in t)
        # the sentence that matched, not the passage's opening words
        assert pointer.startswith("\u201cMost people with advanced breast cancer continue taking")
        assert "Many types of hormone therapy drugs" not in pointer
