"""Red flags before retrieval; advice, declines and small talk with fixed words only."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot import flagspell, safety
from bot.messages import Config, Messages

DATA = Path(__file__).resolve().parent.parent / "data"
ALARMS = ("emergency", "crisis", "urgent")


def battery(name: str) -> list[tuple[str, str, str]]:
    """(expected kind, style, message) rows of a tab-separated battery in tests/data."""
    rows = []
    for line in (DATA / name).read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            kind, style, text = line.split("\t")
            rows.append((kind, style, text))
    return rows


TEST_BATTERY = battery("safety_test.tsv")


def kind_of(text: str) -> str:
    flag = safety.check(text)
    return flag.kind if flag else "none"


@pytest.mark.parametrize("kind, style, text", TEST_BATTERY, ids=[r[2][:60] for r in TEST_BATTERY])
def test_held_out_battery_gets_the_exact_kind(kind, style, text):
    assert kind_of(text) == kind


@pytest.mark.parametrize("question", ["can chemo cause bleeding gums?", "what is febrile neutropenia?",
                                      "does Taxol cause shortness of breath?",
                                      "how common are seizures with chemo?"])
def test_a_general_question_about_a_sign_raises_no_alarm_but_a_report_does(question):
    assert safety.is_general_question(question) and kind_of(question) in ("none", "advice")
    for report in ("my mum has it now, " + question, question + " I have it now",
                   question + " temperature 38.5", "what do I do? " + question):
        assert not safety.is_general_question(report), report
        assert kind_of(report) in ALARMS, report


@pytest.mark.parametrize("text", ["wat is neutropenic fevr", "DOES CHEMO MAKE U SHORT OF BRETH IN GENERAL"])
def test_the_general_question_test_reads_the_spelling_corrected_form(text):
    assert safety.is_general_question(text) and kind_of(text) == "none"


def test_a_sign_named_as_a_hypothetical_is_no_report_but_asking_what_to_do_still_flags():
    assert kind_of("do I need to tell the dentist I'm on chemo in case of bleeding") == "advice"
    assert kind_of("what do I do in case of a fever on chemo") == "urgent"
    assert kind_of("in case of bleeding who do I call") == "urgent"
    assert kind_of("I'm bleeding, I packed gauze in case of more") == "urgent"


def test_crisis_wording_flags_even_in_a_general_question():
    assert kind_of("does chemo make you want to die?") == "crisis"


def test_the_held_out_battery_is_the_size_the_issue_asks_for():
    alarms = [r for r in TEST_BATTERY if r[0] in ALARMS]
    ordinary = [r for r in TEST_BATTERY if r[0] not in ALARMS]
    assert len(alarms) >= 100 and len(ordinary) >= 180
    assert sum(r[1] == "typo" for r in alarms) * 3 >= len(alarms)
    assert {r[0] for r in alarms} == set(ALARMS)


@pytest.mark.parametrize("typed, meant", [
    ("fevr", "fever"), ("feaver", "fever"), ("feverr", "fever"), ("cheast", "chest"),
    ("bleding", "bleeding"), ("sucidal", "suicidal"), ("siezure", "seizure"),
    ("unconcious", "unconscious"), ("temprature", "temperature"), ("tounge", "tongue"),
    ("cantbreathe", "can't breathe"), ("killmyself", "kill myself"), ("cant", "can't"),
    ("head ache", "headache"), ("nose bleed", "nosebleed"), ("port a cath", "portacath"),
    ("accidently", "accidentally"), ("havin", "having"), ("chesst", "chest"), ("acros", "across"),
    ("cofing", "coughing"), ("coffed", "coughed"), ("stopp", "stop"), ("sudenly", "suddenly"),
    ("wont stopp", "won't stop"), ("wat", "what"), ("i cnt get my breth", "i can't get my breath"),
    ("od'd on my pills", "overdosed on my pills"), ("face n throat", "face and throat"),
    ("hard 2 breathe", "hard to breathe"), ("took 2 pills", "took 2 pills"),
    ("temp 38.5 at 2 am", "temperature 38.5 at 2 am"),
    ("faintd", "fainted"), ("breateh", "breathe"), ("fevesr", "fevers"), ("stp", "stop"),
    ("nmb", "numb"), ("afever", "a fever"), ("iwant to die", "i want to die"),
    ("cheastpain", "chest pain"), ("throwingup", "throwing up"), ("entiremonth's", "entire month's"),
    ("runnin a temp", "running a temperature"), ("gettin worse", "getting worse"), ("goin", "going"),
    ("painin my chest", "pain in my chest"),
    ("seasure happening now", "seizure happening now"), ("not stoping", "not stopping"),
    ("i tuk to many pils", "i took to many pills"), ("she tok", "she took"),
    ("better if i was ded", "better if i was dead"),
    ("lips swoll up", "lips swollen up"), ("blood everywere", "blood everywhere"),
    ("cant catch my breast", "can't catch my breath"),
    ("every one better of with out me", "everyone better off without me"),
])
def test_hurried_spellings_reach_the_red_flag_words(typed, meant):
    assert flagspell.correct(typed) == meant


@pytest.mark.parametrize("word", ["never", "fewer", "breath", "chemo", "herceptin", "letrozole",
                                  "cushing", "ever", "feet", "chess", "coffee", "stoop", "step", "offer",
                                  "pin", "pan", "saturday", "achilles", "capecitabine", "heparin",
                                  "insipidus", "hispanic", "stillbirth", "recessive", "medial",
                                  "hubby", "carers", "breast"])
def test_real_words_and_drug_names_are_never_made_into_red_flags(word):
    assert flagspell.correct(word) == word


@pytest.mark.parametrize("typed, read", [
    ("faintline on my test", "faint line on my test"), ("temp38.3", "temp 38.3"),
    ("can'tbreathe", "can't breathe"), ("mumdoesn't know me", "mum doesn't know me"),
    ("she ishaving a fit", "she is having a fit"), ("die athome", "die at home"),
    ("fighting thenausea", "fighting the nausea"), ("what is the dosage", "what is the dosage"),
    ("atrophy, recessive, infertility, ascites", "atrophy, recessive, infertility, ascites"),
    ("her2 and cdk4 and 5fu, 38c, 10mg", "her2 and cdk4 and 5fu, 38c, 10mg"),
])
def test_words_typed_together_are_read_apart_as_typed(typed, read):
    assert flagspell.unglue(typed) == read


@pytest.mark.parametrize("question", ["can heparin cause bleeding?", "is insipidus linked to confusion?",
                                      "what causes stillbirth, is fever a sign?"])
def test_a_word_is_not_read_apart_into_a_person_who_reports_a_sign(question):
    assert kind_of(question) in ("none", "advice")


def test_a_missed_space_is_read_apart_so_the_exception_to_a_rule_still_applies():
    assert kind_of("faintline on my lateral flow test, can I still have chemo") in ("none", "advice")
    assert kind_of("I want to die athome, can hospice help?") in ("none", "advice")
    assert kind_of("I can'tbreathe") == "emergency" and kind_of("Iwant to die") == "crisis"


@pytest.mark.parametrize("text, number", [("cant breath", "911"), ("hard to breath", "911"),
                                          ("coughin up blod", "911"), ("i wanna kil myself", "988"),
                                          ("i have a feaver on chemo", "911")])
def test_hurried_red_flags_reach_a_fixed_message_with_the_number(guide_bot, text, number):
    reply = guide_bot.ask(text)
    assert reply.kind == "emergency" and number in reply.message


@pytest.mark.parametrize("question", ["should I end my chemo?", "can radiation end my pain",
                                      "is chemo going to kill the cancer cells?",
                                      "does chemo affect my body temperature?", "stuffy nose",
                                      "should I end hormone therapy after five years?",
                                      "I'm dying to know how Kisqali works"])
def test_ordinary_questions_get_no_alarm_end_to_end(guide_bot, question):
    reply = guide_bot.ask(question)
    assert reply.kind != "emergency"
    assert "911" not in (reply.message or "") and "988" not in (reply.message or "")

EMERGENCY = [
    "I have chest pain",
    "I can't breathe",
    "I'm short of breath",
    "coughing up blood",
    "I vomited blood this morning",
    "the bleeding won't stop",
    "my husband fainted",
    "she is unconscious",
    "I think I'm having a seizure",
    "her face is drooping and her speech is slurred",
    "my throat is swelling",
    "I took too many pills",
    "overdose",
]
CRISIS = [
    "I have suicidal thoughts",
    "I want to die",
    "I want to end my life",
    "I'm going to kill myself",
    "I keep thinking about self-harm",
    "I don't want to live anymore",
]
URGENT = [
    "I have a fever",
    "my temperature is 37.9 and I'm on chemo",
    "I have chills after treatment",
    "new back pain and my legs feel weak",
    "back pain and I can't control my bladder",
    "sudden severe headache",
    "I feel confused",
    "my left leg is swollen and painful",
    "I have unusual bruising",
    "I can't keep fluids down",
]


REWORDED = [line.strip() for line in """
my wife collapsed and isn't responding
it feels like an elephant is sitting on my chest
there's blood when I cough
I accidentally took a double dose of my pain pills
I swallowed a whole bottle of pills
I don't see the point in living anymore
nobody would miss me if I was gone
my temp is 100.4
I feel feverish and shaky after chemo yesterday
I've lost control of my bowels and my back hurts
my calf is red, swollen and sore
diarrhea 8 times today
I can't stop shaking and I feel hot
my port site is red and oozing
the worst headache of my life came on suddenly
""".strip().splitlines()]


@pytest.mark.parametrize("text", REWORDED)
def test_reworded_red_flags_reach_the_emergency_reply(guide_bot, text):
    assert guide_bot.ask(text).kind == "emergency"


def variants(text: str) -> list[str]:
    return [
        text,
        text.upper(),
        text.replace("a", "a\u200b", 1).replace("e", "\u200de", 1),
        text.replace("'", "\u2019"),
        f"Hello, sorry to bother you but {text} since this morning, what should I do?",
    ]


@pytest.mark.parametrize("text", [v for t in EMERGENCY for v in variants(t)])
def test_emergencies(text):
    flag = safety.check(text)
    assert flag is not None and flag.kind == "emergency", text


@pytest.mark.parametrize("text", [v for t in CRISIS for v in variants(t)])
def test_crisis(text):
    flag = safety.check(text)
    assert flag is not None and flag.kind in ("crisis", "emergency"), text


@pytest.mark.parametrize("text", [v for t in URGENT for v in variants(t)])
def test_urgent(text):
    flag = safety.check(text)
    assert flag is not None and flag.kind in ("urgent", "emergency", "crisis"), text


@pytest.mark.parametrize("text", ["chest x-ray appointment", "what is palliative care for pain",
                                  "breathing exercises", "What is Herceptin used for?",
                                  "What is hospice care?", "end of life care", "end-of-life care",
                                  "kill the pain", "dying to know", "How do I store it at room temperature?",
                                  "should I end hormone therapy after five years?"])
def test_negative_controls_do_not_trigger(text):
    flag = safety.check(text)
    assert flag is None or flag.kind == "advice"


def test_emergency_reply_is_fixed_and_has_no_quotes(guide_bot):
    reply = guide_bot.ask("I can't breathe and my chest hurts")
    assert reply.kind == "emergency" and not reply.passages
    assert "911" in reply.message


def test_crisis_reply_gives_crisis_line(guide_bot):
    reply = guide_bot.ask("I want to end my life")
    assert reply.kind == "emergency" and "988" in reply.message and not reply.passages


def test_urgent_reply_comes_first_and_quotes_may_follow(guide_bot):
    reply = guide_bot.ask("I have a fever and I'm on chemo")
    assert reply.kind == "emergency"
    assert reply.message == guide_bot.messages.get("urgent")


def test_uk_region_numbers():
    m = Messages(Config(region="UK"))
    assert "999" in m.get("emergency") and "116 123" in m.get("crisis")


def test_clinic_line_from_config():
    m = Messages(Config(clinic_name="St Elsewhere", clinic_line="0100 000 000"))
    assert "St Elsewhere" in m.get("urgent") and "0100 000 000" in m.get("urgent")


def test_unknown_region_is_rejected():
    with pytest.raises(ValueError, match="US, UK"):
        Config.from_env("FR")


@pytest.mark.parametrize("question", ["How much tamoxifen should I take?", "What dose of letrozole?",
                                      "I missed a dose of Ibrance", "Should I stop taking tamoxifen?",
                                      "Is it safe for me to take Kisqali?", "Which treatment is best for me?",
                                      "Has my cancer spread?", "How long do I have?",
                                      "Does Herceptin interact with ibuprofen?", "Do I have cancer?"])
def test_advice_seeking_gets_the_redirect(guide_bot, question):
    reply = guide_bot.ask(question)
    assert reply.kind == "advice"
    assert "oncologist, nurse or pharmacist" in reply.message


def test_advice_is_followed_by_the_relevant_quotes(guide_bot):
    reply = guide_bot.ask("Should I stop taking tamoxifen?")
    assert reply.passages and all("tamoxifen" in h.passage.text for h in reply.passages[:2])


@pytest.mark.parametrize("question", ["What are the early signs of breast cancer?",
                                      "How often should I get a mammogram?",
                                      "What foods should I eat during chemotherapy?",
                                      "Who won the world cup?"])
def test_uncovered_questions_are_declined(guide_bot, question):
    reply = guide_bot.ask(question)
    assert not reply.passages
    assert reply.kind in ("no_match", "advice")


def test_near_miss_gives_related_pointers_not_answers(guide_bot):
    reply = guide_bot.ask("What are the side effects of tamoxifen?")
    assert reply.kind == "no_match" and not reply.passages
    assert any("tamoxifen" in h.passage.text for h in reply.related)


def test_only_stopwords_asks_for_more_words(guide_bot):
    reply = guide_bot.ask("what is it?")
    assert reply.message == guide_bot.messages.get("add_words")


@pytest.mark.parametrize("text, name", [("hello", "hello"), ("Thanks!", "thanks"), ("bye", "bye"),
                                        ("help", "help"), ("who are you?", "who"),
                                        ("what can you do", "help")])
def test_small_talk(guide_bot, text, name):
    reply = guide_bot.ask(text)
    assert reply.kind == "smalltalk" and reply.message == guide_bot.messages.get(name)


def test_help_lists_examples_and_limits(guide_bot):
    text = guide_bot.messages.get("help")
    assert "What is Herceptin used for?" in text and "can't give medical advice" in text


def test_every_fixed_message_is_enumerated_and_filled():
    m = Messages()
    names = m.names()
    for required in ("greeting", "help", "no_match", "add_words", "advice", "emergency", "crisis",
                     "urgent", "outdated", "disclaimer"):
        assert required in names
    for name, text in m.all().items():
        assert text.strip() and "{" not in text.replace("{query}", ""), name


def test_outdated_passages_carry_the_notice(guide_bot):
    reply = guide_bot.ask("Are PARP inhibitors available?")
    parp = [h for h in reply.passages if "only in clinical trials" in h.passage.text]
    assert parp
    d = reply.to_dict()
    row = next(p for p in d["passages"] if "only in clinical trials" in p["text"])
    assert row["notice"] == guide_bot.messages.get("outdated")
    assert row["content_date"] == "undated"


def test_three_outdated_statements_are_marked(guide_bot):
    marked = [guide_bot.by_id[pid].text for pid in guide_bot.outdated]
    assert any("PARP inhibitors is available only in clinical trials" in t for t in marked)
    assert any("no approved targeted therapy drugs for triple negative" in t for t in marked)
    assert any(t.startswith("Checkpoint inhibitors") for t in marked)


def with_open_rows(rows: list[tuple[str, str, str]]) -> list:
    """Battery rows as test parameters; a row of class ".../open" (still wrong, see the file's
    header) is a strict xfail, so the day it passes the test asks for its mark to be removed."""
    return [pytest.param(kind, style, text, id=text[:60],
                         marks=[pytest.mark.xfail(strict=True, reason="open row")]
                         if style.endswith("/open") else [])
            for kind, style, text in rows]


BLIND7_BATTERY = battery("safety_blind7.tsv")


def test_every_seventh_blind_alarm_is_flagged_as_its_kind():
    alarms = [r for r in BLIND7_BATTERY if r[0] in ALARMS]
    assert len(alarms) >= 171 and not [r for r in alarms if r[1].endswith("/open")]
    assert [r[2] for r in alarms if kind_of(r[2]) != r[0]] == []


BLIND8_BATTERY = battery("safety_blind8.tsv")


def test_every_eighth_blind_alarm_is_flagged_as_its_kind():
    alarms = [r for r in BLIND8_BATTERY if r[0] in ALARMS and r[1] != "either"]
    assert len(alarms) >= 137 and not [r for r in alarms if r[1].endswith("/open")]
    assert [r[2] for r in alarms if kind_of(r[2]) != r[0]] == []


def test_eighth_blind_false_alarms_are_few_and_marked_open():
    ordinary = [r for r in BLIND8_BATTERY if r[1].startswith("ordinary") and r[0] not in ALARMS]
    alarmed = [r for r in ordinary if kind_of(r[2]) in ALARMS]
    assert len(ordinary) >= 290 and len(alarmed) <= 3
    assert all(r[1].endswith("/open") for r in alarmed)


@pytest.mark.parametrize("typed, meant", [
    ("having a seas your", "having a seizure"), ("had a see sure", "had a seizure"), ("ceasure", "seizure"),
    ("chess pain", "chest pain"), ("feinted", "fainted"), ("shivvers", "shivers"),
    ("diarea", "diarrhea"), ("cant breed", "can't breathe"), ("she past out", "she passed out"),
    ("cant keep nothhing down", "can't keep nothing down"), ("nohting stays down", "nothing stays down"),
    ("i cann't breathe", "i can't breathe"), ("chesttpain", "chest pain"), ("tight feelling", "tight feeling"),
    ("shes fittting", "she's fitting"), ("keeps seeng things", "keeps seeing things"),
    ("struggling to breed", "struggling to breathe"), ("sueside", "suicide"), ("sewer side", "suicide"),
])
def test_sound_alike_and_dictation_spellings_reach_the_red_flag_words(typed, meant):
    assert flagspell.correct(typed) == meant


@pytest.mark.parametrize("text", ["she says your temperature is fine", "can you overdose on vitamin d",
                                  "i play chess in the afternoons", "says your nurse", "she sees your gp",
                                  "the sea's your best friend", "she doesn't know", "it isn't"])
def test_two_ordinary_words_are_not_heard_as_a_red_flag_word(text):
    assert flagspell.correct(text) == text


@pytest.mark.parametrize("typed, meant", [("my chest's tight", "my chest is tight"),
                                          ("her throats swelling", "her throat is swelling"),
                                          ("both legs numb", "both legs numb"),
                                          ("the chest's x ray was fine", "the chest's x ray was fine")])
def test_a_sign_noun_with_an_s_for_is_reads_as_noun_and_is(typed, meant):
    assert flagspell.correct(typed) == meant


BLIND9_BATTERY = battery("safety_blind9.tsv")


def test_every_ninth_blind_alarm_is_flagged_as_its_kind():
    alarms = [r for r in BLIND9_BATTERY if r[0] in ALARMS and not r[1].startswith("either")]
    assert len(alarms) >= 125 and not [r for r in alarms if r[1].endswith("/open")]
    assert [r[2] for r in alarms if kind_of(r[2]) != r[0]] == []


BLIND10_BATTERY = battery("safety_blind10.tsv")


def test_every_tenth_blind_alarm_raises_an_alarm():
    alarms = [r for r in BLIND10_BATTERY if r[1].split("/")[0] in ALARMS]
    assert len(alarms) >= 125
    assert [r[2] for r in alarms if kind_of(r[2]) not in ALARMS] == []


# Every development battery, row by row (the frozen TEST_BATTERY above is held out). A row of
# class ".../open" is a strict expected failure (see with_open_rows).
DEVELOPMENT_FILES = sorted(p.name for p in DATA.glob("safety_*.tsv") if p.name != "safety_test.tsv")


@pytest.mark.parametrize("kind, style, text", [
    pytest.param(*row.values, id=f"{name.removeprefix('safety_').removesuffix('.tsv')}: {row.id}",
                 marks=row.marks)
    for name in DEVELOPMENT_FILES for row in with_open_rows(battery(name))])
def test_development_battery_row_gets_the_exact_kind(kind, style, text):
    assert kind_of(text) == kind
