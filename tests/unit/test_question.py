"""The question model: focus, type and remaining keywords, learnt from data (MedQuAD)."""

from __future__ import annotations

import json
from importlib import resources

import pytest

from bot import question


def roles(guide_bot, q: str) -> dict[str, str]:
    return {c.label: c.role for c in guide_bot.expand(q).concepts}


def test_learnt_data_says_where_it_comes_from():
    text = resources.files("bot.data").joinpath("question_model.json").read_text(encoding="utf-8")
    about = json.loads(text)["_about"]
    assert "MedQuAD" in about and "CC BY 4.0" in about and "build_question_model.py" in about


@pytest.mark.parametrize("word", ["brand", "names", "prescribed", "work", "used", "dosage"])
def test_question_framing_is_learnt(word):
    assert question.is_framing(word)


@pytest.mark.parametrize("word", ["alcohol", "pain", "hair", "chemotherapy", "grapefruit"])
def test_topics_are_not_framing(word):
    assert not question.is_framing(word)


def test_brand_name_question_is_about_the_drug_and_asks_for_brand_names(guide_bot):
    exp = guide_bot.expand("What are the brand names of Ribociclib ?")
    assert [c.label for c in exp.focus] == ["ribociclib"]
    assert exp.types.qtype == "brand_names" and exp.types.prob > 0.9
    assert not exp.remaining  # "brand", "names" are evidence of the type, not other topics


def test_remaining_keywords_are_topics_beside_the_focus(guide_bot):
    exp = guide_bot.expand("can I drink alcohol on chemo?")
    assert "chemo" in [c.label for c in exp.focus]
    assert "alcohol" in [c.label for c in exp.remaining]


def test_a_drug_form_is_part_of_the_drug_name(guide_bot):
    r = roles(guide_bot, "Who should get Carboplatin Injection and why is it prescribed ?")
    assert r["carboplatin"] == "focus" and r["injection"] == "framing"


def test_a_story_is_asked_on_its_question_sentence():
    asked, story = question.split_story(
        "My wife has been on Ibrance since spring. She is exhausted all the time. "
        "Do people stay on these drugs for years?")
    assert asked == "Do people stay on these drugs for years?"
    assert story.startswith("My wife has been on Ibrance")


@pytest.mark.parametrize("message, asked", [
    ("Her oncologist wants to start hormone tablets again. She asked me how those actually work. "
     "What do they do?", "how those actually work. What do they do?"),
    ("We saw the doctor today. I'm wondering whether Lupron is a hormone therapy.",
     "whether Lupron is a hormone therapy."),
    # a direct question that says what it is about needs no indirect one beside it
    ("I just want to know what to expect. How long do people stay on hormone therapy?",
     "How long do people stay on hormone therapy?"),
])
def test_an_indirect_question_in_a_story_asks(message, asked):
    assert question.split_story(message)[0] == asked


def test_what_a_sentence_tells_before_its_indirect_question_stays_in_the_story():
    asked, story = question.split_story(
        "Dad here. I've been reading about the new targeted pills and I want to know why she isn't "
        "getting one. Are we missing something?")
    assert asked == "why she isn't getting one. Are we missing something?"
    assert story == "Dad here. I've been reading about the new targeted pills and I want to know."


def test_a_demonstrative_points_at_the_story_s_nearest_named_thing(guide_bot):
    r = roles(guide_bot, "My wife's been on Herceptin and a taxane for a year. Now they've "
                         "mentioned Kadcyla. Who is that one for?")
    assert r["kadcyla"] == "focus" and r["herceptin"] == "context"


def test_who_it_is_for_points_at_the_story_s_nearest_named_thing(guide_bot):
    r = roles(guide_bot, "I was on Herceptin and a taxane chemo last year. It has started growing "
                         "again. The doctor mentioned Kadcyla. Who is it given to?")
    assert r["kadcyla"] == "focus" and r["herceptin"] == "context"


def test_who_it_is_for_asks_about_a_name_the_guide_never_uses(guide_bot):
    reply = guide_bot.ask("I finished Herceptin in March. My friend takes Ozempic. Who is it given to?")
    assert reply.kind != "answer"


def test_a_story_sentence_pointing_back_passes_the_pointer_on(guide_bot):
    r = roles(guide_bot, "my oncologist said to ask about 'palliative' early on. I thought that "
                         "was for dying people. why would she want it early?")
    assert r["palliative"] == "focus"


def test_one_sentence_is_all_question():
    assert question.split_story("what is herceptin") == ("what is herceptin", "")


def test_story_words_are_weaker_context(guide_bot):
    exp = guide_bot.expand("My mother had surgery years ago. Now it is in her bones. "
                           "Can radiation help?")
    by_label = {c.label: c.role for c in exp.concepts}
    assert by_label["radiation"] == "focus"
    assert by_label.get("surgery") == "context"


def test_the_guide_declares_only_known_types(guide_bot):
    types = question.question_types()
    for doc in guide_bot.documents.values():
        assert doc.answers and doc.does_not_answer
        for t in doc.answers + doc.does_not_answer:
            assert t in types, t
            assert types[t]["name"] and "{" not in types[t]["name"]


@pytest.mark.parametrize("message, asked", [
    ("I've lost my appetite and feel sick - would a dietitian be on the team?",
     "would a dietitian be on the team?"),
    ("i keep feeling sick after each round, is there any kind of care just for the sickness?",
     "is there any kind of care just for the sickness?"),
])
def test_a_symptom_told_before_a_dash_or_comma_is_story(message, asked):
    assert question.split_story(message)[0] == asked


@pytest.mark.parametrize("message", [
    "Kisqali - is that for premenopausal women only?",  # a name before the dash
    "I have a metallic taste in my mouth on chemo - how long does that last?",  # points back
    "checking a quote: 'the best doctors may have different opinions' - where is it?",
    "If I get the symptom team involved, do I have to stop my chemo?",  # a condition
    "My hip replacement is still sore, what can I do?",  # too short to say what it asks
])
def test_a_dash_or_comma_the_question_needs_stays_one_sentence(message):
    assert question.split_story(message)[1] == ""


def test_a_side_effect_noticed_beside_the_drug_is_story(guide_bot):
    r = roles(guide_bot, "Numb feet from Ixempra - what's the generic name?")
    assert r["ixempra"] == "focus" and r["numb feet"] == "context"
    # ...not when the question asks for help with it
    r = roles(guide_bot, "I'm on Taxol and my fingers are numb. Is there anyone who helps with it?")
    assert r["numb"] == "focus"


def test_what_kind_of_drug_after_a_dash_points_at_the_drug_not_the_symptom():
    asked, story = question.split_story(
        "My bones ache and my oncologist said letrozol - what kind of drug is that?")
    assert asked == "what kind of drug is that?" and "letrozol" in story


def test_does_that_mean_a_guide_treatment_after_a_dash_is_asked_on_its_own():
    asked, _ = question.split_story(
        "My nurse mentioned palliative care for my bone pain and I panicked - does that mean hospice?")
    assert asked == "does that mean hospice?"
