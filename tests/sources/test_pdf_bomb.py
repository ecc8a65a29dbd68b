"""A PDF bomb (kilobytes that inflate to hundreds of megabytes) is refused in one line,
its reading bounded in memory and time in a child process; this process and the other
letters of a batch or queue go on."""

from __future__ import annotations

import os
import resource
import time
from pathlib import Path

import pytest

from reviewer.cli import main
from reviewer.review.queue import QueueItem, describe
from reviewer.review.session import ReviewSession
from reviewer.sources import bounded
from reviewer.sources import pdf as pdf_source
from reviewer.sources.bounded import Bounds, Exceeded, run_bounded
from reviewer.sources.letter import InputError
from reviewer.sources.read import read_letter
from tests.pdf_maker import make_bomb_pdf, make_pdf
from tests.sources.test_pdf import LETTER

pytestmark = pytest.mark.skipif(not bounded.can_bound(), reason="bounds need fork (POSIX)")

BUDGET_MB = 192


@pytest.fixture(autouse=True)
def small_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    """A smaller memory budget than the default, so the bombs can be small and quick."""
    monkeypatch.setattr(bounded, "MEMORY_BUDGET", BUDGET_MB << 20)


@pytest.fixture(scope="module")
def text_bomb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """About 100 KB that inflate to 45 MB of text operators (PDFium needs ten times that)."""
    path = tmp_path_factory.mktemp("bomb") / "bomb.pdf"
    path.write_bytes(
        make_bomb_pdf(b"(AB) Tj 0.01 0 Td\n", 2_500_000, b"BT /F1 10 Tf 40 800 Td\n", b"ET\n")
    )
    return path


@pytest.fixture(scope="module")
def zero_bomb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """About 250 KB of compressed zeros that inflate to 256 MB."""
    path = tmp_path_factory.mktemp("zeros") / "zeros.pdf"
    path.write_bytes(make_bomb_pdf(b"\0", 256 << 20))
    return path


def _peak_mb() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024


@pytest.mark.parametrize("bomb", ["text_bomb", "zero_bomb"])
def test_a_pdf_bomb_is_refused_in_one_line_and_this_process_stays_small(
    bomb: str, request: pytest.FixtureRequest, capsys: pytest.CaptureFixture[str]
) -> None:
    path: Path = request.getfixturevalue(bomb)
    assert path.stat().st_size < 300_000
    before = _peak_mb()
    assert main(["segment", str(path)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err == (
        f"reviewer: {path}: reading the PDF needed more than {BUDGET_MB} MB of memory (a "
        "decompression bomb?); not read. Check where the file came from\n"
    )
    assert _peak_mb() - before < 100  # the child grew, not this process


def test_a_bomb_in_a_batch_never_takes_the_others_down(
    text_bomb: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = tmp_path / "eastwick.pdf"
    good.write_bytes(make_pdf(LETTER))
    out = tmp_path / "out"
    assert main(["segment", str(text_bomb), str(good), "--out-dir", str(out), "-j", "2"]) == 2
    err = capsys.readouterr().err
    assert (out / "eastwick.review.toml").is_file()
    assert not (out / "bomb.review.toml").exists()
    assert "decompression bomb" in err and "segmented 1 of 2 letters" in err


def test_opening_a_bomb_or_listing_it_in_a_queue_is_one_line(text_bomb: Path) -> None:
    with pytest.raises(InputError, match="decompression bomb"):
        ReviewSession.open(text_bomb)
    item = describe(QueueItem(text_bomb, text_bomb.with_name("bomb.review.toml")))
    assert "decompression bomb" in item.error and "\n" not in item.error


def test_normal_pdfs_read_as_before(tmp_path: Path) -> None:
    good = tmp_path / "eastwick.pdf"
    good.write_bytes(make_pdf(LETTER))
    here, _ = pdf_source.extract_here(good.read_bytes(), "eastwick.pdf")
    assert read_letter(good).text == here


def test_more_text_than_any_letter_is_refused(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(pdf_source, "MAX_TEXT", 100)
    good = tmp_path / "eastwick.pdf"
    good.write_bytes(make_pdf(LETTER))
    with pytest.raises(InputError, match="more than any letter or report"):
        read_letter(good)


# -- the bounds themselves ----------------------------------------------------------------


def _spin() -> None:
    while True:
        pass


def _sleep() -> None:
    time.sleep(30)


def _hoard() -> list[bytes]:
    return [bytes(1 << 20) for _ in range(10_000)]  # 10 GB, a megabyte at a time


def _refuse() -> None:
    raise InputError("x.pdf: the PDF is encrypted; remove the password and try again")


def test_a_step_over_its_processor_time_is_ended() -> None:
    with pytest.raises(Exceeded) as err:
        run_bounded(_spin, bounds=Bounds(1 << 30, cpu_seconds=1, wall_seconds=30))
    assert err.value.what == "time"


def test_a_step_that_hangs_is_ended_at_the_wall_clock_limit() -> None:
    start = time.monotonic()
    with pytest.raises(Exceeded) as err:
        run_bounded(_sleep, bounds=Bounds(1 << 30, cpu_seconds=10, wall_seconds=0.5))
    assert err.value.what == "time" and time.monotonic() - start < 10


def test_a_step_over_its_memory_is_ended() -> None:
    with pytest.raises(Exceeded) as err:
        run_bounded(_hoard, bounds=Bounds(64 << 20, cpu_seconds=10, wall_seconds=30))
    assert err.value.what == "memory"


def test_a_steps_own_error_and_result_come_back() -> None:
    with pytest.raises(InputError, match="encrypted"):
        run_bounded(_refuse)
    assert run_bounded(sorted, [3, 1, 2]) == [1, 2, 3]


def _zombies() -> int:
    """This process's children that have ended and not been reaped (Linux)."""
    count = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        count += fields[0] == "Z" and int(fields[1]) == os.getpid()
    return count


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="counts children in /proc")
def test_children_that_answered_are_reaped() -> None:
    for _ in range(6):
        assert run_bounded(sorted, [2, 1]) == [1, 2]
        # the child ends after it answered; on a loaded machine that may take a while
        deadline = time.monotonic() + 60
        while _zombies() < 1:
            assert time.monotonic() < deadline, "the child that answered never ended"
            time.sleep(0.01)
    assert _zombies() <= 2  # each step reaps the children ended before it: not six
