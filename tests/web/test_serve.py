"""`verbatim --serve` without a browser: the address rules and failing early with one line."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tui.web import _duration, is_loopback, parse_address


@pytest.mark.parametrize(("text", "expected"), [
    ("8000", ("127.0.0.1", 8000)),
    ("127.0.0.1:8080", ("127.0.0.1", 8080)),
    ("0.0.0.0:80", ("0.0.0.0", 80)),
    ("[::1]:8000", ("::1", 8000)),
    (":9000", ("127.0.0.1", 9000)),
])
def test_addresses(text, expected):
    assert parse_address(text) == expected


@pytest.mark.parametrize("text", ["", "host:", "host:http", "127.0.0.1:0", "127.0.0.1:70000"])
def test_bad_addresses_are_refused(text):
    with pytest.raises(ValueError, match="expected \\[HOST:\\]PORT"):
        parse_address(text)


def test_loopback():
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.5") and not is_loopback("clinic.example")


def test_idle_timeout_reads_naturally():
    assert [_duration(s) for s in (1, 2.4, 60, 900)] == ["1 second", "2 seconds", "60 seconds", "15 minutes"]


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "tui", *args], capture_output=True, text=True, timeout=120)


def test_a_network_address_needs_a_public_url():
    done = run("--serve", "0.0.0.0:8000")
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [done.stderr.strip()]  # one line
    assert "--public-url" in done.stderr


def test_an_unusable_library_stops_the_server_before_it_listens(tmp_path):
    done = run("--serve", "127.0.0.1:8000", "--corpus", str(tmp_path / "missing"))
    assert done.returncode == 2
    assert done.stderr.startswith("verbatim: error: ") and "missing" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


def test_web_options_need_serve():
    done = run("--max-sessions", "3")
    assert done.returncode == 2 and "only apply with --serve" in done.stderr
