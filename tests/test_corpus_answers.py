"""Batch answers that must not be silently wrong: agree, stats, export."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest

from reviewer.cli import main
from reviewer.corpus.loading import load_reviews
from reviewer.corpus.stats import compute
from reviewer.review.session import ReviewSession
from tests.conftest import SAMPLES

HARTLEPOOL = "hartlepool_2011-03_ucra.txt"


def _review(folder: Path, letter: str = HARTLEPOOL, edit=None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / letter
    shutil.copyfile(SAMPLES / letter, path)
    s = ReviewSession.open(path)
    if edit:
        edit(s)
    s.save()
    s.close()
    return s.review_path


# -- stats ------------------------------------------------------------------------------------


def test_stats_counts_a_delete_and_a_merge_as_two_and_a_split_half_as_no_machine_finding(
    tmp_path: Path,
) -> None:
    def edit(s: ReviewSession) -> None:
        s.delete(5)
        s.merge_next(0)
        s.split(11)

    _review(tmp_path / "a", edit=edit)
    loaded, _ = load_reviews([tmp_path / "a"])
    st = compute(loaded)
    assert st.machine_findings == 14
    assert st.removed == 2
    assert st.split == 1
    assert st.added == 0


# -- agree -----------------------------------------------------------------------------------


def test_agree_refuses_reviews_of_different_letters(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    a = _review(tmp_path / "a")
    b = _review(tmp_path / "b", "constructed_caps_headings.txt")
    b_same_name = b.with_name(a.name)
    b.rename(b_same_name)
    assert main(["agree", str(a), str(b_same_name)]) == 2
    out = capsys.readouterr()
    assert "different letters" in out.err and len(out.err.splitlines()) == 1
    assert out.out == ""
    assert main(["agree", str(a), str(b_same_name), "--force"]) == 0


def test_agree_reports_a_split_as_a_split(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    a = _review(tmp_path / "a")
    b = _review(tmp_path / "b", edit=lambda s: s.split(13))
    assert main(["agree", str(a), str(b)]) == 0
    text = capsys.readouterr().out
    assert "split or merged differently: 1" in text
    assert "split: A has 1 finding where B has 2" in text
    assert "mean overlap 1.000" not in text
    assert main(["agree", str(a), str(b), "--format", "toml"]) == 0
    assert 'kind = "split"' in capsys.readouterr().out


# -- export ----------------------------------------------------------------------------------


def test_export_carries_every_letter_key_in_a_stable_order(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def edit(s: ReviewSession) -> None:
        s.set_metadata(
            {
                "visit_focus": "Inspectors looked at the front door",
                "recipients": ["A Person", "B Person"],
                "outcome": "The outcome paragraph",
                "judgements": {"leaders": "Good"},
                "zz_custom": "kept",
            }
        )

    review = _review(tmp_path / "a", edit=edit)
    assert main(["export", str(review)]) == 0
    reader = csv.DictReader(io.StringIO(capsys.readouterr().out))
    row = next(reader)
    head = reader.fieldnames or []
    for column in (
        "inspection_title",
        "recipient_name",
        "recipient_role",
        "copy_to",
        "previous_inspection",
        "legal_basis",
        "scheme",
        "visit_focus",
        "outcome",
        "recipients",
        "responsible",
        "judgement.leaders",
        "zz_custom",
    ):
        assert column in head, column
    assert row["scheme"] == "ofsted_ucra"
    assert row["recipients"] == "A Person; B Person"
    assert row["recipient_name"] and row["inspection_title"]
    assert row["judgement.leaders"] == "Good" and row["zz_custom"] == "kept"
    assert head.index("recipient_name") < head.index("copy_to") < head.index("zz_custom")
    assert main(["export", str(review), "--format", "jsonl"]) == 0
    first = json.loads(capsys.readouterr().out.splitlines()[0])
    assert first["recipients"] == ["A Person", "B Person"]
    assert list(first)[: len(head)] == head
