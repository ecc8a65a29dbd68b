"""A batch of PDFs forks its bounded workers once each, whatever the number of cores: no
bounded child of its own for each PDF, and never more workers than PDFs."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from reviewer.corpus import batch
from reviewer.review import annotation
from reviewer.sources.bounded import can_bound
from tests.pdf_maker import make_pdf

pytestmark = pytest.mark.skipif(not can_bound(), reason="bounded workers need fork")

LETTER = [
    "Dear Ms Smith",
    "Areas for improvement",
    "- Improve the timeliness of assessments.",
    "- Strengthen management oversight of casework.",
]


def _pdfs(folder: Path, n: int) -> list[Path]:
    paths = []
    for i in range(n):
        paths.append(folder / f"letter_{i}.pdf")
        paths[-1].write_bytes(make_pdf([LETTER, [f"Page two of letter {i}"]]))
    return paths


@pytest.mark.parametrize(("pdfs", "workers", "forks"), [(3, 1, 1), (2, 4, 2), (5, 2, 2)])
def test_a_batch_of_pdfs_forks_one_worker_per_core_not_one_child_per_pdf(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pdfs: int, workers: int, forks: int
) -> None:
    parent = os.getpid()
    forked: list[int] = []
    real_fork = os.fork

    def counting_fork() -> int:
        if os.getpid() == parent:
            forked.append(1)
        return real_fork()

    monkeypatch.setattr(os, "fork", counting_fork)
    out = tmp_path / "out"
    out.mkdir()
    outcomes = batch.segment_many(_pdfs(tmp_path, pdfs), out, None, workers=workers)
    assert [o.error for o in outcomes] == [None] * pdfs
    assert len(forked) == forks
    for i, o in enumerate(outcomes):
        assert o.output is not None and Path(o.output).name == f"letter_{i}.review.toml"
        review = annotation.load(Path(o.output))
        assert review.extractor.startswith("pypdfium2")
