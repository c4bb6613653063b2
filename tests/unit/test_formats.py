"""Clinic documents in Markdown and HTML are read with real parsers: structure kept, no markup quoted."""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

import pytest
from conftest import GUIDE
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import bot
from bot.cli import main

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "clinic"
INLINE = ("a", "b", "strong", "em", "i", "span", "code", "abbr", "small")
FURNITURE = ("City Hospital home", "Our services", "Contact us</", "cookies", "Accept", "analytics script",
             "footer script", "All rights reserved", "Related:", "Share", "Print", "Site map", "Wards",
             "author", "font-family", "Oncology Day Unit")
MARKUP = ("#", "|", "<", ">", "](", "&amp;", "&nbsp;", "**", "`", "---", "***")


def fold(s: str) -> str:
    return " ".join(s.split())


def html_text(source: str) -> str:
    """Text content of a piece of HTML source, by a method independent of the loader."""
    source = re.sub(r"(?is)<(script|style)\b.*?</\1\s*>", " ", source)
    source = re.sub(r"(?s)<(/?)(\w+)[^>]*>", lambda m: "" if m.group(2).lower() in INLINE else " ", source)
    return fold(html.unescape(source))


def markdown_text(source: str) -> str:
    """Text content of some Markdown lines, markup stripped by rule of thumb (for the fixtures)."""
    out = []
    for line in source.split("\n"):
        if re.fullmatch(r"\s*\|?[\s:|-]*-[\s:|-]*\|?\s*", line):
            continue  # a table's delimiter row
        line = re.sub(r"^\s*(#{1,6}\s|[-*+]\s|\d+[.)]\s)", "", line)
        line = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", line).replace("|", " ")
        out.append(re.sub(r"\*\*|\*|`", "", line))
    return fold(html.unescape(" ".join(out)))


@pytest.fixture(scope="module")
def clinic(tmp_path_factory):
    folder = tmp_path_factory.mktemp("clinic")
    for f in FIXTURES.iterdir():
        shutil.copy(f, folder / f.name)
    shutil.copy(GUIDE, folder / GUIDE.name)
    return folder


@pytest.fixture(scope="module")
def clinic_bot(clinic):
    return bot.load(clinic)


def of(b, doc_id: str):
    return [p for p in b.passages if p.doc_id == doc_id]


def test_check_lists_each_document_with_its_format(clinic, capsys):
    (clinic / "slides.pdf").write_bytes(b"%PDF-1.4")
    try:
        assert main(["check", "--corpus", str(clinic)]) == 0
    finally:
        (clinic / "slides.pdf").unlink()
    out = capsys.readouterr().out
    assert "ok       leaflet.md (Markdown): 7 passages" in out
    assert "ok       radiotherapy.html (HTML): 8 passages" in out
    assert "ok       parking.html (HTML): 2 passages" in out
    assert "ok       advanced-breast-cancer.txt (plain text):" in out
    assert "skipped  slides.pdf: unsupported file type: a PDF is not read - save or export it as HTML" in out


def test_titles_come_from_the_document_without_site_names_or_markup(clinic_bot):
    titles = {d.name: d.title for d in clinic_bot.documents.values()}
    assert titles["leaflet.md"] == "Managing Side Effects of Chemotherapy"
    assert titles["radiotherapy.html"] == "Radiotherapy to the Breast"
    assert titles["parking.html"] == "Parking and Travel"


def test_no_passage_quotes_markup_or_page_furniture(clinic_bot):
    for d in ("leaflet", "radiotherapy", "parking"):
        for p in of(clinic_bot, d):
            for junk in MARKUP + FURNITURE:
                assert junk not in p.text, (p.id, junk)
            assert not any(junk in s for s in p.section for junk in MARKUP), p.id


