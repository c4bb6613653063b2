"""End to end: the installed `verbatim` in a real terminal (tmux), read back with capture-pane.

A patient's conversation - long answers first, then an urgent sign, one more question, then an
emergency typed in a hurry - must show each new reply's first line and every alarm in full
(with its phone number) on screen right after it arrives, at 80x24 and at 60x15.
Skips when tmux is missing, unless VERBATIM_REQUIRE_TMUX=1 (CI installs it and requires it).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.conversation import Conversation

TIMEOUT = 30.0  # seconds to wait for something to appear on screen (a bound, not a sleep)

# Typed in a hurry: no apostrophe, "breath" for breathe (the red-flag speller's job).
HURRIED_EMERGENCY = "my husband cant breath"


def _tmux() -> str:
    found = shutil.which("tmux")
    if found is None:
        if os.environ.get("VERBATIM_REQUIRE_TMUX") == "1":
            pytest.fail("tmux is required (VERBATIM_REQUIRE_TMUX=1) but not installed")
        pytest.skip("tmux is not installed")
    return found


def _verbatim() -> str:
    here = Path(sys.executable).parent / "verbatim"
    found = str(here) if here.exists() else shutil.which("verbatim")
    if found is None:
        pytest.fail("the `verbatim` console script is not installed (pip install -e .)")
    return found


class Terminal:
    """One tmux session on its own socket, running one command."""

    def __init__(self, tmux: str, cwd: Path, size: tuple[int, int], command: list[str]):
        self.tmux = tmux
        self.socket = f"verbatim-test-{uuid.uuid4().hex[:12]}"
        self.env = {**os.environ, "HOME": str(cwd), "NO_COLOR": "1", "TERM": "xterm-256color"}
        self.env.pop("TMUX", None)
        self.run("new-session", "-d", "-s", "t", "-x", str(size[0]), "-y", str(size[1]),
                 "-c", str(cwd), "env", "NO_COLOR=1", f"HOME={cwd}", *command)

    def run(self, *args: str) -> str:
        done = subprocess.run([self.tmux, "-L", self.socket, *args], env=self.env,
                              capture_output=True, text=True, timeout=TIMEOUT, check=True)
        return done.stdout

    def screen(self) -> list[str]:
        return self.run("capture-pane", "-p", "-t", "t").rstrip("\n").split("\n")

    def type(self, text: str) -> None:
        self.run("send-keys", "-t", "t", "-l", text)
        self.run("send-keys", "-t", "t", "Enter")

    def wait_for(self, seen: Callable[[list[str]], bool], what: str) -> list[str]:
        """Poll the screen until `seen` holds; fail with the last screen after TIMEOUT."""
        deadline = time.monotonic() + TIMEOUT
        lines = self.screen()
        while not seen(lines):
            if time.monotonic() > deadline:
                pytest.fail(f"not on screen after {TIMEOUT}s: {what}\n" + "\n".join(lines))
            time.sleep(0.05)
            lines = self.screen()
        return lines

    def close(self) -> None:
        subprocess.run([self.tmux, "-L", self.socket, "kill-server"], env=self.env,
                       capture_output=True, timeout=TIMEOUT, check=False)


def flat(lines: list[str]) -> str:
    """The screen as one line of words, so wrapped text reads as it was written."""
    return " ".join(" ".join(line.split()) for line in lines)


def first_words(reply) -> str:
    """The start of what the reply shows first: its fixed message, else its first quote."""
    if reply.message:
        return " ".join(reply.message.split()[:5])
    p = reply.passages[0].passage
    cells = getattr(p, "cells", ())
    text = cells[0][1] if cells else p.text
    return " ".join(text.split()[:3])


def reply_follows_question(question: str, start: str) -> Callable[[list[str]], bool]:
    """The question's line is on screen and the reply's first words come after it."""
    def seen(lines: list[str]) -> bool:
        rows = [i for i, line in enumerate(lines) if f"You: {question}" in line]
        return bool(rows) and start in flat(lines[rows[-1] + 1:])
    return seen


@pytest.fixture()
def terminal(tmp_path):
    made: list[Terminal] = []

    def start(size: tuple[int, int]) -> Terminal:
        term = Terminal(_tmux(), tmp_path, size, [_verbatim()])
        made.append(term)
        term.wait_for(lambda lines: "content date" in flat(lines), "the guide's title")
        return term

    yield start
    for term in made:
        term.close()


def test_a_hurried_conversation_at_80x24(terminal, guide_bot):
    questions = ["What is Herceptin used for?", "what are the side effects of chemotherapy",
                 "I have a fever and I'm on chemo", "what is hormone therapy", HURRIED_EMERGENCY]
    expected = Conversation(guide_bot, k=3)
    term = terminal((80, 24))
    alarms = 0
    for question in questions:
        reply = expected.ask(question)
        term.type(question)
        lines = term.wait_for(reply_follows_question(question, first_words(reply)),
                              f"the reply to {question!r}")
        if reply.kind == "emergency":
            alarms += 1
            message = " ".join(reply.message.split())
            assert "911" in message
            assert message in flat(lines), f"the alarm for {question!r} is not shown in full"
    assert alarms == 2


def test_the_urgent_box_with_its_number_fits_60x15(terminal, guide_bot):
    reply = guide_bot.ask("I have a fever and I'm on chemo")
    message = " ".join(reply.message.split())
    assert reply.kind == "emergency" and "911" in message and "24-hour" in message
    term = terminal((60, 15))
    term.type("What is Herceptin used for?")
    term.wait_for(lambda lines: "trastuzumab" in flat(lines), "the Herceptin answer")
    term.type("I have a fever and I'm on chemo")
    lines = term.wait_for(lambda lines: message in flat(lines), "the urgent message in full")
    assert "Type your question" in flat(lines[-3:])  # the input is still on screen
    assert "f1 Help" in lines[-1] and "f2 Look-up" in lines[-1]
