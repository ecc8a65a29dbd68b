"""`reviewer segment --out-dir` leaves no temporaries of killed earlier runs beside the
reviews it writes, in worker processes or not."""

from __future__ import annotations

from pathlib import Path

import pytest

from reviewer.cli import main

SAMPLES = Path(__file__).resolve().parents[2] / "sample_letters"


@pytest.mark.parametrize("copies", [1, 9])  # one letter in process; nine in workers
def test_a_batch_sweeps_the_temporaries_of_its_files(tmp_path: Path, copies: int) -> None:
    sample = sorted(SAMPLES.glob("*.txt"))[0]
    letters = []
    for i in range(copies):
        path = tmp_path / f"letter_{i}.txt"
        path.write_bytes(sample.read_bytes())
        letters.append(str(path))
    out = tmp_path / "out"
    out.mkdir()
    stale = out / ".letter_0.review.toml.ab12cd_3.tmp"
    stale.write_text("half")
    assert main(["segment", *letters, "--out-dir", str(out), "-j", "2"]) == 0
    assert len(list(out.glob("*.review.toml"))) == copies
    assert not stale.exists()


def test_pdf_reviews_are_flushed_as_they_come_and_once_each(tmp_path: Path, monkeypatch) -> None:
    # In workers (PDFs), this process flushes each letter's review and extracted text as
    # the letter is done, while the workers go on; the settle at the end flushes the
    # folder and sweeps temporaries, and flushes no file a second time.
    from reviewer.corpus import batch
    from reviewer.review import store
    from tests.pdf_maker import make_pdf

    letters = []
    for i in range(9):
        path = tmp_path / f"letter_{i}.pdf"
        path.write_bytes(make_pdf([["Dear Ms Smith", "Areas for development", f"- Item {i}."]]))
        letters.append(str(path))
    out = tmp_path / "out"
    out.mkdir()
    stale = out / ".letter_0.review.toml.ab12cd_3.tmp"
    stale.write_text("half")
    events: list[str] = []  # the files flushed, and "settle" where the batch settles
    real_flush, real_settle = store._flush_target, batch.settle
    monkeypatch.setattr(store, "_flush_target", lambda p: (events.append(p.name), real_flush(p)))
    monkeypatch.setattr(
        batch, "settle", lambda *a, **k: (events.append("settle"), real_settle(*a, **k))
    )
    assert main(["segment", *letters, "--out-dir", str(out), "-j", "2"]) == 0
    written = sorted(p.name for p in out.iterdir() if not p.name.startswith("."))
    assert len(written) == 18  # a review and its extracted text a letter
    assert events[-1] == "settle"
    assert sorted(events[:-1]) == written
    assert not stale.exists()
