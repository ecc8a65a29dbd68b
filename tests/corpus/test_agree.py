"""`reviewer agree` on constructed reviews: kappa per category, the confusion matrix, and
every disagreement named by its kind, in text, TOML and CSV."""

from __future__ import annotations

import csv
import io
import tomllib
from pathlib import Path

import pytest

from reviewer.cli import main
from reviewer.corpus.agree import NONE, compare, disagreements
from reviewer.model import Finding
from reviewer.review import annotation
from reviewer.review.annotation import Review


def _f(fid: str, category: str, start: int, end: int) -> Finding:
    # Texts unlike each other, so no two findings are paired by their words alone.
    return Finding(fid, category, "Heading", fid * 6, start, end)


# One letter, two reviewers. A's and B's findings at the same offsets are the same place.
A = [
    _f("a1", "strength", 0, 100),
    _f("a2", "development", 100, 200),  # B: strength
    _f("a3", "development", 200, 300),  # B: split in two
    _f("a4", "strength", 300, 400),  # B: ends at 380
    _f("a5", "priority_action", 500, 600),  # B: none
    _f("a6", "strength", 700, 800),  # B: one finding for a6 and a7
    _f("a7", "strength", 800, 900),
    _f("a9", "development", 1200, 1300),
]
B = [
    _f("b1", "strength", 0, 100),
    _f("b2", "strength", 100, 200),
    _f("b3", "development", 200, 250),
    _f("b3x", "development", 250, 300),
    _f("b4", "strength", 300, 380),
    _f("b6", "strength", 700, 900),
    _f("b8", "development", 1000, 1100),  # A: none
    _f("b9", "development", 1200, 1300),
]


def _review(findings: list[Finding]) -> Review:
    return Review("letter.txt", "0" * 64, "utf-8", "ofsted_ucra", {}, findings, status="complete")


def test_kappa_per_category_is_one_category_against_the_rest() -> None:
    ag = compare([("letter", _review(A), _review(B))])
    assert len(ag.pairs) == 4
    # Pairs (A, B): strength/strength twice, development/strength, development/development.
    # Strength or not: observed 3/4, chance 1/2*3/4 + 1/2*1/4 = 1/2, so kappa 1/2.
    per = ag.per_category()
    assert per["strength"] == {"a": 2, "b": 3, "both": 2, "kappa": pytest.approx(0.5)}
    assert per["development"] == {"a": 2, "b": 1, "both": 1, "kappa": pytest.approx(0.5)}
    assert per["priority_action"]["kappa"] is None  # only in A: in no pair
    assert list(per) == ["strength", "development", "priority_action"]  # the scheme's order
    assert ag.kappa == pytest.approx(0.5)


def test_confusion_matrix_counts_pairs_and_findings_one_reviewer_lacks() -> None:
    matrix = compare([("letter", _review(A), _review(B))]).confusion()
    assert matrix["strength"] == {"strength": 2, "development": 0, "priority_action": 0, NONE: 0}
    assert matrix["development"]["strength"] == 1
    assert matrix["development"]["development"] == 1
    assert matrix["priority_action"][NONE] == 1
    assert matrix[NONE] == {"strength": 0, "development": 1, "priority_action": 0}
    total = sum(sum(row.values()) for row in matrix.values())
    assert total == 4 + 1 + 1  # pairs, only in A, only in B; split groups not counted


def test_every_disagreement_is_named_by_its_kind_in_the_letters_order() -> None:
    found = disagreements(compare([("letter", _review(A), _review(B))]))
    assert [(d.kind, d.start) for d in found] == [
        ("category", 100),
        ("split", 200),
        ("boundary", 300),
        ("only in A", 500),
        ("merge", 700),
        ("only in B", 1000),
    ]
    merge = found[4]
    assert [f.id for f in merge.a] == ["a6", "a7"] and [f.id for f in merge.b] == ["b6"]


def _write(folder: Path, findings: list[Finding]) -> Path:
    folder.mkdir(parents=True)
    path = folder / "letter.review.toml"
    path.write_text(annotation.dumps(_review(findings)), encoding="utf-8")
    return path


def test_agree_cli_text_toml_and_csv(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    a, b = _write(tmp_path / "a", A), _write(tmp_path / "b", B)
    assert main(["agree", str(a), str(b)]) == 0
    text = capsys.readouterr().out
    assert "per category" in text and "confusion (rows: A's category, columns: B's)" in text
    lines = text.splitlines()
    per = lines.index("per category (kappa of the category against the rest, aligned pairs):")
    assert lines[per + 1].split() == ["category", "A", "B", "both", "kappa"]
    assert lines[per + 2].split() == ["strength", "2", "3", "2", "0.500"]
    grid = lines.index("confusion (rows: A's category, columns: B's):")
    assert lines[grid + 1].split()[3:] == ["strength", "development", "priority_action", NONE]
    assert lines[grid + 3].split() == ["development", "1", "1", "0", "0"]
    assert "letter.review.toml: merge: A has 2 findings where B has 1" in text
    assert "letter.review.toml: split: A has 1 finding where B has 2" in text

    assert main(["agree", str(a), str(b), "--format", "toml"]) == 0
    data = tomllib.loads(capsys.readouterr().out)
    assert data["per_category"]["development"]["kappa"] == 0.5
    assert "kappa" not in data["per_category"]["priority_action"]
    assert data["confusion"]["development"]["strength"] == 1
    kinds = [d["kind"] for d in data["disagreements"]]
    assert kinds == ["category", "split", "boundary", "only in A", "merge", "only in B"]

    assert main(["agree", str(a), str(b), "--format", "csv"]) == 0
    out = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [r["kind"] for r in out] == kinds
    category, split = out[0], out[1]
    assert (category["start"], category["end"]) == ("100", "200")
    assert (category["a_category"], category["b_category"]) == ("development", "strength")
    assert (category["a_text"], category["b_text"]) == ("a2" * 6, "b2" * 6)
    assert split["b_category"] == "development; development"
    assert split["b_span"] == "200-250; 250-300"
    assert split["b_text"] == "b3" * 6 + " | " + "b3x" * 6
    only_a = out[3]
    assert only_a["a_category"] == "priority_action" and only_a["b_category"] == ""
