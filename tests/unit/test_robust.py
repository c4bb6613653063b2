"""Odd questions and odd corpus files: keep answering, say what was skipped, never crash."""

from __future__ import annotations

import codecs
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import GUIDE
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import bot
from bot.corpus import CorpusError

KINDS = {"answer", "advice", "emergency", "no_match", "smalltalk"}


def guide_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "guide.txt").write_bytes(GUIDE.read_bytes())
    return folder


def assert_guide_answers(b) -> None:
    reply = b.ask("What is Herceptin used for?")
    assert reply.passages and "trastuzumab (Herceptin)" in reply.passages[0].passage.text


# --- questions ------------------------------------------------------------------------------

def test_empty_question_asks_for_one(guide_bot):
    for q in ("", "   ", "\n\t"):
        reply = guide_bot.ask(q)
        assert reply.message == guide_bot.messages.get("empty") and not reply.passages


@pytest.mark.parametrize("q", ["the of and", "???", "😀 🙏", "12345", "!!! ...", "what is it"])
def test_no_content_words_asks_for_more(guide_bot, q):
    assert guide_bot.ask(q).message == guide_bot.messages.get("add_words")


def test_red_flags_are_checked_even_without_content_words(guide_bot):
    assert guide_bot.ask("I can't breathe!!!").kind == "emergency"


def test_a_megabyte_paste_is_trimmed_and_answered_quickly(guide_bot):
    start = time.perf_counter()
    reply = guide_bot.ask("What is Herceptin used for? " * 40_000)
    assert time.perf_counter() - start < 2.0
    assert guide_bot.messages.get("trimmed") in reply.notices
    assert reply.passages


@pytest.mark.parametrize("noise", ["\x1b[31m", "\x1b]52;c;aGk=\x07", "\x00", "\u202e", "\x9b2J", "\u2066"])
def test_control_sequences_are_removed_before_matching(guide_bot, noise):
    reply = guide_bot.ask(f"What is {noise}Herceptin{noise} used for?")
    assert reply.passages and "trastuzumab (Herceptin)" in reply.passages[0].passage.text
    assert noise not in json.dumps(reply.to_dict(), ensure_ascii=False)


@pytest.mark.parametrize("q", ["¿Qué es el tamoxifeno?", "Was ist Tamoxifen und wie wirkt es?",
                               "什么是赫赛汀", "Что такое тамоксифен?", "Qu'est-ce que le tamoxifène ?"])
def test_other_languages_are_declined(guide_bot, q):
    reply = guide_bot.ask(q)
    assert reply.kind == "no_match" and not reply.passages
    assert reply.message == guide_bot.messages.get("language")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=400))
def test_any_text_gets_a_valid_reply_with_verbatim_quotes(guide_bot, text):
    start = time.perf_counter()
    reply = guide_bot.ask(text)
    assert time.perf_counter() - start < 2.0
    d = reply.to_dict()
    json.dumps(d)
    assert d["kind"] in KINDS
    fixed = set(guide_bot.messages.all().values())
    if d["message"] is not None:
        assert d["message"] in fixed or d["message"].split(":")[0] + ": {query}" in fixed
    source = GUIDE.read_text(encoding="utf-8")
    for p in d["passages"] + d["related"]:
        assert p["text"] in source


# --- corpus folders ---------------------------------------------------------------------------

def test_missing_folder_is_a_one_line_error(tmp_path):
    with pytest.raises(CorpusError, match="not found: .*nope"):
        bot.load(tmp_path / "nope")


def test_a_file_instead_of_a_folder(tmp_path):
    f = tmp_path / "file.txt"
    f.write_text("x")
    with pytest.raises(CorpusError, match="not a folder"):
        bot.load(f)


def test_unreadable_folder(tmp_path, monkeypatch):
    def refuse(path):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "listdir", refuse)
    with pytest.raises(CorpusError, match="cannot read corpus folder .*Permission denied"):
        bot.load(tmp_path)


def test_folder_without_usable_documents(tmp_path):
    (tmp_path / "empty.txt").write_text("   \n\n")
    (tmp_path / "pic.png").write_bytes(b"\x89PNG\x00\x00")
    with pytest.raises(CorpusError, match="no usable document"):
        bot.load(tmp_path)


def reasons(b) -> dict[str, str]:
    return {s.path: s.reason for s in b.skipped}


def test_bad_files_beside_the_guide_are_skipped_with_reasons(tmp_path):
    folder = guide_folder(tmp_path)
    (folder / "empty.txt").write_text("")
    (folder / "blank.md").write_text(" \n\t\n")
    (folder / "binary.txt").write_bytes(b"abc\x00def" * 10)
    (folder / "slides.pdf").write_bytes(b"%PDF-1.4")
    (folder / ".DS_Store").write_bytes(b"\x00\x01")
    (folder / ".notes.txt.swp").write_bytes(b"swap")
    (folder / "~$draft.docx").write_bytes(b"lock")
    (folder / "huge.txt").write_bytes(b"a " * (6 * 1024 * 1024))
    outside = tmp_path / "secret.txt"
    outside.write_text("Herceptin secret outside text that must never be quoted.")
    (folder / "link.txt").symlink_to(outside)
    b = bot.load(folder)
    r = reasons(b)
    assert r["empty.txt"] == "empty" and r["blank.md"] == "empty"
    assert r["binary.txt"] == "binary file"
    assert r["slides.pdf"].startswith("unsupported file type") and "save or export it as HTML" in r["slides.pdf"]
    assert "larger than" in r["huge.txt"]
    assert "outside the corpus folder" in r["link.txt"]
    assert not any(".DS_Store" in p or ".swp" in p or "~$" in p for p in r)
    assert [d.name for d in b.documents.values()] == ["guide.txt"]
    assert all("secret" not in p.text for p in b.passages)
    assert_guide_answers(b)