def test_every_passage_is_the_text_content_of_the_source_it_cites(clinic_bot, clinic):
    for p in clinic_bot.passages:
        doc = clinic_bot.documents[p.doc_id]
        assert doc.text[p.char_start : p.char_end] == p.text, p.id
        for _, cell in p.cells:
            assert cell and cell in p.text, p.id
        source = "\n".join((clinic / doc.name).read_text(encoding="utf-8").split("\n")[p.line_start - 1 : p.line_end])
        if doc.format == "html":
            assert fold(p.text) == html_text(source), p.id
        elif doc.format == "markdown":
            assert fold(p.text) == markdown_text(source), p.id
        else:
            assert p.text in source, p.id


def test_sections_follow_the_headings_and_empty_sections_leave_nothing(clinic_bot):
    sections = {p.text.split()[0] + " " + p.text.split()[1]: p.section for p in clinic_bot.passages
                if p.doc_id in ("leaflet", "radiotherapy", "parking")}
    assert sections["This leaflet"] == ()
    assert sections["Fatigue is"] == ("Tiredness",)
    assert sections["Try these"] == ("Tiredness", "Ways to save energy")
    assert sections["Mouth sores"] == ("Mouth care",)
    assert sections["Your nurse"] == ("Before each treatment",)
    assert sections["Please bring"] == ("Planning your treatment", "What to bring")
    assert sections["The skin"] == ("Skin care during radiotherapy",)
    assert sections["Itching Avoid"] == ("Skin care during radiotherapy", "Skin reactions and what to do")
    assert sections["If you"] == ("Contact us",)
    assert sections["The number"] == ()  # a page with no headings
    every = {s for p in clinic_bot.passages for s in p.section}
    assert "Hair" not in every and "Side effects later on" not in every


def test_a_list_and_the_sentence_introducing_it_are_one_passage(clinic_bot):
    bring = next(p for p in clinic_bot.passages if p.text.startswith("Please bring"))
    assert bring.kind == "list"
    assert bring.text.split("\n") == ["Please bring the following to your planning appointment:",
                                      "a list of the medicines you take", "a loose top that is easy to take off",
                                      "front-opening tops are best", "something to read & a drink"]
    energy = next(p for p in clinic_bot.passages if p.text.startswith("Try these ideas"))
    assert energy.kind == "list" and "the school run" in energy.text
    assert energy.text.endswith("see our walking guide for routes.")  # the link keeps its text


def test_each_table_row_has_cells_labelled_by_the_header_cells(clinic_bot):
    rows = [p for p in clinic_bot.passages if p.kind == "table_row" and p.doc_id != "advanced-breast-cancer"]
    assert len(rows) == 6
    assert all([c for c, _ in p.cells] == ["Problem", "What helps"] for p in rows if p.doc_id == "leaflet")
    assert all([c for c, _ in p.cells] == ["Reaction", "What you can do"] for p in rows if p.doc_id != "leaflet")
    dry = next(p for p in rows if p.text.startswith("Dry mouth"))
    assert dry.cells == (("Problem", "Dry mouth"), ("What helps", "Sip water often & suck ice chips"))


def test_entities_are_decoded_and_whitespace_folded(clinic_bot):
    bus = next(p for p in clinic_bot.passages if p.text.startswith("The number 12 bus"))
    assert bus.text.endswith('every 15 minutes — the stop is called "Hospital Main Gate".')
    assert bus.line_start == 8 and bus.line_end == 9


@pytest.mark.parametrize(("question", "expected"), [
    ("What should I bring to my radiotherapy planning appointment?", "Please bring the following"),
    ("What helps with mouth sores?", "Mouth sores Soft toothbrush"),
    ("How can I save energy when I am worn out?", "Try these ideas"),
    ("My skin is itching after radiotherapy, what can I do?", "Itching Avoid scratching"),
    ("Which bus stops at the hospital?", "The number 12 bus"),
])
def test_questions_about_the_clinic_documents_find_the_right_passage(clinic_bot, question, expected):
    reply = clinic_bot.ask(question)
    assert any(h.passage.text.startswith(expected) for h in reply.passages[:3]), question


@pytest.mark.parametrize("question", ["What is Herceptin?", "What is palliative care?",
                                      "How does hormone therapy work?", "What is Kisqali?",
                                      "What happens if I stop treatment?"])
