"""Batch answers that must not be silently wrong: agree, stats, export."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import shutil
import tomllib
from pathlib import Path

import pytest
import tomli_w

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


def _renamed(folder: Path, letter_keys: dict, drop=()) -> Path:
    """A machine review of the Hartlepool letter whose council is written another way; it
    stands for another document (its own sha256: one document counts once in stats)."""
    path = _review(folder)
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    data["source"]["sha256"] = hashlib.sha256(str(folder).encode()).hexdigest()
    for key in ("authority_name", "la_code", "gss_code", "region", *drop):
        data["letter"].pop(key, None)
    data["letter"].update(letter_keys)
    path.write_text(tomli_w.dumps(data), encoding="utf-8")
    return path


def test_stats_counts_every_spelling_of_a_council_as_one_row_with_its_region(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _renamed(tmp_path / "a", {"authority": "Birmingham"})
    _renamed(tmp_path / "b", {"authority": "Birmingham City Council"})
    _renamed(
        tmp_path / "c",
        {"authority": "Birmingham Children's Trust", "authority_name": "Birmingham"},
    )
    _renamed(tmp_path / "d", {"authority": "Wexcombe County Council"})
    assert main(["stats", str(tmp_path), "--format", "toml"]) == 0
    data = tomllib.loads(capsys.readouterr().out)
    groups = {g["authority"]: g for g in data["groups"]}
    assert set(groups) == {"Birmingham", "Wexcombe County Council"}
    brum = groups["Birmingham"]
    assert (brum["la_code"], brum["region"]) == ("330", "West Midlands")
    assert brum["total"] == 3 * groups["Wexcombe County Council"]["total"]
    assert groups["Wexcombe County Council"]["la_code"] == ""
    assert data["councils"] == 2
    assert main(["stats", str(tmp_path), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["groups"][0]["la_code"] == "330"
    assert main(["stats", str(tmp_path)]) == 0
    text = capsys.readouterr().out
    family, head, _, *rows = text.splitlines()
    assert family == "Unannounced: 4 documents"
    assert head.split()[:3] == ["authority", "region", "year"]
    assert [r.split()[:3] for r in rows[:1]] == [["Birmingham", "West", "Midlands"]]
    assert "4 letters" in text and "2 councils" in text


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
        "authority_name",
        "la_code",
        "gss_code",
        "region",
    ):
        assert column in head, column
    assert (row["authority_name"], row["la_code"]) == ("Hartlepool", "805")
    assert (row["gss_code"], row["region"]) == ("E06000001", "North East")
    assert row["scheme"] == "ofsted_ucra"
    assert row["recipients"] == "A Person; B Person"
    assert row["recipient_name"] and row["inspection_title"]
    assert row["judgement.leaders"] == "Good" and row["zz_custom"] == "kept"
    assert head.index("recipient_name") < head.index("copy_to") < head.index("zz_custom")
    assert main(["export", str(review), "--format", "jsonl"]) == 0
    first = json.loads(capsys.readouterr().out.splitlines()[0])
    assert first["recipients"] == ["A Person", "B Person"]
    assert list(first)[: len(head)] == head
