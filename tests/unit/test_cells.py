"""Table rows are split into cells labelled by their column: every character still the guide's own."""

from __future__ import annotations

import json
import shutil

import pytest
from conftest import GUIDE

import bot
import bot.chatbot
import bot.index
from bot.cli import main
from bot.formats.cells import split_row
from bot.models import short_label

TABLE1 = ("Drug", "Category")
TABLE2 = ("Targeted Therapy Agent", "Type of Breast Cancer", "Approved/Recommended Treatment")

# Where a person reading the guide's two tables splits each row (checked by eye against the page).
EXPECTED = {
    30: ("fluoxymesterone", "Androgen (male hormone)"),
    31: ("goserelin (Zoladex), leuprolide (Lupron)", "Luteinizing hormone receptor hormone (LHRH)"),
    32: ("megestrol acetate (Megace)", "Progestin"),
    33: ("tamoxifen", "Selective estrogen receptor modulator (SERM)"),
    34: ("anastrazole (Arimidex), exemestane (Aromasin), letrozole (Femara)", "Aromatase inhibitor"),
    35: ("ethinyl estradiol", "Estrogen"),
    37: ("fulvestrant (Faslodex)", "Selective estrogen receptor downregulator"),
    39: ("tamoxifen, toremifene (Fareston)", "Selective estrogen receptor modulator (SERM)"),
    72: ("abemaciclib (Verzenio)", "ER+/PR+, HER2-, metastatic", "In combination with fulvestrant (Faslodex) "
         "for the treatment of women whose advanced or metastatic disease has progressed after taking hormone "
         "therapy; or as a single agent for adult patients with disease progression following hormone therapy "
         "and chemotherapy in the metastatic setting"),
    73: ("ado-trastuzumab emtansine (Kadcyla T-DM1)", "HER2+, metastatic", "For individuals previously treated "
         "with trastuzumab and a taxane, separately or in combination"),
    74: ("everolimus (Afinitor)", "ER+/PR+, HER2-, metastatic", "In combination with exemestane (Aromasin) for "
         "postmenopausal women who have already been treated with letrozole or anastrozole"),
    75: ("lapatinib (Tykerb)", "HER2+, metastatic", "In combination with capecitabine (Xeloda) or trastuzumab "
         "(Herceptin), typically after treatment with trastuzumab-based therapy and ado-trastuzumab emtansine"),
    76: ("palbociclib (Ibrance)", "ER+, HER2-, metastatic", "In combination with letrozole for postmeopausal "
         "women as a first hormone-based therapy"),
    77: ("pertuzumab (Perjeta)", "HER2+, metastatic, or as neoadjuvant therapy", "In combination with "
         "trastuzumab and docetaxel in individuals who have not been treated with anti-HER2 therapy or "
         "chemotherapy"),
    78: ("ribociclib (Kisqali)", "ER+/PR+, HER2-, metastatic", "In combination with an aromatase inhibitor as "
         "first-line endocrine-based therapy for post-menopausal women"),
    79: ("trastuzumab (Herceptin)", "HER2+, metastatic", "In combination with paclitaxel as first-line "
         "treatment, with other chemotherapy drugs, or with lapatinib for later lines of therapy; as a single "
         "agent in patients who have received one or more chemotherapy regimens"),
}


def test_every_row_of_both_tables_is_split_where_a_person_would(guide_bot):
    rows = {p.line_start: p for p in guide_bot.passages if p.kind == "table_row"}
    assert set(rows) == set(EXPECTED)
    for line, cells in EXPECTED.items():
        labels = TABLE1 if line < 60 else TABLE2
        assert rows[line].cells == tuple(zip(labels, cells, strict=True)), line


def test_every_cell_is_in_its_row_and_every_label_in_its_header_row(guide_bot):
    lines = {d.doc_id: d.lines for d in guide_bot.documents.values()}
    for p in guide_bot.passages:
        if p.kind != "table_row":
            assert p.cells == (), p.id
            continue
        doc_lines = lines[p.doc_id]
        title = doc_lines.index(p.section[-1])
        header = next(line for line in doc_lines[title + 1 :] if line.strip())
        for label, text in p.cells:
            assert text and text in p.text, p.id
            assert label and label in header, p.id


