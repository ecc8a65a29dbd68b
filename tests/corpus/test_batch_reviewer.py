"""A batch reads the name on its reviews (the settings' reviewer) once, not per letter."""

from __future__ import annotations

from pathlib import Path

import pytest

from reviewer.corpus import batch
from reviewer.review import annotation

SAMPLES = Path(__file__).resolve().parents[2] / "sample_letters"


@pytest.mark.parametrize("workers", [1, 2])
def test_every_review_of_a_batch_bears_the_name_read_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, workers: int
) -> None:
    asked: list[int] = []

    def reviewer() -> str:
        asked.append(1)
        return "Ann Reviewer"

    monkeypatch.setattr(annotation, "default_reviewer", reviewer)
    sample = sorted(SAMPLES.glob("*.txt"))[0]
    letters = []
    for i in range(9):
        letters.append(tmp_path / f"letter_{i}.txt")
        letters[-1].write_bytes(sample.read_bytes())
    out = tmp_path / "out"
    out.mkdir()
    outcomes = batch.segment_many(letters, out, None, workers=workers)
    assert [o.error for o in outcomes] == [None] * 9
    assert asked == [1]
    for o in outcomes:
        assert o.output is not None
        assert annotation.load(Path(o.output)).reviewer == "Ann Reviewer"
