"""What a command writes to a terminal is sanitized, in one place for every command: a
letter's escape sequences never act on the terminal (a new title, a cleared screen)."""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from reviewer.cli import main
from reviewer.model import Finding
from reviewer.review import annotation
from reviewer.review.annotation import Review

TITLE = "\x1b]0;pwned\x07"  # sets the terminal's window title
CLEAR = "\x1b[2J"  # clears the screen
HOSTILE = f"Leaders must act{TITLE} on supervision{CLEAR} now."


class Terminal(io.StringIO):
    """Standard output or error as a terminal: `isatty` is true."""

    def isatty(self) -> bool:
        return True


@contextlib.contextmanager
def terminal() -> Iterator[tuple[Terminal, Terminal]]:
    """Standard output and error are terminals within."""
    out, err = Terminal(), Terminal()
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = out, err
    try:
        yield out, err
    finally:
        sys.stdout, sys.stderr = saved


def _write(folder: Path, category: str) -> Path:
    folder.mkdir(parents=True)
    path = folder / "letter.review.toml"
    f = Finding("f1", category, "Heading", HOSTILE, 0, len(HOSTILE))
    letter = {"authority": "Birmingham", "letter_date": dt.date(2023, 5, 1)}
    review = Review("letter.txt", "0" * 64, "utf-8", "ofsted_ucra", letter, [f])
    path.write_text(annotation.dumps(review), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "command",
    [
        ["agree", "{a}", "{b}"],
        ["agree", "{a}", "{b}", "--format", "csv"],
        ["history", "{a}", "--format", "csv"],
        ["export", "{a}"],
    ],
)
def test_a_letters_escape_codes_never_reach_the_terminal(
    tmp_path: Path, command: list[str]
) -> None:
    a = _write(tmp_path / "a", "strength")
    b = _write(tmp_path / "b", "development")
    with terminal() as (out, err):
        assert main([part.format(a=a, b=b) for part in command]) == 0
    shown = out.getvalue() + err.getvalue()
    assert "pwned" in shown  # the finding is shown...
    assert "\x1b" not in shown and "\x07" not in shown  # ...with its escapes made visible
    assert "\u241b]0;pwned\u2407" in shown  # one character for one


def test_error_messages_naming_a_file_are_sanitized_too(tmp_path: Path) -> None:
    name = tmp_path / f"x{TITLE}.review.toml"
    with terminal() as (_, err):
        assert main(["validate", str(name)]) != 0
    assert "\x1b" not in err.getvalue() and "\u241b]0;pwned" in err.getvalue()


def test_output_to_a_file_or_pipe_is_left_as_it_is(tmp_path: Path, capsys) -> None:
    a = _write(tmp_path / "a", "strength")
    b = _write(tmp_path / "b", "development")
    assert main(["agree", str(a), str(b), "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert rows[0]["a_text"] == HOSTILE  # data for a program keeps the letter's characters


def test_the_streams_are_given_back_afterwards() -> None:
    from reviewer.sanitize import terminal_output_sanitized

    with terminal() as (out, err):
        with terminal_output_sanitized():
            assert sys.stdout is not out and sys.stderr is not err
            print(CLEAR)
        assert sys.stdout is out and sys.stderr is err
    assert out.getvalue() == "\u241b[2J\n"
