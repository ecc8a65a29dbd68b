"""The queue overview names each document's council as stats, history and export do: the
register's name when the document's council is recognised, the written form otherwise."""

from __future__ import annotations

import shutil
from pathlib import Path

from reviewer.review.queue import LetterQueue, describe, read_item
from reviewer.review.session import ReviewSession
from tests.conftest import SAMPLES


def _letters(tmp_path: Path, *names: str) -> Path:
    folder = tmp_path / "letters"
    folder.mkdir()
    for name in names:
        shutil.copyfile(SAMPLES / name, folder / name)
    return folder


def test_a_letter_not_yet_reviewed_shows_the_register_s_council(tmp_path: Path) -> None:
    folder = _letters(
        tmp_path,
        "hartlepool_2011-03_ucra.txt",
        "middlesbrough_2010-01_ucra.txt",
        "constructed_caps_headings.txt",
    )
    queue = LetterQueue.from_paths([folder])
    named = {item.letter.name: describe(item).authority for item in queue.items}
    assert named == {
        "constructed_caps_headings.txt": "Wexcombe County Council",  # no such council: as written
        "hartlepool_2011-03_ucra.txt": "Hartlepool",  # "Hartlepool Borough Council"
        "middlesbrough_2010-01_ucra.txt": "Middlesbrough",
    }


def test_a_saved_review_shows_the_register_s_council(tmp_path: Path) -> None:
    letter = _letters(tmp_path, "hartlepool_2011-03_ucra.txt") / "hartlepool_2011-03_ucra.txt"
    session = ReviewSession.open(letter)
    assert session.review.letter["authority"] == "Hartlepool Borough Council"
    session.save()
    session.close()
    assert read_item(letter).authority == "Hartlepool"


def test_what_the_open_review_says_is_named_as_the_register_names_it(tmp_path: Path) -> None:
    folder = _letters(tmp_path, "hartlepool_2011-03_ucra.txt", "middlesbrough_2010-01_ucra.txt")
    queue = LetterQueue.from_paths([folder])
    queue.record(0, "in_progress", 3, 1, {"authority": "Kingston upon Hull City Council"}, "")
    assert queue.items[0].authority == "Kingston upon Hull"
    # A recorded LA code names the council whatever the written name says.
    queue.record(0, "in_progress", 3, 1, {"authority": "The council", "la_code": "805"}, "")
    assert queue.items[0].authority == "Hartlepool"
    queue.record(1, "in_progress", 3, 1, {"authority": "  Northdale   Council "}, "")
    assert queue.items[1].authority == "Northdale Council"
    queue.record(1, "in_progress", 3, 1, {}, "")
    assert queue.items[1].authority == ""