def test_not_utf8_is_decoded_with_a_warning_naming_file_and_line(tmp_path):
    folder = guide_folder(tmp_path)
    (folder / "latin1.txt").write_bytes("Title\n\nFirst line\n\nCaf\xe9 au lait helps nobody.\n".encode("latin-1"))
    b = bot.load(folder)
    assert any("latin1.txt" in w and "line 5" in w for w in b.warnings)
    assert any("Caf\ufffd au lait" in p.text for p in b.passages)
    assert_guide_answers(b)


@pytest.mark.parametrize("encode", [
    lambda t: codecs.BOM_UTF8 + t.encode("utf-8"),
    lambda t: t.encode("utf-16"),
    lambda t: t.replace("\n", "\r\n").encode("utf-8"),
    lambda t: t.replace("\n", "\r").encode("utf-8"),
], ids=["utf8-bom", "utf16-bom", "crlf", "cr"])
def test_encodings_and_line_ends_give_the_same_passages(tmp_path, encode):
    text = GUIDE.read_text(encoding="utf-8")
    folder = tmp_path / "c"
    folder.mkdir()
    (folder / "guide.txt").write_bytes(encode(text))
    b = bot.load(folder)
    ref = bot.load(GUIDE.parent)
    assert [(p.text, p.line_start, p.line_end) for p in b.passages] == \
        [(p.text, p.line_start, p.line_end) for p in ref.passages]


def test_one_megabyte_line_is_split_into_bounded_passages(tmp_path):
    folder = guide_folder(tmp_path)
    words = " ".join(f"word{i % 5000}" for i in range(150_000))
    (folder / "wall.txt").write_text("Wall\n\n" + words[:1_000_000], encoding="utf-8")
    b = bot.load(folder)
    wall = [p for p in b.passages if p.doc_id == "wall"]
    assert len(wall) > 400 and all(len(p.text) <= 2000 for p in wall)
    assert_guide_answers(b)


def test_a_file_that_vanishes_while_loading_is_skipped(tmp_path, monkeypatch):
    folder = guide_folder(tmp_path)
    (folder / "gone.txt").write_text("soon gone")
    real = Path.read_bytes

    def flaky(self):
        if self.name == "gone.txt":
            raise FileNotFoundError(2, "No such file")
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", flaky)
    b = bot.load(folder)
    assert reasons(b)["gone.txt"] == "vanished while loading"
    assert_guide_answers(b)


def test_undecodable_file_name_is_shown_safely(tmp_path, capsys):
    folder = guide_folder(tmp_path)
    name = os.fsencode(str(folder)) + b"/bad-\xff-name.txt"
    with open(name, "wb") as f:
        f.write(b"Bad name\n\nA paragraph about sleep and rest.\n")
    from bot.cli import main

    assert main(["check", "--corpus", str(folder)]) == 0
    out = capsys.readouterr().out
    assert "bad-\ufffd-name.txt" in out and "guide.txt" in out


def test_check_lists_documents_and_skipped_files(tmp_path, capsys):
    folder = guide_folder(tmp_path)
    (folder / "notes.docx").write_bytes(b"PK")
    from bot.cli import main

    assert main(["check", "--corpus", str(folder)]) == 0
    out = capsys.readouterr().out
    assert "ok       guide.txt (plain text): 35 passages" in out
    assert "skipped  notes.docx: unsupported file type" in out


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=3000))
def test_any_bytes_beside_the_guide_never_break_loading(tmp_path_factory, data):
    folder = guide_folder(tmp_path_factory.mktemp("any"))
    (folder / "random.txt").write_bytes(data)
    (folder / "random.md").write_bytes(data[::-1])
    b = bot.load(folder)
    assert_guide_answers(b)


# --- privacy ----------------------------------------------------------------------------------

AUDIT = r"""
import sys
def refuse(event, args):
    if event in ("socket.connect", "socket.getaddrinfo", "socket.gethostbyname", "socket.bind",
                 "urllib.Request", "webbrowser.open"):
        raise RuntimeError(f"network use refused: {event}")
sys.addaudithook(refuse)
import runpy
sys.argv = ["bot"] + sys.argv[1:]
runpy.run_module("bot", run_name="__main__")
"""


def test_cli_never_touches_the_network(tmp_path):
    questions = "What is Herceptin used for?\nI can't breathe\nhello\ntamoxifin\n"
    out = subprocess.run([sys.executable, "-c", AUDIT, "ask", "--json", "-"], input=questions,
                         capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert "network use refused" not in out.stderr
    assert len(out.stdout.splitlines()) == 4
    assert list(tmp_path.iterdir()) == []  # and nothing was written


def test_nothing_is_written_while_answering(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path))
    from bot.conversation import Conversation

    conv = Conversation(bot.load())
    for q in ("What is Herceptin?", "who is it for?", "more"):
        conv.ask(q)
    assert list(tmp_path.iterdir()) == []
