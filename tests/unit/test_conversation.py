"""Follow-ups resolve against earlier turns; a new topic starts fresh."""

from __future__ import annotations

import pytest

from bot.conversation import Conversation


def run(bot, *turns):
    conv = Conversation(bot, k=3)
    replies = [conv.ask(t) for t in turns]
    return conv, replies[-1]


def quoted(reply, text):
    return any(text in h.passage.text for h in reply.passages)


@pytest.mark.parametrize(
    "turns, expected",
    [
        (("Tell me about Perjeta", "who is it for?"), "pertuzumab (Perjeta)"),
        (("What is lapatinib?", "What is it combined with?"), "lapatinib (Tykerb)"),
        (("Who is palbociclib for?", "And Kisqali?"), "ribociclib (Kisqali)"),
        (("How is radiation used for brain metastases?", "what about when there is only one tumor?"),
         "only one small tumor in the brain"),
        (("What is hormone therapy?", "how long do people take it?"), "for as long as"),
        (("What is hospice?", "where does it happen?"), "Hospice care can take place at home"),
        # "one" for the thing the last answer named
        (("What are PARP inhibitors?", "how do I get one?"), "poly (ADP-ribose) polymerase"),
        (("What is a second opinion?", "should I get one?"), "second opinion"),
    ],
)
def test_follow_ups(guide_bot, turns, expected):
    _, reply = run(guide_bot, *turns)
    assert quoted(reply, expected), reply.query_used


def test_rewritten_question_is_reported(guide_bot):
    _, reply = run(guide_bot, "Tell me about Perjeta", "who is it for?")
    assert "perjeta" in reply.query_used


def test_new_topic_does_not_drag_the_old_one(guide_bot):
    _, reply = run(guide_bot, "What is Herceptin?", "What is palliative care?")
    assert reply.query_used == "what is palliative care?"
    assert quoted(reply, "Palliative care is treatment focused")


def test_more_pages_through_the_last_question(guide_bot):
    conv = Conversation(guide_bot, k=2)
    first = conv.ask("hormone therapy")
    more = conv.ask("more")
    ids_first = {h.passage.id for h in first.passages}
    ids_more = {h.passage.id for h in more.passages}
    assert ids_more and not ids_first & ids_more


def test_show_context_quotes_the_neighbours(guide_bot):
    conv = Conversation(guide_bot)
    conv.ask("What is Herceptin used for?")
    ctx = conv.ask("show context")
    assert ctx.message == guide_bot.messages.get("context")
    assert quoted(ctx, "ribociclib (Kisqali)") and quoted(ctx, "trastuzumab (Herceptin)")


def test_safety_is_judged_on_the_users_own_words(guide_bot):
    _, reply = run(guide_bot, "What is chemotherapy?", "I have a fever after it")
    assert reply.kind == "emergency"


def test_context_before_any_question(guide_bot):
    conv = Conversation(guide_bot)
    assert conv.ask("show context").message == guide_bot.messages.get("context_none")


def test_an_aspect_only_question_continues_the_topic(guide_bot):
    conv, reply = run(guide_bot, "What is hormone therapy?", "what are the side effects?")
    assert "hormone therapy" in reply.query_used
    reply = conv.ask("what if it stops working?")
    assert reply.query_used == "what if hormone therapy stops working?"


def test_the_follow_up_topic_is_the_last_answered_focus(guide_bot):
    conv, reply = run(guide_bot, "tamoxifin", "kemo", "what about Kisqali?")
    assert quoted(reply, "ribociclib (Kisqali)")
    assert "tamoxifen" not in reply.query_used and "kisqali" in reply.query_used
    follow = conv.ask("who is it for?")
    assert quoted(follow, "ribociclib (Kisqali)") and "kisqali" in follow.query_used


@pytest.mark.parametrize("lay, expected", [
    ("kemo", "Chemotherapy"),
    ("chemo therapy", "Chemotherapy"),
    ("radiotherapy", "Radiation therapy"),
    ("hormone blockers", "Hormone therapy"),
])
def test_lay_and_misspelled_main_topics_resolve(guide_bot, lay, expected):
    reply = guide_bot.ask(lay)
    assert reply.kind == "answer" and quoted(reply, expected)
