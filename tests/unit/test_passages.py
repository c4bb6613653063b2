"""The guide is split into passages a patient can read on their own, each traceable."""

from __future__ import annotations

import re

import pytest
from conftest import GUIDE

import bot
from bot.corpus import load_folder
from bot.passages import split


def fold(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip()


def test_every_passage_is_an_exact_span_of_the_document_within_its_lines(guide_bot):
    raw = GUIDE.read_text(encoding="utf-8")
    lines = raw.split("\n")
    assert len(guide_bot.passages) > 25
    for p in guide_bot.passages:
        assert raw[p.char_start : p.char_end] == p.text, p.id
        assert guide_bot.documents[p.doc_id].text[p.char_start : p.char_end] == p.text, p.id
        original = "\n".join(lines[p.line_start - 1 : p.line_end])
        assert p.text.strip() and p.text in original, p.id
        assert raw.count("\n", 0, p.char_start) + 1 == p.line_start, p.id


def test_a_sentence_pointing_at_a_lost_link_is_trimmed_not_the_passage(guide_bot):
    palliative = next(p for p in guide_bot.passages if p.text.startswith("Palliative care is treatment"))
    assert palliative.text.endswith("even lengthen life.")
    assert all("Click here" not in p.text for p in guide_bot.passages)


def test_bundled_guide_is_the_seed_byte_for_byte():
    root = GUIDE.parent.parent
    # ../shared/seed beside the checkout; a worktree under wt/ has it one level further up.
    candidates = [base / "shared" / "seed" / GUIDE.name for base in (root.parent, root.parent.parent)]
    seed = next((c for c in candidates if c.is_file()), None)
    if seed is None:
        pytest.skip(f"no seed copy of the guide to compare with (looked in {', '.join(map(str, candidates))})")
    assert GUIDE.read_bytes() == seed.read_bytes()


def test_headings_are_section_paths_not_passages(guide_bot):
    texts = {fold(p.text) for p in guide_bot.passages}
    for heading in ("Hormone Therapy", "Types of Treatment", "Table 1. Common Hormone Therapy Options",
                    "Common chemotherapy options", "Advanced Breast Cancer"):
        assert heading not in texts
    hormone = next(p for p in guide_bot.passages if p.text.startswith("Hormone therapy, also known"))
    assert hormone.section == ("Types of Treatment", "Hormone Therapy")


def test_boilerplate_is_never_a_passage(guide_bot):
    for p in guide_bot.passages:
        for junk in ("Previous Next", "Register Now", "Read Inspiring", "Order Your Guides",
                     "Additional Resources"):
            assert junk not in p.text


def test_table_rows_are_passages_under_the_table_title_never_the_header_row(guide_bot):
    row = next(p for p in guide_bot.passages if p.text.startswith("trastuzumab (Herceptin)"))
    assert row.kind == "table_row" and row.line_start == row.line_end == 79
    assert row.section[-1] == "Table 2. Targeted Therapy Options"
    for p in guide_bot.passages:
        assert not any(h in s for s in p.section for h in ("Approved/Recommended", "Drug Category")), p.id


def test_duplicate_rows_are_kept_once(guide_bot):
    texts = [fold(p.text) for p in guide_bot.passages]
    assert texts.count("fluoxymesterone Androgen (male hormone)") == 1
    assert texts.count("megestrol acetate (Megace) Progestin") == 1


def test_list_joins_the_sentence_that_introduces_it(guide_bot):
    intro = next(p for p in guide_bot.passages if p.text.startswith("Several treatment options"))
    assert intro.kind == "list" and intro.line_end == 11
    assert "How quickly or slowly the disease is progressing" in intro.text
    chemo = next(p for p in guide_bot.passages if "capecitabine (Xeloda)" in p.text)
    assert "vinorelbine (Navelbine)" in chemo.text
    assert chemo.section[-1] == "Common chemotherapy options"


def test_headings_the_guide_lost_are_added_by_staff_and_marked(guide_bot):
    checkpoint = next(p for p in guide_bot.passages if p.text.startswith("Checkpoint inhibitors"))
    assert checkpoint.section == ("Types of Treatment", "Immunotherapy")
    assert checkpoint.added_headings == (1,)
    assert checkpoint.staff_label() == "Types of Treatment > Immunotherapy (heading added by staff)"
    assert "heading added" not in checkpoint.text
    chemo = next(p for p in guide_bot.passages if p.text.startswith("Chemotherapy is a treatment option"))
    assert chemo.section == ("Types of Treatment", "Chemotherapy") and chemo.added_headings == (1,)
    hormone = next(p for p in guide_bot.passages if p.text.startswith("Hormone therapy, also known"))
    assert hormone.added_headings == ()


def test_text_after_a_missing_heading_keeps_the_last_heading(tmp_path):
    (tmp_path / "g.txt").write_bytes(GUIDE.read_bytes())
    b = bot.load(tmp_path)  # no manifest entry: no added headings
    checkpoint = next(p for p in b.passages if p.text.startswith("Checkpoint inhibitors"))
    assert checkpoint.section[-1] == "Palliative Treatment" and checkpoint.added_headings == ()


def test_ids_are_stable_while_the_file_is_unchanged(tmp_path):
    (tmp_path / "g.txt").write_bytes(GUIDE.read_bytes())
    first = [p.id for p in bot.load(tmp_path).passages]
    second = [p.id for p in bot.load(tmp_path).passages]
    assert first == second and len(set(first)) == len(first)


def test_over_long_line_is_split_into_bounded_passages(tmp_path):
    text = "".join(f"Radiation therapy number {i} can relieve pain in the bone. " for i in range(3000))
    (tmp_path / "long.txt").write_text("Title\n\n" + text, encoding="utf-8")
    docs, _, _ = load_folder(tmp_path)
    passages = split(docs[0])
    assert len(passages) > 10
    assert all(len(p.text) <= 2000 for p in passages)
    assert all(p.text in docs[0].text for p in passages)


def test_a_link_sentence_inside_a_paragraph_is_cut_out_and_each_rest_stays_a_span(tmp_path):
    (tmp_path / "g.txt").write_text(
        "Guide\n\nRest\n\nShort naps help with tiredness. Click here to read our sleep leaflet. "
        "Go to bed at the same time each night.\n\nTo learn more, click here.\n\nWalking\n\n"
        "A short walk each day helps.\n\nDrink water on hot days.\n\nWear a hat in the sun.\n",
        encoding="utf-8")
    b = bot.load(tmp_path)
    texts = [p.text for p in b.passages]
    assert "Short naps help with tiredness." in texts
    assert "Go to bed at the same time each night." in texts
    assert not any("lick here" in t for t in texts)
    for p in b.passages:
        assert b.documents[p.doc_id].text[p.char_start : p.char_end] == p.text
        assert p.line_start == p.line_end == 5 or "Short naps" not in p.text
