"""The command line and its JSON contract, as other tools and staff use them."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from bot.cli import main


def run_cli(capsys, *args):
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_ask_json_contract(capsys):
    code, out, _ = run_cli(capsys, "ask", "--json", "-k", "3", "What is Herceptin used for?")
    assert code == 0
    d = json.loads(out)
    assert set(d) >= {"question", "kind", "message", "query_used", "passages", "related"}
    assert d["kind"] == "answer"
    p = d["passages"][0]
    assert set(p) >= {"id", "doc", "section", "text", "line_start", "line_end", "score",
                      "highlights", "best_sentence"}
    assert p["text"].startswith("trastuzumab (Herceptin)") and p["line_start"] == 79
    assert "Table 2" in p["section"]
    assert all(0 <= a < b <= len(p["text"]) for a, b in p["highlights"])


def test_ask_reads_one_question_per_line(monkeypatch, capsys):
    import io

    monkeypatch.setattr(sys, "stdin", io.StringIO("What is Taxol?\nWho won the world cup?\n\n"))
    code, out, _ = run_cli(capsys, "ask", "--json", "-")
    lines = [json.loads(x) for x in out.splitlines()]
    assert code == 0 and len(lines) == 3
    assert lines[0]["kind"] == "answer" and lines[1]["kind"] == "no_match"


def test_ask_human_output_has_quote_and_citation(capsys):
    code, out, _ = run_cli(capsys, "ask", "What is Herceptin used for?")
    assert code == 0
    assert "trastuzumab (Herceptin)" in out
    assert "line 79" in out and "content date: undated" in out and "Table 2" in out


def test_search_lists_ids_and_scores(capsys):
    code, out, _ = run_cli(capsys, "search", "--json", "-k", "5", "Kadcyla")
    rows = json.loads(out)
    assert code == 0 and rows[0]["id"] == "advanced-breast-cancer:73"
    assert rows == sorted(rows, key=lambda r: -r["score"])


def test_show_prints_passage_with_neighbours(capsys):
    code, out, _ = run_cli(capsys, "show", "advanced-breast-cancer:79")
    assert code == 0 and ">> advanced-breast-cancer:79" in out and "ribociclib" in out


def test_show_unknown_id_is_a_clear_error(capsys):
    code, _, err = run_cli(capsys, "show", "nope:1")
    assert code == 2 and "nope:1" in err


def test_passages_lists_every_passage(capsys, guide_bot):
    code, out, _ = run_cli(capsys, "passages", "--json")
    rows = [json.loads(x) for x in out.splitlines()]
    assert code == 0 and len(rows) == len(guide_bot.passages)


def test_eval_prints_the_scores(capsys, tmp_path):
    f = tmp_path / "q.jsonl"
    f.write_text('{"question": "What is Taxol?", "gold": ["paclitaxel (Taxol)"]}\n'
                 '{"kind": "out_of_scope", "question": "How do I cook rice?", "gold": []}\n')
    code, out, _ = run_cli(capsys, "eval", str(f))
    assert code == 0
    assert "hit@1                1.000" in out and "out-of-scope declined 1.000" in out


def test_missing_corpus_folder_is_one_line_exit_2(capsys, tmp_path):
    code, out, err = run_cli(capsys, "ask", "--corpus", str(tmp_path / "nowhere"), "hi")
    assert code == 2 and err.count("\n") == 1 and "nowhere" in err


def test_every_command_has_help():
    from bot.cli import build_parser

    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    for name, p in sub.choices.items():
        assert p.description, name
        assert name in {c.dest for c in sub._choices_actions} and all(
            c.help for c in sub._choices_actions)


@pytest.mark.parametrize("module", ["bot", "bot.cli", "bot.chatbot", "bot.conversation"])
def test_engine_never_imports_a_ui_toolkit(module):
    code = (f"import sys, {module}; import bot; bot.load().ask('What is Herceptin?'); "
            "bad = [m for m in sys.modules if m.split('.')[0] in ('textual', 'rich', 'tui')]; "
            "print(bad); sys.exit(1 if bad else 0)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stdout + out.stderr