def test_the_guides_own_answers_are_unchanged_beside_other_documents(clinic_bot, guide_bot, question):
    alone = guide_bot.ask(question).passages[0].passage
    beside = clinic_bot.ask(question).passages[0].passage
    assert (beside.doc_id, beside.text) == ("advanced-breast-cancer", alone.text)


def test_markdown_without_front_matter_takes_its_title_from_the_first_heading(tmp_path):
    (tmp_path / "note.md").write_text("Intro line before the heading.\n\n# Sleep *well*\n\nRest matters.\n",
                                      encoding="utf-8")
    doc = bot.load(tmp_path).documents["note"]
    assert doc.title == "Sleep well" and doc.format == "markdown"


def test_a_page_with_only_furniture_is_skipped_with_a_reason(tmp_path):
    (tmp_path / "menu.html").write_text("<nav><a href='/'>Home</a></nav><script>x()</script>", encoding="utf-8")
    (tmp_path / "g.txt").write_bytes(GUIDE.read_bytes())
    b = bot.load(tmp_path)
    assert {s.path: s.reason for s in b.skipped}["menu.html"] == "no readable text in this HTML file"


PIECES = st.sampled_from(["<p>", "</p>", "<ul><li>", "</li>", "<table><tr><th>A</th><td>", "</td></tr>", "# ",
                          "## ", "| a | b |\n|---|---|\n| c | d |\n", "- ", "\n", "\n\n", "&amp;", "&#27;[31m",
                          "<script>", "<!--", "**", "[x](y)", "Chemo helps", "---\n", "<h2>", "\x1b[2J", "é"])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(PIECES, max_size=40), st.sampled_from(["x.md", "x.html"]))
def test_any_markup_loads_and_every_passage_stays_an_exact_span(tmp_path_factory, pieces, name):
    folder = tmp_path_factory.mktemp("any")
    (folder / name).write_text("".join(pieces), encoding="utf-8")
    (folder / "g.txt").write_bytes(GUIDE.read_bytes())
    b = bot.load(folder)
    for p in b.passages:
        assert b.documents[p.doc_id].text[p.char_start : p.char_end] == p.text
        assert "\x1b" not in p.text and p.line_start <= p.line_end
        assert all(cell in p.text for _, cell in p.cells)


def test_a_table_that_lays_out_a_page_is_read_as_its_paragraphs(tmp_path):
    (tmp_path / "old.html").write_text(
        "<html><title>Old page</title><body><table><tr><td><h2>Rest</h2>\n"
        "<p>Short naps help with tiredness.</p>\n<p>Go to bed at the same time each night.</p></td>\n"
        "<td><ul><li>Home</li></ul></td></tr></table></body></html>", encoding="utf-8")
    b = bot.load(tmp_path)
    texts = [(p.kind, p.section, p.text) for p in b.passages]
    assert ("paragraph", ("Rest",), "Short naps help with tiredness.") in texts
    assert all(not p.cells for p in b.passages)


def test_a_page_wrapped_in_a_form_keeps_its_content_but_not_its_search_box(tmp_path):
    (tmp_path / "aspx.html").write_text(
        "<html><head><title>Wound care | Trust</title></head><body><form id='form1'>\n"
        "<div class='search'><form><input name='q'><button>Search the site</button></form></div>\n"
        "<h1>Wound care</h1>\n<p>Keep the dressing dry for two days.</p>\n"
        "<div aria-hidden='true'><p>Change the dressing if it gets wet.</p></div>\n"
        "<table><thead><tr><th>Day</th><th>What to do</th></tr><tr><th>(after surgery)</th><th></th></tr></thead>\n"
        "<tr><td>Day 1</td><td>Rest</td></tr></table>\n</form></body></html>", encoding="utf-8")
    b = bot.load(tmp_path)
    texts = [p.text for p in b.passages]
    assert texts == ["Keep the dressing dry for two days.", "Change the dressing if it gets wet.", "Day 1 Rest"]
    assert b.passages[-1].cells == (("Day", "Day 1"), ("What to do", "Rest"))
