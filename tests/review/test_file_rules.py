"""One set of rules for review files, whoever reads them: open, validate, export."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from reviewer.cli import main
from reviewer.corpus.validate import problems_of
from reviewer.review import annotation
from reviewer.review.annotation import AnnotationError
from reviewer.review.session import ReviewSession
from tests.conftest import SAMPLES

HARTLEPOOL = "hartlepool_2011-03_ucra.txt"


@pytest.fixture
def saved(tmp_path: Path) -> Path:
    """A saved review of a real letter; returns the review file."""
    letter = tmp_path / HARTLEPOOL
    shutil.copyfile(SAMPLES / HARTLEPOOL, letter)
    s = ReviewSession.open(letter)
    s.save()
    s.close()
    return s.review_path


def _edit(path: Path, old: str, new: str) -> None:
    """Replace the first match of the regular expression ``old``."""
    text = path.read_text(encoding="utf-8")
    assert re.search(old, text)
    path.write_text(re.sub(old, new, text, count=1), encoding="utf-8")


def _refused_by_both(path: Path, match: str) -> None:
    problems = problems_of(path)
    assert problems and match in problems[0]
    with pytest.raises(AnnotationError, match=match):
        ReviewSession.open(path.parent / HARTLEPOOL, path)


@pytest.mark.parametrize(
    ("old", "new", "match"),
    [
        (
            'status = "auto"\nnote = ""',
            'status = "auto"\nnote = ""\nanchor = "sideways"',
            "'anchor'",
        ),
        (r"confidence = [0-9.]+", "confidence = nan", "key 'confidence'"),
        (r"confidence = [0-9.]+", "confidence = 1e308", "key 'confidence'"),
        (r"machine_findings = \d+", "machine_findings = -5", "machine_findings"),
    ],
)
def test_bad_values_are_refused_by_validate_and_open(saved: Path, old, new, match) -> None:
    _edit(saved, old, new)
    _refused_by_both(saved, match)


def test_orphan_past_the_end_is_refused_by_validate_and_open(saved: Path) -> None:
    _edit(saved, 'status = "auto"\nnote = ""', 'status = "auto"\nnote = ""\nanchor = "orphan"')
    text = saved.read_text(encoding="utf-8")
    first_end = text.index("\nend = ")
    line_end = text.index("\n", first_end + 1)
    saved.write_text(text[:first_end] + "\nend = 99999999" + text[line_end:], encoding="utf-8")
    _refused_by_both(saved, "outside the letter")


def test_unknown_auto_category_refused_by_both(saved: Path) -> None:
    _edit(saved, 'auto_category = "strength"', 'auto_category = "stale"')
    _refused_by_both(saved, "unknown auto_category 'stale'")


def test_unknown_keys_everywhere_survive_a_save(saved: Path) -> None:
    _edit(saved, r"\[review\]\n", '[review]\nteam = "north"\n')
    _edit(saved, r"\[source\]\n", "[source]\nfetched = 2024-01-02\n")
    _edit(
        saved,
        'status = "auto"\nnote = ""',
        'status = "auto"\nnote = ""\nflag = [1, 2]\nmeta = { by = "tool" }',
    )
    _edit(saved, "schema_version = 1\n", 'schema_version = 1\nproject = "x"\n')
    letter = saved.parent / HARTLEPOOL
    s = ReviewSession.open(letter)
    s.set_note(0, "changed")
    s.save()
    s.close()
    back = annotation.load(saved)
    assert back.review_extra == {"team": "north"}
    assert str(back.source_extra["fetched"]) == "2024-01-02"
    assert back.findings[0].extra == {"flag": [1, 2], "meta": {"by": "tool"}}
    assert back.findings[1].extra == {}
    assert back.extra == {"project": "x"}
    assert back.findings[0].note == "changed"


def test_byte_order_mark_is_accepted(saved: Path) -> None:
    saved.write_bytes(b"\xef\xbb\xbf" + saved.read_bytes())
    assert annotation.load(saved).findings
    assert problems_of(saved) == []
    s = ReviewSession.open(saved.parent / HARTLEPOOL)
    assert s.report.resumed
    s.close()


def test_deep_nesting_is_one_line_everywhere(
    saved: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    saved.write_text(
        saved.read_text(encoding="utf-8") + "\nx = " + "[" * 1000 + "]" * 1000 + "\n",
        encoding="utf-8",
    )
    with pytest.raises(AnnotationError, match="nested too deeply"):
        annotation.load(saved)
    problems = problems_of(saved)
    assert len(problems) == 1 and "nested too deeply" in problems[0]
    assert main(["export", str(saved)]) == 2
    err = capsys.readouterr().err
    assert "nested too deeply" in err and "Traceback" not in err and len(err.splitlines()) == 1
    assert main(["open", str(saved.parent / HARTLEPOOL)]) == 2
    err = capsys.readouterr().err
    assert "nested too deeply" in err and len(err.splitlines()) == 1
