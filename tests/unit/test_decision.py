"""One place decides: quote, or decline honestly (bot/decision.py)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import bot
from bot.corpus import bundled_dir

ROOT = Path(__file__).resolve().parent.parent.parent


def quoted(reply, text: str) -> bool:
    return any(text in h.passage.text for h in reply.passages)


@pytest.mark.parametrize("q, gold", [
    ("What are the brand names of Ribociclib ?", "ribociclib (Kisqali)"),
    ("Who should get Abemaciclib and why is it prescribed ?", "abemaciclib (Verzenio)"),
    ("Who should get Carboplatin Injection and why is it prescribed ?", "carboplatin (Paraplatin)"),
    ("how do aromatase inhibitors work?", "Aromatase inhibitor"),
    ("kemo for HER2 positive", "anti-HER2"),
])
def test_questions_the_guide_answers_are_answered(guide_bot, q, gold):
    reply = guide_bot.ask(q)
    assert reply.kind == "answer" and quoted(reply, gold)


def test_a_type_the_guide_declares_it_does_not_answer_is_named(guide_bot):
    reply = guide_bot.ask("What should I know about storage and disposal of Letrozole ?")
    assert reply.kind == "no_match" and not reply.passages
    assert "doesn't cover storing or disposing of medicines" in reply.message


def test_an_uncertain_decline_says_so_without_claiming_the_guide_lacks_it(guide_bot):
    reply = guide_bot.ask("is the moon bad for chemo")
    assert reply.kind == "no_match" and not reply.passages
    assert reply.message.startswith("I couldn't find a passage")


@pytest.mark.parametrize("q", [
    # a type asked in plain words, no framing word the type model knows
    "can I get a tattoo during chemo",
    "Can I keep working full time on hormone therapy?",
])
def test_an_everyday_activity_in_plain_words_is_a_type_the_guide_does_not_cover(guide_bot, q):
    reply = guide_bot.ask(q)
    assert reply.kind == "no_match" and not reply.passages
    assert "doesn't cover everyday activities" in reply.message


@pytest.mark.parametrize("q", ["How long does he have?", "how much time do I have left",
                               "how long have I got with stage 4",
                               # devices for giving treatment: the guide names none
                               "how is a chemo port put in", "does a PICC line hurt",
                               # alcohol beside a drug: the guide never speaks of it
                               "can I have a glass of wine while on letrozole",
                               # a procedure the guide never names, introduced by its name
                               "They want to try something called SIRT on my liver. How does it work?"])
def test_what_the_guide_never_covers_in_lay_words_is_not_quoted(guide_bot, q):
    reply = guide_bot.ask(q)
    assert not reply.passages


def test_near_miss_points_to_the_drug_but_does_not_answer(guide_bot):
    reply = guide_bot.ask("What are the side effects of tamoxifen?")
    assert reply.kind == "no_match" and not reply.passages
    assert any("tamoxifen" in h.passage.text for h in reply.related)


@pytest.mark.parametrize("q", ["What is the usual dose of tamoxifen?", "What is the dosage of letrozole?",
                               # schedules are doses too: the guide gives none
                               "how many rounds of chemo do people usually have",
                               # a guess split between dose and missed dose still asks a dose
                               "what dose of capecitabine do people usually take",
                               "how many radiation sessions will I need"])
def test_a_dose_question_gets_the_advice_message_without_a_dose_quote(guide_bot, q):
    """The guide has no doses: a general dose question gets the advice message alone."""
    reply = guide_bot.ask(q)
    assert reply.kind == "advice" and not reply.passages
    assert "pharmacist" in reply.message


@pytest.mark.parametrize("q", ["I missed a dose of anastrozole, what should I do?",
                               "What should I do if I miss a dose of letrozole?",
                               "my mum forgot to take her Ibrance tablets yesterday",
                               "I skipped my tamoxifen pill this morning, is that bad?"])
def test_a_missed_dose_gets_no_quote_of_the_drug_even_when_personal(guide_bot, q):
    """What to do after a missed dose: no row of the drug says, so none is quoted."""
    reply = guide_bot.ask(q)
    assert not reply.passages
    assert reply.kind in ("advice", "no_match")


@pytest.mark.parametrize("q, drug", [("What dose of tamoxifen is right for me?", "tamoxifen"),
                                     ("how often do I get Faslodex", "Faslodex")])
def test_a_personal_dose_question_gets_advice_then_what_the_guide_says_of_the_drug(guide_bot, q, drug):
    reply = guide_bot.ask(q)
    assert reply.kind == "advice" and "pharmacist" in reply.message
    assert reply.passages and drug in reply.passages[0].passage.text


def test_a_personal_comparison_is_advice_with_both_drugs_quoted(guide_bot):
    reply = guide_bot.ask("Can you tell me whether Verzenio is better than Ibrance for me?")
    assert reply.kind == "advice"
    top = " ".join(h.passage.text for h in reply.passages[:2])
    assert "Verzenio" in top and "Ibrance" in top


def test_stopping_a_drug_quotes_its_rows_not_hospice_first(guide_bot):
    reply = guide_bot.ask("should I stop taking letrozole?")
    assert reply.kind == "advice"
    assert "letrozole" in reply.passages[0].passage.text
    assert "hospice" not in reply.passages[0].passage.text


def test_a_story_is_answered_on_its_question(guide_bot):
    reply = guide_bot.ask("I finished radiation last year. Now the scan shows three spots in my "
                          "brain. What treatment is used when there are several tumours in the brain?")
    assert quoted(reply, "whole-brain radiation")


def test_a_document_without_declared_types_never_names_a_type(tmp_path):
    text = (ROOT / "corpus" / "advanced-breast-cancer.txt").read_text(encoding="utf-8")
    (tmp_path / "guide.txt").write_text(text, encoding="utf-8")
    b = bot.load(tmp_path)
    reply = b.ask("What should I know about storage and disposal of Letrozole ?")
    assert "doesn't cover" not in (reply.message or "")


def test_eval_curve_shows_the_trade_off(tmp_path):
    rows = [{"kind": "single", "question": "What is Herceptin used for?", "gold": ["trastuzumab"]},
            {"kind": "out_of_scope", "question": "How much does Ibrance cost?", "gold": []}]
    f = tmp_path / "q.jsonl"
    f.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "bot", "eval", str(f), "--curve"],
                         capture_output=True, text=True, cwd=ROOT, check=True).stdout
    assert "out-of-scope answered" in out
    lines = [ln for ln in out.splitlines() if ln.strip()[:4] in ("0.00", "0.50", "1.00")]
    assert len(lines) == 3


def test_related_pointers_show_their_best_sentence_not_a_header():
    out = subprocess.run([sys.executable, "-m", "bot", "ask", "What are the side effects of tamoxifen?"],
                         capture_output=True, text=True, cwd=ROOT, check=True).stdout
    pointers = [ln for ln in out.splitlines() if ln.startswith("  - ")]
    assert pointers and "\u201ctamoxifen Selective estrogen receptor modulator (SERM)\u201d" in pointers[0]
    assert not any("Approved/Recommended Treatment" in ln for ln in pointers)


def test_a_story_word_does_not_make_the_question_out_of_scope(guide_bot):
    reply = guide_bot.ask("My mother was diagnosed in 2019 and has been on Arimidex. The doctors "
                          "want to switch her to Faslodex. What is Faslodex?")
    assert quoted(reply, "fulvestrant (Faslodex)")


@pytest.mark.parametrize("q, gold", [
    # a lay word for the drug's form is part of its name, not another topic
    ("what is the Lupron shot for", "leuprolide (Lupron)"),
    ("what kind of drug is the Zoladex implant", "goserelin (Zoladex)"),
    # a phrase naming symptom relief is palliative care, not a question about symptoms
    ("what can help with symptoms like nausea", "Palliative care is treatment focused on symptoms"),
    ("are radiation and surgery mostly for symptoms?", "primarily to relieve symptoms"),
    # the asker's own words around the question (someone, explain, means, said) are no topics
    ("Can someone explain what triple negative means and why my doctor says chemo is the "
     "main option?", "Chemotherapy is a treatment option if your cancer cells are triple negative"),
    # lay words for the guide's resistance, single drug, what a drug is used for, its names
    ("why did my cancer stop responding?", "Resistance occurs when"),
    ("Do they give one chemo drug or several at a time?", "combination of two drugs"),
    ("T-DM1 indication", "ado-trastuzumab emtansine (Kadcyla T-DM1)"),
    ("Taxol generic name", "paclitaxel (Taxol)"),
    # when something was done ("years ago") and a letter's courtesies are no topics
    ("Does the chemo I had ten years ago change what the oncologist will suggest now?",
     "Whether you have had previous treatment"),
    ("Dear Sir, my wife's consultant has started her on a tablet called Arimidex. I should be most "
     "grateful if you could tell me what manner of drug this is.", "anastrazole (Arimidex)"),
    ("My cancer came back in my bones after eight years clear. My son wants me to see another "
     "specialist. Is it reasonable to ask for a second opinion?", "consider seeking a second opinion"),
    # whether asking is polite is a way of asking whether to do it ("a second doctor": one)
    ("Is it rude to ask for a second opinion? Is it worth doing?", "consider seeking a second opinion"),
    ("I keep reading about people going to a second doctor. Is that rude to my oncologist?",
     "consider seeking a second opinion"),
    # "what does that involve?" asks what the thing is, like "explain"
    ("The consultant is talking about a Gamma Knife for the spot on my brain. What does that involve?",
     "Radiation therapy is commonly used for brain metastases"),
    # "do people usually": a hedge, no topic (the chemotherapy passage's "typically" is none)
    ("How long do people usually stay on hormone therapy?", "continue taking hormone therapy"),
    # a scan reporting what it found, and how long an aside lasted ("after a couple of
    # years"), are no topics
    ("my latest scan showed it has grown again, what else can they try?", "Resistance occurs when"),
    ("her tamoxifen stopped working after a couple of years, why does that happen?",
     "Resistance occurs when"),
    # lay words for the guide's terms: an abbreviation, surgery first, treatment without end
    ("what does ER stand for?", "testing for estrogen (ER)"),
    ("can herceptin be given before the operation?", "or as neoadjuvant therapy"),
    ("my husband is worn down by treatment that never ends, can he stop for a while?",
     "continual treatment can take a toll"),
    # symptoms the cancer causes, many of them: the chemotherapy passage's own words
    ("my wife has lots of symptoms from her cancer, will they use two chemo drugs?",
     "many cancer-related symptoms"),
    ("will the treatment she starts with be the one she stays on?", "may need to be adjusted"),
    # "treatment choice" is choosing a treatment: what it depends on
    ("factors in the choice of treatment", "depend on many factors"),
    # getting rid of the cancer itself, not of a symptom ("get rid of nausea": palliative care)
    ("will radiotherapy get rid of the cancer now it has spread?", "not to treat the disease"),
    # the family's stance on a decision told in the story ("we respect that") is no topic
    ("Gran doesn't want any more treatment and we respect that. Where will she go now, can she stay "
     "home?", "Hospice care can take place at home"),
])
def test_lay_wordings_of_what_the_guide_covers_are_answered(guide_bot, q, gold):
    reply = guide_bot.ask(q)
    assert reply.kind == "answer" and quoted(reply, gold)
    assert "doesn't cover" not in (reply.message or "")


def test_asking_what_the_symptoms_are_is_still_a_type_the_guide_does_not_cover(guide_bot):
    reply = guide_bot.ask("what are the symptoms of breast cancer in the bones")
    assert reply.kind == "no_match" and "doesn't cover symptoms" in reply.message


@pytest.mark.parametrize("q", ["what symptoms mean the cancer has spread to the bones",
                               "what symptoms mean it is time for hospice"])
def test_signs_of_spread_or_of_the_end_are_still_symptoms_the_guide_does_not_cover(guide_bot, q):
    reply = guide_bot.ask(q)
    assert reply.kind == "no_match" and "doesn't cover symptoms" in reply.message


def test_which_symptoms_palliative_care_treats_is_said_by_its_passage(guide_bot):
    # the symptoms type's own words in a passage covering the whole question: it answers
    reply = guide_bot.ask("which symptoms does palliative care treat?")
    assert reply.kind == "answer" and quoted(reply, "pain, fatigue, nausea and neuropathy")


@pytest.mark.parametrize("q", ["what does a bone scan show?", "which scan finds cancer in the liver",
                               "how many women are alive after five years with stage 4?"])
def test_asking_about_a_scan_or_a_survival_span_is_not_answered(guide_bot, q):
    # a scan reporting ("the scan showed") or an aside's span ("after a year") is no topic; a
    # question about the scan itself or about survival after some years keeps its topic
    reply = guide_bot.ask(q)
    assert not (reply.kind == "answer" and reply.passages)


@pytest.mark.parametrize("q", ["difference between stage 3 and stage 4", "is stage three the same as advanced?",
                               "will I have to stay in hospital after whole brain radiation?"])
def test_an_earlier_stage_or_a_hospital_stay_asked_about_is_not_covered(guide_bot, q):
    reply = guide_bot.ask(q)
    assert reply.kind == "no_match" and "doesn't cover that" in reply.message


def test_a_hospital_stay_told_in_the_story_does_not_decline_the_question(guide_bot):
    reply = guide_bot.ask("Mum came home after a hospital stay last week. What is hospice care?")
    assert reply.kind == "answer"


def test_an_earlier_stage_told_in_the_story_does_not_decline_the_question(guide_bot):
    reply = guide_bot.ask("I was stage 2 ten years ago and now it has spread to my bones, what are my options?")
    assert reply.kind == "answer" and quoted(reply, "depend on many factors")


@pytest.mark.parametrize("q, first", [
    ("Is Arimidex a SERM like tamoxifen?", "anastrazole (Arimidex)"),
    ("is fulvestrent an aromatase inhibitor or not?", "fulvestrant (Faslodex)"),
    ("is anastrozole an aromatase inhibitor", "anastrazole (Arimidex)"),
    # one drug named: its own row before rows naming it as a companion ("or with lapatinib")
    ("what drugs is lapatinib used with", "lapatinib (Tykerb)"),
    # what one drug is, beside another; whether the one drug the story names is the usual course
    ("What is Faslodex and how is it different from tamoxifen?", "fulvestrant (Faslodex)"),
    ("My oncologist wants to move me onto Kisqali. Is that the normal next step?", "ribociclib (Kisqali)"),
])
def test_whether_a_drug_is_of_a_kind_quotes_its_own_row_first(guide_bot, q, first):
    # the row of the drug asked about, not the row of the kind it is set against, nor a row
    # naming it among another drug's companions ("after letrozole or anastrozole")
    reply = guide_bot.ask(q)
    assert reply.kind == "answer" and first in reply.passages[0].passage.text


@pytest.mark.parametrize("q", ["how do I get access to my medical records?",
                               "is there wheelchair access to the clinic?",
                               "my husband and I disagree about money, what should we do?",
                               "how many weeks off between cycles?",
                               "what is the toll of cancer on the economy?"])
def test_lay_phrases_of_trials_opinions_and_breaks_need_their_context(guide_bot, q):
    # "access to newer drugs" is a trial, "doctors disagree" is opinions, "a few weeks off
    # treatment" is a break; bare "access to", "disagree", "weeks off" are none of them
    reply = guide_bot.ask(q)
    assert not reply.passages


@pytest.mark.parametrize("q", ["My oncologist wants to move me onto Kisqali. Is that the normal next step?",
                               "Mum's oncologist is talking about Afinitor now. Is that the usual next step for her?"])
def test_a_passage_is_quoted_once(guide_bot, q):
    # the passages of a drug's section and the drug's rows can overlap: each is quoted once
    reply = guide_bot.ask(q, k=6)
    ids = [h.passage.id for h in reply.passages]
    assert ids and len(ids) == len(set(ids))


def test_an_unnamed_time_is_no_topic(guide_bot):
    # "at some point" is when, not "the point" (the goal) of something
    reply = guide_bot.ask("Could chemo get added on top of my hormone treatment at some point?")
    assert reply.kind == "answer" and "Chemotherapy may be added" in reply.passages[0].passage.text


@pytest.mark.parametrize("q", ["Do I need to stop taking my antidepressant while on tamoxifen?",
                               "Can I keep taking sertraline with letrozole?",
                               "How much radiation dose is used for gamma knife to the brain?"])
def test_another_medicine_alongside_or_a_radiation_dose_is_not_covered(guide_bot, q):
    reply = guide_bot.ask(q)
    assert not reply.passages


def test_painkillers_told_beside_a_question_on_radiation_for_the_bone_are_answered(guide_bot):
    reply = guide_bot.ask("The painkillers aren't helping my hip pain, can radiation help the bone?")
    assert reply.kind == "answer" and quoted(reply, "other metastatic sites, such as the bone")


def test_a_short_topic_word_is_not_dropped_as_a_typo(guide_bot):
    # "soy" is too short to spell-check, but MedQuAD knows it as a topic: no passage covers it
    reply = guide_bot.ask("can I have soy with letrozole")
    assert not (reply.kind == "answer" and reply.passages)


def test_how_long_on_my_own_drug_quotes_its_sections_paragraph_first_under_the_advice_message(guide_bot):
    # a personal question gets the advice message; how long is still said by the paragraph
    reply = guide_bot.ask("How long will I have to keep taking my anastrozole?")
    assert reply.kind == "advice"
    assert "continue taking hormone therapy for as long as" in reply.passages[0].passage.text
    assert quoted(reply, "anastrazole (Arimidex)")


def test_how_long_on_a_listed_drug_quotes_its_sections_paragraph_then_its_row(guide_bot):
    reply = guide_bot.ask("how long do I stay on tamoxifen")
    assert reply.kind == "answer"
    assert "continue taking hormone therapy for as long as" in reply.passages[0].passage.text
    assert quoted(reply, "tamoxifen")


HAIR_PAGE = """<!doctype html><html><head><title>Hair Care During Treatment | City Hospital</title></head>
<body><nav><a href="/">Home</a></nav><main><h1>Hair Care During Treatment</h1>
<p>Some treatments make hair thin. These things can help:</p>
<ul><li>Use a mild shampoo</li><li>Wear a soft cap at night</li></ul>
<h2>Scalp cooling</h2><p>Scalp cooling uses a cold cap during the infusion to reduce hair loss.</p>
<h3>Who can use it</h3><p>Ask your nurse whether scalp cooling suits your drug.</p>
</main><footer>City Hospital</footer></body></html>
"""


@pytest.mark.parametrize("question", ["how does scalp cooling work?", "what is scalp cooling?"])
def test_a_question_naming_a_clinic_pages_heading_is_answered_from_that_section(tmp_path, question):
    """A clinic's own page beside the guide: its headings name things as the guide's table rows
    do, so a question about what a section is headed is quoted, not declined."""
    for f in bundled_dir().iterdir():
        if f.is_file():
            shutil.copy(f, tmp_path / f.name)
    (tmp_path / "hair.html").write_text(HAIR_PAGE, encoding="utf-8")
    reply = bot.load(tmp_path).ask(question)
    assert reply.kind == "answer"
    assert reply.passages[0].passage.text.startswith("Scalp cooling uses a cold cap")


@pytest.mark.parametrize("q", ["When is chemo used instead of hormone therapy?",
                               "who needs chemo rather than hormone pills"])
def test_one_treatment_instead_of_another_quotes_the_passage_naming_both(guide_bot, q):
    reply = guide_bot.ask(q)
    assert reply.kind == "answer"
    assert quoted(reply, "Chemotherapy is a treatment option if your cancer cells are triple negative")



@pytest.mark.parametrize("q, gold", [
    ("Does the number of places where it spread change which treatment he gets?",
     "How many metastatic sites there are and where"),
    ("Is going through the change of life important for deciding my treatment?",
     "what your menopausal status is"),
    ("Does it matter for the treatment if this is the first time it is found?",
     "Whether advanced breast cancer is the initial diagnosis"),
    ("Could you kindly tell me what things the doctor looks at when choosing a treatment?",
     "depend on many factors"),
])
def test_treatment_choice_factors_in_lay_words_quote_the_guide_s_factors(guide_bot, q, gold):
    assert quoted(guide_bot.ask(q), gold)


def test_whose_decision_in_a_story_quotes_the_decision_is_yours(guide_bot):
    reply = guide_bot.ask("My children want me to keep fighting and I keep going back and forth. "
                          "Whose decision is it in the end?")
    assert quoted(reply, "the decision is yours to make")


def test_how_long_people_stay_on_a_treatment_is_not_a_support_question(guide_bot):
    reply = guide_bot.ask("How long do people with advanced cancer usually stay on hormone therapy?")
    assert quoted(reply, "for as long as the cancer is not growing")


@pytest.mark.parametrize("q", ["How many hours does a Herceptin infusion take at the clinic?",
                               "How long does each Kadcyla infusion session last?"])
def test_how_long_a_session_takes_quotes_nothing(guide_bot, q):
    assert not guide_bot.ask(q).passages


def test_a_misspelled_word_of_the_asker_is_no_absent_topic(guide_bot):
    assert quoted(guide_bot.ask("hospise care at home posible"), "hospice")


@pytest.mark.parametrize("q, gold", [
    ("I read about checkpoint inhibitors. What are they?", "Checkpoint inhibitors are"),
    ("A friend told me about checkpoint inhibitors. How do they work?", "Checkpoint inhibitors are"),
    ("my ER test came back positive, what does that mean for treatment", "A key factor in determining"),
    ("mum wants to stop everything, what then", "choose to stop treatment altogether"),
])
def test_a_topic_named_in_plain_words_before_the_question_is_what_it_asks_about(guide_bot, q, gold):
    reply = guide_bot.ask(q)
    assert reply.kind == "answer" and gold in reply.passages[0].passage.text


def test_a_story_topic_the_guide_never_names_is_not_answered_by_its_common_word(guide_bot):
    reply = guide_bot.ask("I read about proton beam therapy. What is it?")
    assert not reply.passages


@pytest.mark.parametrize("q, gold", [
    ("Which chemotherapy drugs are commonly used?", "capecitabine (Xeloda)"),
    ("what hormone pills are there to pick from", "Many types of hormone therapy drugs are available"),
])
def test_asking_which_drugs_there_are_quotes_the_list_first(guide_bot, q, gold):
    reply = guide_bot.ask(q)
    assert gold in reply.passages[0].passage.text


def test_asking_which_drugs_of_a_kind_are_used_quotes_rows_of_their_table(guide_bot):
    reply = guide_bot.ask("What hormone therapy drugs are commonly used for advanced breast cancer?")
    assert any(p.passage.kind == "table_row" and p.passage.section[-1].startswith("Table 1")
               for p in reply.passages)


def test_asking_which_drugs_go_with_a_named_drug_keeps_its_row_first(guide_bot):
    reply = guide_bot.ask("Perjeta is given along with which other drugs?")
    assert reply.passages[0].passage.text.startswith("pertuzumab (Perjeta)")


def test_of_two_near_ties_the_passage_covering_more_of_the_question_comes_first(guide_bot):
    reply = guide_bot.ask("Does it matter how fast the cancer is growing when choosing treatment?")
    assert "How quickly or slowly the disease is progressing" in reply.passages[0].passage.text


def test_a_table_row_whose_cell_is_what_the_question_names_answers_first(guide_bot):
    reply = guide_bot.ask("Can estrogen itself be used as a treatment?")
    assert reply.passages[0].passage.text == "ethinyl estradiol Estrogen"


@pytest.mark.parametrize("q, gold", [
    # where a result is written is no topic
    ("What do ER, PR and HER2 mean on my pathology report?", "A key factor in determining"),
    # a short last question naming a thing is the question, not the indirect one before it
    ("I was told I have HER2 positive and was going to ask what it means but they rushed me "
     "out. What is HER2 exactly?", "A key factor in determining"),
    # a person pronoun beside the drug the question names is a person, not a pointer
    ("My friend is on Herceptin and Perjeta and I'm on letrozole plus Ibrance. Why did she get "
     "Herceptin and I didn't?", "trastuzumab (Herceptin)"),
    # who the patient is, beside a thing the guide names, is no topic
    ("Is the receptor test done for men with breast cancer too?", "A key factor in determining"),
    # a demonstrative naming a treatment points at the story's drug; 'thanks in advance' is no stage
    ("My oncologist wants me on tamoxifen. Is this the same drug women take? Thanks in advance.",
     "tamoxifen"),
    # previous treatment and general health in lay words are the guide's factors
    ("Will the treatment I had before change what they offer me now?", "previous treatment"),
    ("Does being frail change what treatment she can have?", "how healthy you are overall"),
    # where she lives is the guide's place of care
    ("She lives in a nursing home. Can hospice happen where she lives or does she have to move?",
     "Hospice care can take place at home"),
    # 'like this' points at the story: no topic
    ("Mum's cancer went to her liver. What treatments are there for cancer like hers?",
     "Several treatment options are available"),
    # 'use' frames like 'used'
    ("when do they use kemo for advanced breast cancer", "Chemotherapy is a treatment option"),
])
def test_decision_round_10_classes_are_answered(guide_bot, q, gold):
    reply = guide_bot.ask(q)
    assert reply.kind in ("answer", "advice") and quoted(reply, gold)


@pytest.mark.parametrize("q", [
    # a claim told in the story and asked about: the guide never makes it
    "I'm on tamoxifen and my friend said grapefruit juice interferes with it. Is that true?",
    "My aunt said letrozole makes your hair fall out. Is that right?",
    # how long a side effect lasts: no duration the guide gives
    "How long does numbness from Taxol last after the last dose?",
    "how long will the nausea from chemo go on for?",
    # history of a treatment
    "Who invented chemotherapy?", "who discovered Herceptin and how?",
    # men as the topic itself keeps the topic
    "Can men get breast cancer?",
    # a name the guide never uses, pointed at by 'is that a ... treatment?'
    "My friend has Prolia injections for her bones. Is that a hormone treatment?",
    # a result the guide does not explain, wherever it is written
    "What does grade 3 mean on my pathology report?",
])
def test_decision_round_10_look_alikes_are_not_quoted(guide_bot, q):
    assert not guide_bot.ask(q).passages


def test_drugs_named_in_the_story_leave_the_topic_the_question_asks_first(guide_bot):
    reply = guide_bot.ask("She has been on Ibrance with letrozole since spring and her scans are stable. "
                          "Do people stay on hormone treatment for years like this?")
    assert "continue taking hormone therapy for as long as" in reply.passages[0].passage.text


@pytest.mark.parametrize("q", ["Taxol is which drug", "what drug is taxol"])
def test_which_drug_a_brand_stands_for_quotes_its_list_item_first(guide_bot, q):
    # not the trastuzumab row naming paclitaxel as its companion
    assert "paclitaxel (Taxol)" in guide_bot.ask(q).passages[0].passage.text


def test_what_a_chemo_drug_is_combined_with_keeps_the_row_naming_it_first(guide_bot):
    assert guide_bot.ask("what is capecitabine combined with").passages[0].passage.text.startswith("lapatinib")


@pytest.mark.parametrize("q, says", [
    ("what is hospice care", "where your care is focused on managing symptoms"),
    ("what is drug resistance", "Resistance occurs when"),
    ("what's palliative care?", "Palliative care is treatment focused on symptoms"),
])
def test_what_a_guide_topic_is_quotes_the_passage_saying_it_first(guide_bot, q, says):
    # not "Palliative care is often mistaken for hospice care", "Overcoming drug resistance is"
    assert says in guide_bot.ask(q).passages[0].passage.text


@pytest.mark.parametrize("q, row", [
    ("When is Kadcyla normally used?", "ado-trastuzumab emtansine (Kadcyla"),
    ("Is docetaxel usually given with Herceptin and Perjeta?", "pertuzumab (Perjeta)"),
])
def test_how_usually_a_drug_is_used_is_its_rows_to_say(guide_bot, q, row):
    # not the lapatinib row, whose 'typically after ...' held the word 'usually' for it
    assert guide_bot.ask(q).passages[0].passage.text.startswith(row)


def test_a_topic_outside_the_story_drugs_section_comes_before_their_rows(guide_bot):
    # the break paragraph is under "Choosing the Right Path", not under Chemotherapy
    reply = guide_bot.ask("My wife has been on Halaven for six months and she is worn out. "
                          "Can she take a break from it?")
    assert "pros and cons of interrupting" in reply.passages[0].passage.text


@pytest.mark.parametrize("q", ["How long does chemo carry on for?",
                               "Is chemo given for months or does it just keep going?"])
def test_how_long_a_treatment_goes_on_quotes_its_own_section_first(guide_bot, q):
    # not the Hormone Therapy paragraph that names chemotherapy in passing
    reply = guide_bot.ask(q)
    assert "Treatment is usually continued if the cancer does not grow" in reply.passages[0].passage.text


@pytest.mark.parametrize("q", ["Why would they give two chemo drugs instead of one?",
                               "Why do they sometimes combine chemo drugs instead of using only one?"])
def test_one_set_against_a_count_is_no_topic(guide_bot, q):
    # not the trastuzumab row for its "one or more chemotherapy regimens"
    reply = guide_bot.ask(q)
    assert "combination of two drugs if the tumor is growing rapidly" in reply.passages[0].passage.text


@pytest.mark.parametrize("q", ["Which hormone therapy drugs are commonly used?",
                               "Which hormone treatments are usually given for secondary breast cancer?"])
def test_a_passage_pointing_to_another_table_does_not_list_the_drugs_asked(guide_bot, q):
    # "The goal of targeted therapy ... (see Table 2)" lists no hormone therapy drug
    assert guide_bot.ask(q).passages[0].passage.section[-1].startswith("Table 1.")


@pytest.mark.parametrize("q", ["Is metformin a hormone therapy?",  # a drug and its class
                               "How long does chemo for leukaemia go on for?",  # a section's treatment
                               "Why take two painkillers instead of one?",  # one against a count
                               "Why would a GP prescribe two antibiotics instead of one?",
                               "Which hormone drugs are used for endometriosis?",  # which drugs
                               "clinic admin here, need a quick look up: what time does the pharmacy close?",
                               "What factors affect house prices?",
                               "Can I drive after my operation?",
                               "Which chemo drugs are used for bowel cancer?",
                               "What causes breast cancer in men?",  # causes the guide does not give
                               "what causes antibiotic resistance",
                               "what causes hair loss on chemo",
                               "paracetamol plus ibuprofen safe?"])  # plus joins two other medicines
def test_look_alikes_of_decision_round_19_classes_are_not_quoted(guide_bot, q):
    assert not guide_bot.ask(q).passages


def test_a_staff_members_preamble_is_no_topic(guide_bot):
    # "admin" and "look" are topics no passage covers
    reply = guide_bot.ask("clinic admin here, need a quick look up: Lupron, what class for breast?")
    assert "leuprolide (Lupron)" in reply.passages[0].passage.text


def test_what_things_the_doctors_weigh_up_quotes_the_list_of_factors_first(guide_bot):
    reply = guide_bot.ask("What sort of things will the team think about when they decide on treatment "
                          "for metastatic breast cancer?")
    assert "depend on many factors" in reply.passages[0].passage.text


@pytest.mark.parametrize("q, gold", [
    # a drug and its class: the drug's row says its category
    ("Lupron - what category of hormone therapy is it?", "leuprolide (Lupron)"),
    ("Is Arimidex a hormone therapy?", "anastrazole (Arimidex)"),
    ("Is tamoxifen a hormone therapy?", "tamoxifen Selective estrogen receptor modulator"),
    # "surgery" asked in lay words is not the "Gamma Knife surgery" the radiation passage names
    ("Is surgery used for stage 4 breast cancer?", "primarily to relieve symptoms"),
    ("will they operate on my mum", "primarily to relieve symptoms"),
    # unless the question names the thing itself
    ("They mentioned Gamma Knife for her brain tumour. Is that a real operation?", "Gamma Knife surgery"),
    # two treatments with sections named: both are the question's own, the order stays
    ("can chemo be added to hormone treatment?", "Chemotherapy may be added"),
    # which drugs of a treatment with a section: its list, not the paragraph pointing to Table 2
    ("Which chemotherapy drugs are used?", "capecitabine (Xeloda)"),
    ("Which chemo medicines are usually given for secondary breast cancer?", "capecitabine (Xeloda)"),
    # a type the guide does not answer (causes), said in the type's own words by the passage
    # covering the whole question: "Resistance may be caused by several factors"
    ("What causes drug resistance in breast cancer?", "Resistance may be caused by several factors"),
    ("what causes treatment resistance", "Resistance may be caused by several factors"),
    # "plus" joining two treatments is a combination, not a word the guide never uses
    ("targeted drug plus hormone therapy ER positive", "The goal of targeted therapy"),
    ("hormone tablets plus a targeted drug, ER positive", "The goal of targeted therapy"),
])
def test_decision_round_19_classes_quote_the_answering_passage_first(guide_bot, q, gold):
    assert gold in guide_bot.ask(q).passages[0].passage.text



def test_asking_whether_it_is_rude_to_ask_about_an_uncovered_topic_is_still_declined(guide_bot):
    reply = guide_bot.ask("Is it rude to ask the nurse for a different wig?")
    assert not reply.passages


def test_asking_what_kinds_of_treatment_there_are_for_an_uncovered_condition_is_declined(guide_bot):
    assert not guide_bot.ask("What kinds of treatment are there for lymphoedema?").passages


@pytest.mark.parametrize("q, gold", [
    # 'hormone treatment' is the guide's hormone therapy
    ("How does the hormone treatment actually work against the cancer?",
     "Hormone therapy shrinks tumors by either lowering"),
    # a drug misspelled or pointed at, beside its class: the drug's row says what it is
    ("is zolodex a hormone treatment", "goserelin (Zoladex)"),
    ("The nurse mentioned fluoxymesterone. Is that a hormone treatment?", "fluoxymesterone Androgen"),
    ("Is Afinitor a hormone therapy?", "everolimus (Afinitor)"),
    # why a treatment stopped working asks for the cause: the resistance passage, not what's next
    ("why did my letrazole stop working", "Resistance may be caused by several factors"),
    # kinds of treatment there are: the passage naming them
    ("What sorts of treatments are there for cancer that has spread?", "combination of systemic therapies"),
])
def test_decision_round_21_classes_quote_the_answer_first(guide_bot, q, gold):
    reply = guide_bot.ask(q)
    assert gold in reply.passages[0].passage.text


@pytest.mark.parametrize("q, caption", [
    ("Which table lists the targeted drugs?", "Table 2. Targeted Therapy Options"),
    ("where is the table of hormone therapy drugs?", "Table 1. Common Hormone Therapy Options"),
    ("where's the list of the chemo drugs?", "Common chemotherapy options"),
    ("where can I find a list of the chemo drugs", "Common chemotherapy options"),
])
def test_a_look_up_of_a_table_or_list_quotes_the_table_or_list_first(guide_bot, q, caption):
    # its rows or items, printed under the caption; not the paragraph saying "see Table 2"
    assert guide_bot.ask(q).passages[0].passage.section[-1] == caption


def test_words_quoted_word_for_word_are_found_where_the_guide_holds_them(guide_bot):
    reply = guide_bot.ask("checking a quote: 'the best doctors may have different opinions' - where is it?")
    assert [h.passage.text.startswith("Once you feel educated") for h in reply.passages] == [True]


@pytest.mark.parametrize("q", [
    "checking a quote: 'most women live for many years with the disease' - where is it?",
    "where's the list of support groups?",
    "where can I see the list of support groups?",
])
def test_a_look_up_of_what_the_guide_does_not_hold_is_declined(guide_bot, q):
    assert not guide_bot.ask(q).passages


def test_a_drug_of_a_kind_called_one_is_no_topic(guide_bot):
    # "a targeted one": the kind is asked, not the table row saying "one or more ... regimens"
    reply = guide_bot.ask("I'm triple negative. Why only chemo? Is there a targeted one for me?")
    assert "no approved targeted therapy drugs for triple" in reply.passages[0].passage.text


def test_a_table_the_guide_does_not_have_is_declined(guide_bot):
    # no table's row covers side effects: the chemotherapy paragraph is no table of them
    assert not guide_bot.ask("Which table shows the side effects of each drug?").passages
    reply = guide_bot.ask("Which chart shows the hormone therapy drugs and their categories?")
    assert reply.passages[0].passage.section[-1] == "Table 1. Common Hormone Therapy Options"


@pytest.mark.parametrize("question", [
    "A lady at church told me cannabis oil melts tumours away. Is that really true?",
    "My cousin swears by homeopathy for her mets. Does the guide mention it?",
    "Do herbal remedies help the chemo work better?",
])
def test_an_alternative_medicine_claim_is_declined_as_not_covered(guide_bot, question):
    # the claim may sit in the story before a bare "Is that true?": the claim is what is asked
    reply = guide_bot.ask(question)
    assert reply.kind == "no_match" and not reply.passages
    assert reply.message.startswith("The guide doesn't cover that")


@pytest.mark.parametrize("question", [
    "Is Xeloda only for bowel cancer or do they give it for breast cancer as well?",
    "I keep reading about Halaven, what is it?",
])
def test_a_drug_set_against_another_cancer_or_met_again_and_again_is_answered_by_its_line(guide_bot, question):
    reply = guide_bot.ask(question)
    assert reply.kind == "answer" and reply.passages


def test_a_story_naming_another_cancer_does_not_decline_a_question_on_its_own_topic(guide_bot):
    reply = guide_bot.ask("I was crying in the car park after my appointment. Does palliative care mean "
                          "they've given up on me?")
    assert reply.kind == "answer"


@pytest.mark.parametrize("question", [
    "We're struggling with the bills for her drugs. Is there any help out there for people like us?",
    "The bills keep coming since he stopped working. What help is there for us?",
])
def test_a_bare_request_for_help_asks_about_the_story_before_it(guide_bot, question):
    # money is not covered: a question asking only for help is about what the story tells
    reply = guide_bot.ask(question)
    assert reply.kind == "no_match" and not reply.passages
    assert reply.message.startswith("The guide doesn't cover that")


def test_a_bare_request_for_help_after_a_covered_story_is_still_answered(guide_bot):
    reply = guide_bot.ask("Mum is on chemo and so sick. Is there any help out there for people like us?")
    assert reply.kind == "answer" and reply.passages


@pytest.mark.parametrize("question", [
    "Can I take time off work to look after my husband? Is there carer's leave?",
    "What is the success rate of Kadcyla?",
])
def test_leave_from_work_and_success_rates_are_declined_as_not_covered(guide_bot, question):
    reply = guide_bot.ask(question)
    assert reply.kind in ("no_match", "advice") and not reply.passages


@pytest.mark.parametrize("question, gold", [
    ("i look after my nan. she asked me to find out what the ibrance is for because she forgot to ask",
     "palbociclib (Ibrance)"),
    ("my brother is on Faslodex now. i'm trying to understand why", "fulvestrant (Faslodex)"),
])
def test_a_question_relayed_for_someone_is_asked_as_what_it_relays(guide_bot, question, gold):
    # "find out" is no evidence of the support type, "understand" and "forgot" no topic
    reply = guide_bot.ask(question)
    assert reply.kind == "answer" and gold in reply.passages[0].passage.text


def test_how_long_a_drug_worked_before_it_stopped_is_no_topic(guide_bot):
    reply = guide_bot.ask("why did the medicine stop working after working so well for 2 years")
    assert reply.kind == "answer"
    assert "Resistance may be caused by several factors" in reply.passages[0].passage.text


def test_is_that_a_usual_combination_points_at_the_story_drugs(guide_bot):
    reply = guide_bot.ask("Her doctor wants to add Verzenio to the Faslodex shots because the cancer grew on "
                          "her hormone pills. Is that a usual combination?")
    assert reply.kind == "answer"
    assert "abemaciclib (Verzenio)" in reply.passages[0].passage.text


def test_is_that_the_usual_step_for_a_drug_the_guide_never_names_is_declined(guide_bot):
    reply = guide_bot.ask("The doctor says Enhertu next. Is that the usual next step?")
    assert reply.kind == "no_match" and not reply.passages


@pytest.mark.parametrize("question, gold", [
    ("My sister keeps hearing about PARP inhibitors and wants to know why her oncologist never offered them. "
     "Should we ask?", "available only in clinical trials"),
    ("The nurse gave Dad a leaflet on Faslodex and I wanted to know what sort of drug that is. Thanks.",
     "fulvestrant (Faslodex)"),
])
def test_what_a_sentence_tells_before_its_indirect_question_stays_in_the_story(guide_bot, question, gold):
    reply = guide_bot.ask(question)
    assert reply.kind == "answer" and gold in reply.passages[0].passage.text
@pytest.mark.parametrize("q", ["What anti-sickness tablets work best for nausea after Adriamycin?",
                               "How do I stop the diarrhoea I get with Verzenio?",
                               "What is 'chemo brain' and will my memory get better?"])
def test_a_remedy_for_one_side_effect_is_not_covered(guide_bot, q):
    assert not guide_bot.ask(q).passages


def test_care_for_a_side_effect_is_still_answered(guide_bot):
    reply = guide_bot.ask("Is there a kind of care that helps with the sickness from chemo?")
    assert reply.kind == "answer" and quoted(reply, "nausea and neuropathy")


def test_no_matter_what_is_an_idiom_not_a_question_whether_it_matters(guide_bot):
    reply = guide_bot.ask("my friend said you keep taking tamoxifen no matter what happens, is that true?")
    assert reply.kind == "answer" and quoted(reply, "for as long as the cancer is not growing")
