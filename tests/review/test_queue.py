"""The letter queue: which letters a folder holds, and how far each review has got."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from reviewer.review.queue import (
    COMPLETE,
    IN_PROGRESS,
    NOT_STARTED,
    LetterQueue,
    QueueError,
    collect_letters,
    read_item,
)
from reviewer.review.session import ReviewSession
from tests.conftest import SAMPLES


def _letters(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for name in ("hartlepool_2011-03_ucra.txt", "middlesbrough_2010-01_ucra.txt"):
        shutil.copyfile(SAMPLES / name, folder / name)
        out.append(folder / name)
    return out


def test_folder_letters_sorted_skipping_hidden_and_extracted(tmp_path):
    a, b = _letters(tmp_path / "q")
    (tmp_path / "q" / "c.pdf").write_bytes(b"%PDF-1.4")
    (tmp_path / "q" / "c.extracted.txt").write_text("pdf text")
    (tmp_path / "q" / "notes.md").write_text("not a letter")
    (tmp_path / "q" / ".hidden").mkdir()
    (tmp_path / "q" / ".hidden" / "x.txt").write_text("hidden")
    (tmp_path / "q" / "sub").mkdir()
    (tmp_path / "q" / "sub" / "d.txt").write_text("in a subfolder")
    found = [p.relative_to(tmp_path / "q").as_posix() for p in collect_letters([tmp_path / "q"])]
    assert found == ["c.pdf", a.name, b.name, "sub/d.txt"]


def test_files_in_given_order_without_duplicates(tmp_path):
    a, b = _letters(tmp_path)
    assert collect_letters([b, a, b, tmp_path]) == [b, a]


def test_missing_path_and_empty_queue(tmp_path):
    with pytest.raises(QueueError, match="no such file or folder"):
        collect_letters([tmp_path / "nope"])
    (tmp_path / "empty").mkdir()
    with pytest.raises(QueueError, match="no letters found"):
        LetterQueue.from_paths([tmp_path / "empty"])


def test_status_from_review_files(tmp_path):
    a, b = _letters(tmp_path)
    assert read_item(a).status == NOT_STARTED
    s = ReviewSession.open(a)
    s.confirm(0)
    s.confirm(1)
    s.save()
    s.close()
    item = read_item(a)
    assert (item.status, item.reviewed, item.findings) == (IN_PROGRESS, 2, 14)
    s = ReviewSession.open(b)
    s.set_review_status("complete")
    s.save()
    s.close()
    assert read_item(b).status == COMPLETE
    broken = a.with_name(a.stem + ".review.toml")
    broken.write_text("not = = toml")
    item = read_item(a)
    assert item.status == IN_PROGRESS and "cannot be read" in item.error


def test_first_unfinished_progress_and_record(tmp_path):
    a, b = _letters(tmp_path)
    s = ReviewSession.open(a)
    s.set_review_status("complete")
    s.confirm(0)
    s.save()
    s.close()
    q = LetterQueue.from_paths([tmp_path])
    assert q.first_unfinished() == 1
    q.index = 1
    assert q.progress() == "letter 2 of 2 · 1 finding reviewed · 1 complete"
    q.record(1, "in_progress", 12, 5)
    assert q.reviewed == 6
    q.reread(1)  # left without saving: the file says nothing was done
    assert q.reviewed == 1 and q.items[1].status == NOT_STARTED
    q.record(1, "complete", 12, 12)
    assert q.first_unfinished() == 0  # all complete: back to the first
