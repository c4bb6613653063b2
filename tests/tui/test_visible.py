"""What the patient can actually see: geometry on screen, not presence in the widget tree.

After every reply the newest question and the first line of its reply must lie inside the
chat's visible region, and a pinned emergency message must be fully on screen and uncovered,
at the smallest supported terminal (60x15), the usual one (80x24) and a large one (120x40).
"""

from __future__ import annotations

import re

import pytest
from textual.geometry import Region
from textual.widgets._footer import FooterKey

from tui.app import VerbatimApp
from tui.widgets import MessageCard, QuestionCard, QuoteCard

SIZES = [(80, 24), (60, 15), (120, 40)]

CONVERSATION = [  # long answers first; an urgent sign at turn 4, an emergency at turn 6
    ("What is Herceptin used for?", "answer"),
    ("what are the side effects of chemotherapy", "answer"),
    ("what is hormone therapy", "answer"),
    ("I have a fever and I'm on chemo", "emergency"),
    ("what is palliative care", "answer"),
    ("I have chest pain", "emergency"),
]


@pytest.fixture()
def app(guide_bot):
    return VerbatimApp(guide_bot)


async def ask(pilot, question: str):
    screen = pilot.app.screen
    screen.query_one("#ask").value = question
    await pilot.press("enter")
    await settle(pilot)
    return screen