def test_ask_json_gives_the_kisqali_row_as_labelled_cells(capsys):
    assert main(["ask", "--json", "What is Kisqali?"]) == 0
    reply = json.loads(capsys.readouterr().out)
    row = next(p for p in reply["passages"] if p["text"].startswith("ribociclib (Kisqali)"))
    assert row["cells"] == [
        {"column": "Targeted Therapy Agent", "text": "ribociclib (Kisqali)"},
        {"column": "Type of Breast Cancer", "text": "ER+/PR+, HER2-, metastatic"},
        {"column": "Approved/Recommended Treatment", "text": "In combination with an aromatase inhibitor as "
         "first-line endocrine-based therapy for post-menopausal women"},
    ]
    assert row["text"] == ("ribociclib (Kisqali) ER+/PR+, HER2-, metastatic In combination with an aromatase "
                           "inhibitor as first-line endocrine-based therapy for post-menopausal women")
    others = [p for p in reply["passages"] + reply["related"] if not p["text"].startswith("ribociclib")]
    assert all(p["cells"] == [] for p in others if "(Kisqali)" not in p["text"])


def test_search_and_passages_json_carry_cells(capsys):
    assert main(["search", "--json", "Herceptin"]) == 0
    rows = json.loads(capsys.readouterr().out)
    herceptin = next(r for r in rows if r["text"].startswith("trastuzumab (Herceptin)"))
    assert herceptin["cells"][0] == {"column": "Targeted Therapy Agent", "text": "trastuzumab (Herceptin)"}
    assert main(["passages", "--json"]) == 0
    listed = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert sum(bool(p["cells"]) for p in listed) == len(EXPECTED)
    assert all(isinstance(p["cells"], list) for p in listed)


@pytest.mark.parametrize(("row", "labels", "spaced", "cells"), [
    ("Mouth sores  Soft toothbrush", ("Problem", "What helps"), True,
     (("Problem", "Mouth sores"), ("What helps", "Soft toothbrush"))),
    ("Mouth sores  Soft  toothbrush", ("Problem", "What helps"), True, ()),  # 3 parts, 2 columns
    ("tamoxifen Selective Estrogen", ("Drug", "Category"), False, ()),  # two cut points: ambiguous
    ("tamoxifen", ("Drug", "Category"), False, ()),
])
def test_a_row_that_cannot_be_split_with_certainty_gets_no_cells(row, labels, spaced, cells):
    assert split_row(row, labels, spaced) == cells


@pytest.mark.parametrize(("section", "width", "expected"), [
    (("Types of Treatment", "Hormone Therapy"), 80, "Types of Treatment > Hormone Therapy"),
    (("Types of Treatment", "Targeted Therapy", "Table 2. Targeted Therapy Options"), 45,
     "… > Table 2. Targeted Therapy Options"),
    (("Types of Treatment", "Choosing the Right Path for Yourself"), 20, "Choosing the Right…"),
])
def test_short_labels_drop_whole_headings_from_the_left_never_cut_mid_word(section, width, expected):
    label = short_label(section, width)
    assert label == expected and len(label) <= width
    words = " ".join(section).replace("…", "").split()
    assert all(w in words or w in ("…", ">") for w in label.replace("…", " … ").split())


def test_cells_offsets_and_staff_headings_survive_the_cache(monkeypatch, tmp_path):
    monkeypatch.setattr(bot.index, "FAST_ABOVE", 10)
    monkeypatch.setenv("VERBATIM_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("VERBATIM_NO_CACHE", raising=False)
    folder = tmp_path / "corpus"
    shutil.copytree(GUIDE.parent, folder)
    shutil.copy(GUIDE.parent.parent / "tests" / "fixtures" / "clinic" / "radiotherapy.html", folder)
    first = bot.load(folder)
    assert list((tmp_path / "cache").glob("*/meta.json"))

    def not_split(doc):
        raise AssertionError("passages were split again instead of read from the cache")

    monkeypatch.setattr(bot.chatbot, "split", not_split)
    second = bot.load(folder)
    assert second.passages == first.passages
    assert any(p.cells for p in second.passages if p.doc_id == "radiotherapy")
    assert any(p.added_headings for p in second.passages)


def test_a_text_table_spaced_into_columns_needs_no_manifest(tmp_path, capsys):
    (tmp_path / "sides.txt").write_text(
        "Side Effects\n\nMouth care helps during chemotherapy and radiotherapy treatment.\n\n"
        "Table 1. What helps\n\nProblem        What helps\nMouth sores    Soft toothbrush and salt rinses\n"
        "Dry mouth      Sip water often\n\nSleep\n\nRest when you can during the day.\n\n"
        "Short walks help with tiredness.\n", encoding="utf-8")
    b = bot.load(tmp_path)
    row = next(p for p in b.passages if p.text.startswith("Mouth sores"))
    assert row.cells == (("Problem", "Mouth sores"), ("What helps", "Soft toothbrush and salt rinses"))
    assert row.section == ("Table 1. What helps",)  # "Side Effects" is the title
    assert main(["check", "--corpus", str(tmp_path)]) == 0
    assert "shown whole" not in capsys.readouterr().out
