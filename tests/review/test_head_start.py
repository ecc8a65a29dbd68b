"""The head start: a new letter read and segmented in a child while the screen loads, then
opened from what the child sent exactly as from the letter read in this process."""

from __future__ import annotations

import os
import resource
import signal
import time
from pathlib import Path

import pytest

from reviewer.review import head_start
from reviewer.review.annotation import review_path_for, to_dict
from reviewer.review.head_start import HeadStart
from reviewer.review.session import ReviewSession
from reviewer.sources import bounded
from reviewer.sources.letter import InputError
from tests.pdf_maker import make_pdf

pytestmark = pytest.mark.skipif(not bounded.can_bound(), reason="no fork here")


@pytest.fixture(autouse=True)
def two_cores(monkeypatch):
    """The head start is only begun with two cores; the test machine may have one."""
    monkeypatch.setattr(head_start, "_two_cores", lambda: True)


def opened(letter: Path, **kw) -> ReviewSession:
    started = HeadStart.begin(letter, kw.get("review_path"), kw.get("scheme"))
    assert started is not None
    made = started.take(letter, kw.get("review_path"), kw.get("scheme"))
    assert made is not None, "the child sent no review"
    return ReviewSession.open(letter, made=made, **kw)


def there_and_here(letter: Path, **kw) -> ReviewSession:
    """The letter opened from a head start's child, then here (no head start), each session
    closed; checks they are the same session and returns the child's."""
    there = opened(letter, **kw)
    there.close(clean=False)
    review_path_for(letter).unlink(missing_ok=True)
    here = ReviewSession.open(letter, **kw)
    here.close(clean=False)
    same_session(there, here)
    return there


def same_session(a: ReviewSession, b: ReviewSession) -> None:
    """Two sessions opened on one letter hold the same review, letter and scheme."""
    one, two = to_dict(a.review), to_dict(b.review)
    for d in (one, two):
        d["review"].pop("created"), d["review"].pop("updated")
    assert one == two
    assert a.letter == b.letter
    assert a.scheme.id == b.scheme.id
    assert (a.display_text, a.quiet_breaks) == (b.display_text, b.quiet_breaks)
    assert a.report == b.report
    assert a._segments == b._segments


@pytest.mark.parametrize(
    "name", ["hartlepool_2011-03_ucra.txt", "constructed_cp1252_crlf.txt", "no_family.txt"]
)
def test_a_letter_opened_from_the_child_is_the_letter_opened_here(copy_letter, tmp_path, name):
    if name == "no_family.txt":  # a document of no known family: its note comes along
        letter = tmp_path / name
        letter.write_text("Minutes of the parish council.\n\nThe hall roof was mended.\n")
    else:
        letter = copy_letter(name)
    there = there_and_here(letter)
    if name == "no_family.txt":
        assert there.report.note and there.report.family_decided


def test_a_pdf_opened_from_the_child_is_the_pdf_opened_here(tmp_path):
    pdf = tmp_path / "letter.pdf"
    lines = ["Dear Ms Smith", "Areas for development", "- Improve the timeliness of plans."]
    pdf.write_bytes(make_pdf([lines]))
    assert there_and_here(pdf).letter.encoding == "pdf"


def test_a_scheme_asked_for_goes_to_the_child(copy_letter):
    letter = copy_letter()
    assert there_and_here(letter, scheme="ofsted_ilacs").scheme.id == "ofsted_ilacs"


def test_the_session_from_the_child_saves_and_takes_the_lock(copy_letter):
    letter = copy_letter()
    session = opened(letter)
    try:
        assert session.lock is not None and not session.read_only
        session.set_category(0, session.scheme.categories[-1].id)
        session.save()
    finally:
        session.close()
    again = ReviewSession.open(letter)
    again.close(clean=False)
    assert again.report.resumed
    assert again.findings[0].category == session.scheme.categories[-1].id


def test_the_letters_own_fault_is_the_same_error_as_here(tmp_path):
    bad = tmp_path / "letter.txt"
    bad.write_bytes(b"\x00\x01\x02 binary \x00" * 50)
    started = HeadStart.begin(bad)
    assert started is not None
    with pytest.raises(InputError) as there:
        started.take(bad)
    with pytest.raises(InputError) as here:
        ReviewSession.open(bad)
    assert str(there.value) == str(here.value)


def test_a_child_that_dies_leaves_the_open_to_do_it_here(copy_letter, monkeypatch):
    letter = copy_letter()
    monkeypatch.setattr(head_start, "_new_review", lambda *a: os._exit(3))
    started = HeadStart.begin(letter)
    assert started is not None
    assert started.take(letter) is None
    session = ReviewSession.open(letter)  # made here, as without a head start
    session.close(clean=False)
    assert session.findings


def test_a_head_start_for_another_letter_gives_nothing(copy_letter):
    letter, other = copy_letter(), copy_letter("middlesbrough_2010-01_ucra.txt")
    started = HeadStart.begin(letter)
    assert started is not None
    assert started.take(other) is None
    assert started.take(letter) is None  # taken once: the child is gone


def test_a_review_file_that_came_meanwhile_is_resumed_not_replaced(copy_letter):
    letter = copy_letter()
    started = HeadStart.begin(letter)
    assert started is not None
    first = ReviewSession.open(letter)  # another reviewer saves a review meanwhile
    first.set_category(0, first.scheme.categories[-1].id)
    first.save()
    first.close()
    made = started.take(letter)
    session = ReviewSession.open(letter, made=made)
    session.close(clean=False)
    assert session.report.resumed
    assert session.findings[0].category == first.scheme.categories[-1].id


@pytest.mark.parametrize("why", ["reviewed", "missing", "one core", "no fork", "big text"])
def test_no_head_start_where_it_cannot_help(copy_letter, tmp_path, monkeypatch, why):
    letter = copy_letter()
    if why == "reviewed":
        ReviewSession.open(letter).save()
    elif why == "missing":
        letter = tmp_path / "nowhere.txt"
    elif why == "one core":
        monkeypatch.setattr(head_start, "_two_cores", lambda: False)
    elif why == "no fork":
        monkeypatch.setattr(bounded, "can_bound", lambda: False)
    else:
        letter.write_text("The council.\n" * (head_start.TEXT_LIMIT // 10))
    assert HeadStart.begin(letter) is None


def test_cancel_ends_the_child(copy_letter, monkeypatch):
    monkeypatch.setattr(head_start, "_new_review", lambda *a: time.sleep(60))
    started = HeadStart.begin(copy_letter())
    assert started is not None and started.pending is not None
    pid = started.pending.pid
    started.cancel()
    _, status = os.waitpid(pid, 0)  # killed, not left running for its minute
    assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL
    bounded._exiting.remove(pid)  # reaped here instead


def _limit_after_lowering(hard: int) -> int:
    """In a bounded child: its address space's hard limit lowered to `hard`, then the hard
    limit a bounded step run from it gets."""
    resource.setrlimit(resource.RLIMIT_AS, (hard, hard))
    return bounded.run_bounded(lambda: resource.getrlimit(resource.RLIMIT_AS)[1])


def test_a_bounded_step_inside_a_bounded_child_keeps_within_its_limits():
    # The head start's child reads a PDF in a bounded child of its own: the limits it asks
    # for may not be above the ones it has (only the superuser may raise them).
    size = bounded._address_space()
    assert size is not None
    hard = size + (256 << 20)
    got = bounded.start_bounded(_limit_after_lowering, hard).result()
    assert got <= hard