async def settle(pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.pause()


def view_of(screen) -> Region:
    """The part of the screen where the chat's transcript is visible."""
    return screen.query_one("#transcript").content_region


def first_line(widget) -> Region:
    """The first row of a widget's text (inside any border and padding)."""
    r = widget.content_region
    return Region(r.x, r.y, r.width, 1)


def inside(inner: Region, outer: Region) -> bool:
    return outer.contains_region(inner)


def uncovered(screen, widget) -> bool:
    """Every cell of the widget is drawn by the widget itself (nothing sits on top of it)."""
    r = widget.region
    for y in range(r.y, r.bottom):
        for x in (r.x, r.right - 1):
            found, _ = screen.get_widget_at(x, y)
            if found is not widget and widget not in found.ancestors:
                return False
    return True


def reply_cards(screen, question: QuestionCard) -> list:
    children = list(screen.query_one("#transcript").children)
    i = children.index(question)
    cards = []
    for w in children[i + 1:]:
        if isinstance(w, QuestionCard):
            break
        cards.append(w)
    return cards


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_every_reply_and_every_alarm_is_in_view(app, size):
    async with app.run_test(size=size) as pilot:
        for turn, (question, kind) in enumerate(CONVERSATION, 1):
            screen = await ask(pilot, question)
            newest = screen.query(QuestionCard).last()
            assert str(newest.content).endswith(question)
            view = view_of(screen)
            assert inside(newest.region, view), f"turn {turn}: question not in view at {size}"
            first = reply_cards(screen, newest)[0]
            assert inside(first_line(first), view), f"turn {turn}: reply's first line hidden"
            banner = screen.query_one("#banner")
            if kind == "emergency":
                message = screen.replies[-1].message
                assert "911" in message and str(banner.content).startswith(message)
                assert banner.display and inside(banner.region, screen.region)
                assert banner.region.height >= 2 and uncovered(screen, banner)
                assert inside(screen.query_one("#ask").region, screen.region)
            else:
                assert not banner.display, f"turn {turn}: the alert stayed after moving on"


async def test_long_answers_never_push_the_next_question_off_screen(app):
    """The original bug: after a tall answer every later reply stayed below the fold."""
    async with app.run_test(size=(80, 24)) as pilot:
        await ask(pilot, "What is Herceptin used for?")
        screen = await ask(pilot, "what are the side effects of chemotherapy")
        newest = screen.query(QuestionCard).last()
        view = view_of(screen)
        assert newest.region.y == view.y + 1  # at the top, below its one-line margin
        herceptin = screen.query(QuestionCard).first()
        assert not view.overlaps(herceptin.region)


async def test_scrolled_up_patient_gets_a_cue_not_a_jump(app):
    async with app.run_test(size=(80, 24)) as pilot:
        for question, _ in CONVERSATION[:3]:
            screen = await ask(pilot, question)
        transcript = screen.query_one("#transcript")
        await pilot.press("pageup", "pageup")
        await settle(pilot)
        reading = transcript.scroll_y
        assert reading < transcript.max_scroll_y - 1
        screen = await ask(pilot, "what is palliative care")
        assert transcript.scroll_y == reading  # not yanked away from what they were reading
        newest = screen.query(QuestionCard).last()
        assert not view_of(screen).overlaps(newest.region)
        cue = screen.query_one("#new-below")
        assert cue.display and "New reply below" in str(cue.content)
        assert inside(cue.region, screen.region) and uncovered(screen, cue)
        await pilot.press("pagedown")
        await settle(pilot)
        assert inside(newest.region, view_of(screen)) and not cue.display


async def test_an_emergency_shows_even_when_scrolled_up(app):
    async with app.run_test(size=(80, 24)) as pilot:
        for question, _ in CONVERSATION[:3]:
            screen = await ask(pilot, question)
        await pilot.press("pageup", "pageup")
        await settle(pilot)
        screen = await ask(pilot, "I have chest pain")
        banner = screen.query_one("#banner")
        assert banner.display and "Call 911 now" in str(banner.content)
        assert inside(banner.region, screen.region) and uncovered(screen, banner)
        await pilot.press("escape")
        await settle(pilot)
        assert not banner.display


async def test_copy_takes_the_quote_in_view(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await ask(pilot, "What is Herceptin used for?")
        screen = await ask(pilot, "what is palliative care")
        await pilot.press("ctrl+y")
        assert app.clipboard.startswith("Palliative care is")
        screen.query_one("#transcript").scroll_home(animate=False)
        await settle(pilot)
        await pilot.press("ctrl+y")
        assert app.clipboard.startswith("trastuzumab (Herceptin)")


@pytest.mark.parametrize("size", [(80, 24), (60, 15)], ids=lambda s: f"{s[0]}x{s[1]}")
async def test_footer_shows_help_and_look_up_keys(app, size):
    async with app.run_test(size=size) as pilot:
        await ask(pilot, "I have a fever and I'm on chemo")
        keys = {k.key: k for k in app.screen.query(FooterKey) if k.display}
        for key, label in (("f1", "Help"), ("f2", "Look-up"), ("ctrl+n", "More")):
            assert key in keys and keys[key].description == label
            assert inside(keys[key].region, app.screen.region), f"{key} cut off at {size}"
        assert inside(keys["escape"].region, app.screen.region)


@pytest.mark.parametrize("size", [(80, 24), (60, 15)], ids=lambda s: f"{s[0]}x{s[1]}")
async def test_help_scrolls_to_its_last_line(app, size):
    async with app.run_test(size=size) as pilot:
        await pilot.press("f1")
        await pilot.pause()
        box = app.screen.query_one("VerticalScroll")
        assert inside(box.region, app.screen.region)
        await pilot.press("end")
        await pilot.pause()
        last = list(box.children)[-1]
        assert last.region.bottom <= box.content_region.bottom  # the end of the help is readable
        assert box.scroll_y > 0 or box.max_scroll_y == 0


async def test_urgent_box_with_its_number_fits_60x15(app):
    async with app.run_test(size=(60, 15)) as pilot:
        screen = await ask(pilot, "I have a fever and I'm on chemo")
        banner = screen.query_one("#banner")
        assert "call 911" in str(banner.content) and "24-hour" in str(banner.content)
        assert inside(banner.region, screen.region) and uncovered(screen, banner)
        assert inside(screen.query_one("#ask").region, screen.region)
        message = screen.query(MessageCard).filter(".emergency").last()
        assert view_of(screen).overlaps(message.region)


async def test_quotes_in_the_chat_carry_no_line_numbers(app):
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await ask(pilot, "What is Herceptin used for?")
        for card in screen.query(QuoteCard):
            text = str(card.content)
            assert not re.search(r"\blines? \d", text) and "advanced-breast-cancer" not in text
            assert text.startswith("Advanced Breast Cancer · ")


@pytest.mark.parametrize("region", ["US", "UK"])
async def test_the_longest_alarms_fit_60x15_with_their_numbers(region):
    """The crisis message, and an urgent one naming a clinic's own line, at the smallest size."""
    import bot
    from bot.messages import Config

    config = Config(region=region, clinic_name="Riverside Cancer Centre", clinic_line="0800 123 4567")
    app = VerbatimApp(bot.load(config=config))
    async with app.run_test(size=(60, 15)) as pilot:
        for question, number in (("I want to kill myself", "988" if region == "US" else "116 123"),
                                 ("I have a fever and I'm on chemo", "0800 123 4567")):
            screen = await ask(pilot, question)
            banner = screen.query_one("#banner")
            assert number in str(banner.content) and screen.replies[-1].message in str(banner.content)
            assert inside(banner.region, screen.region) and uncovered(screen, banner)
            assert inside(screen.query_one("#ask").region, screen.region)
            newest = screen.query(QuestionCard).last()
            assert inside(newest.region, view_of(screen))


async def test_a_known_content_date_is_shown_with_each_quote(tiny_corpus):
    import json

    import bot

    (tiny_corpus / "manifest.json").write_text(json.dumps({"documents": {"leaflet.txt": {
        "title": "Sleep leaflet", "content_date": "2024-05"}}}), encoding="utf-8")
    app = VerbatimApp(bot.load(tiny_corpus))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await ask(pilot, "walk in the afternoon")
        card = screen.query(QuoteCard).first()
        assert str(card.content).startswith("Sleep leaflet, content date: 2024-05 · Leaflet > Sleep\n")
        assert "content date: 2024-05" in str(screen.query_one("#title").content)


async def test_resizing_keeps_the_newest_exchange_in_view(app):
    async with app.run_test(size=(120, 40)) as pilot:
        for question, _ in CONVERSATION[:4]:
            screen = await ask(pilot, question)
        for size in ((60, 15), (80, 24), (120, 40)):
            await pilot.resize_terminal(*size)
            await settle(pilot)
            newest = screen.query(QuestionCard).last()
            assert inside(newest.region, view_of(screen)), f"lost the newest question at {size}"
            banner = screen.query_one("#banner")
            assert inside(banner.region, screen.region) and uncovered(screen, banner)
