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
