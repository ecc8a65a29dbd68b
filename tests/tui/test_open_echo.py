"""`reviewer open` hides keys typed while a letter loads: echo is off
during the loading on a terminal, then restored, and what was typed is thrown away."""

from __future__ import annotations

import os
import sys

import pytest

from reviewer import cli

termios = pytest.importorskip("termios")
pty = pytest.importorskip("pty")


@pytest.fixture
def terminal(monkeypatch):
    """stdin is the slave end of a pseudo-terminal; yields (master fd, slave fd)."""
    master, slave = pty.openpty()
    stdin = os.fdopen(slave, "r", closefd=False)
    monkeypatch.setattr(sys, "stdin", stdin)
    yield master, slave
    stdin.close()
    os.close(master)
    os.close(slave)


def echo_on(fd: int) -> bool:
    return bool(termios.tcgetattr(fd)[3] & termios.ECHO)


def watch(monkeypatch, slave: int, master: int) -> dict[str, object]:
    """Record the echo flag while the letter opens and when the app would start."""
    from reviewer.review.session import ReviewSession
    from reviewer.tui.app import ReviewApp

    seen: dict[str, object] = {}
    real_open = ReviewSession.open

    def opening(*a, **kw):
        seen["echo while loading"] = echo_on(slave)
        os.write(master, b"xq")  # typed while the letter loads
        return real_open(*a, **kw)

    def run(self, *a, **kw):
        seen["echo when the app starts"] = echo_on(slave)
        os.set_blocking(slave, False)
        try:
            seen["pending"] = os.read(slave, 100)
        except BlockingIOError:
            seen["pending"] = b""
        finally:
            os.set_blocking(slave, True)
        self.session.close()

    monkeypatch.setattr(ReviewSession, "open", opening)
    monkeypatch.setattr(ReviewApp, "run", run)
    return seen


@pytest.mark.parametrize("queue", [False, True])
def test_keys_typed_while_loading_are_not_echoed_nor_kept(
    terminal, monkeypatch, copy_letter, queue
):
    master, slave = terminal
    assert echo_on(slave)
    seen = watch(monkeypatch, slave, master)
    letters = [copy_letter()]
    if queue:
        letters.append(copy_letter("middlesbrough_2010-01_ucra.txt"))
    assert cli.main(["open", *map(str, letters)]) == 0
    assert seen["echo while loading"] is False
    assert seen["echo when the app starts"] is True
    assert seen["pending"] == b""  # the typed keys never reach the letter or the shell
    assert echo_on(slave)


def test_echo_comes_back_when_the_letter_cannot_be_opened(terminal, tmp_path):
    _, slave = terminal
    missing = tmp_path / "nothing.txt"
    assert cli.main(["open", str(missing)]) == 2
    assert echo_on(slave)
