"""The analyst's dataset: `export` at two levels that join, typed values in CSV, JSON Lines
and a workbook, and one review per document."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import shutil
import tomllib
from pathlib import Path

import pytest
import tomli_w

from reviewer.cli import main
from tests.conftest import SAMPLES
from tests.family_docs import CORPUS, FOCUSED_VISIT
from tests.segment.test_report import SIF

HARTLEPOOL = "hartlepool_2011-03_ucra.txt"


@pytest.fixture
def reviews(tmp_path: Path) -> Path:
    """Review files of four documents of three families, one of them without findings."""
    letters = tmp_path / "letters"
    letters.mkdir()
    shutil.copy(SAMPLES / HARTLEPOOL, letters / HARTLEPOOL)
    (letters / "westmoor_fv.txt").write_text(FOCUSED_VISIT, encoding="utf-8")
    (letters / "northdale_2016.txt").write_text(SIF, encoding="utf-8")
    (letters / "nothing.txt").write_text("A note that is no inspection letter.\n", "utf-8")
    out = tmp_path / "reviews"
    assert main(["segment", str(letters), "--out-dir", str(out)]) == 0
    return out


def _export(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    assert main(["export", *args]) == 0
    return capsys.readouterr().out


def test_the_document_level_has_a_row_per_document_even_without_findings(
    reviews: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = list(csv.DictReader(io.StringIO(_export(capsys, str(reviews), "--level", "document"))))
    assert len(rows) == 4
    by_file = {Path(r["file"]).name.split(".")[0]: r for r in rows}
    nothing = by_file["nothing"]
    assert nothing["findings"] == "0" and nothing["family"]
    hart = by_file["hartlepool_2011-03_ucra"]
    assert (hart["authority"], hart["authority_name"]) == (
        "Hartlepool Borough Council",
        "Hartlepool",
    )
    assert (hart["la_code"], hart["gss_code"], hart["urn"]) == ("805", "E06000001", "80473")
    assert (hart["region"], hart["year"], hart["letter_date"]) == (
        "North East",
        "2011",
        "2011-03-16",
    )
    assert (hart["family"], hart["scheme"]) == ("Unannounced", "ofsted_ucra")
    assert hart["source_document"].endswith(HARTLEPOOL)
    assert hart["findings.strength"] == "2" and hart["findings.satisfactory"] == "11"
    report = by_file["northdale_2016"]
    assert (report["family"], report["year"]) == ("ILACS", "2016")
    assert report["judgement.leaders"] == "Requires improvement to be good"
    # a category of another family is no count of this document's (empty), its own are counts
    assert report["findings.improvement"] == "3" and report["findings.satisfactory"] == ""
    assert hart["findings.improvement"] == ""
    assert hart["judgement.overall_effectiveness"] == ""
    for column in ("inspector_name", "review_status", "reviewer", "review_note", "inspection_end"):
        assert column in rows[0]


def test_the_two_levels_join_on_the_document_key(
    reviews: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    docs = list(csv.DictReader(io.StringIO(_export(capsys, str(reviews), "-l", "document"))))
    findings = list(csv.DictReader(io.StringIO(_export(capsys, str(reviews)))))
    keys = {d["document_key"]: d for d in docs}
    assert len(keys) == 4
    for f in findings:
        doc = keys[f["document_key"]]
        assert (f["family"], f["year"], f["urn"], f["source_document"]) == (
            doc["family"],
            doc["year"],
            doc["urn"],
            doc["source_document"],
        )
    per_doc = {k: sum(1 for f in findings if f["document_key"] == k) for k in keys}
    assert per_doc == {k: int(d["findings"]) for k, d in keys.items()}


def test_json_lines_are_typed_with_null_for_a_missing_value(
    reviews: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = _export(capsys, str(reviews), "-l", "document", "-f", "jsonl")
    rows = {Path(r["file"]).name.split(".")[0]: r for r in map(json.loads, out.splitlines())}
    hart, fv = rows["hartlepool_2011-03_ucra"], rows["westmoor_fv"]
    assert hart["year"] == 2011 and hart["la_code"] == "805" and hart["letter_date"] == "2011-03-16"
    assert hart["findings.strength"] == 2
    assert fv["la_code"] is None and fv["urn"] is None  # an invented council: no codes
    assert hart["judgement.leaders"] is None
    assert "" not in hart.values()
    finding = json.loads(_export(capsys, str(reviews), "-f", "jsonl").splitlines()[0])
    assert isinstance(finding["year"], int) and finding["auto_category"] is not None
    assert isinstance(finding["inspection_dates"], list)


def test_the_workbook_has_both_sheets_with_typed_cells(
    reviews: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from openpyxl import load_workbook

    # a note that looks like a formula stays text
    review = reviews / "hartlepool_2011-03_ucra.review.toml"
    data = tomllib.loads(review.read_text(encoding="utf-8"))
    data["findings"][0]["note"] = "=SUM(A1:A9)"
    review.write_text(tomli_w.dumps(data), encoding="utf-8")
    book_path = tmp_path / "out.xlsx"
    assert main(["export", str(reviews), "-f", "xlsx", "-o", str(book_path)]) == 0
    book = load_workbook(book_path)
    assert book.sheetnames == ["documents", "findings"]
    docs, finds = book["documents"], book["findings"]
    head = [c.value for c in docs[1]]
    rows = [dict(zip(head, (c for c in row), strict=True)) for row in docs.iter_rows(min_row=2)]
    assert len(rows) == 4
    hart = next(r for r in rows if r["authority_name"].value == "Hartlepool")
    assert isinstance(hart["letter_date"].value, dt.datetime)
    assert hart["letter_date"].value.date() == dt.date(2011, 3, 16)
    assert hart["la_code"].value == "805" and hart["la_code"].data_type == "s"
    assert hart["urn"].value == "80473" and hart["gss_code"].value == "E06000001"
    assert hart["year"].value == 2011 and hart["findings"].value == 14
    assert hart["judgement.leaders"].value is None
    fhead = [c.value for c in finds[1]]
    frows = [dict(zip(fhead, row, strict=True)) for row in finds.iter_rows(min_row=2)]
    assert len(frows) == sum(r["findings"].value for r in rows)
    noted = next(r for r in frows if r["note"].value)
    assert noted["note"].value == "=SUM(A1:A9)" and noted["note"].data_type == "s"
    assert isinstance(noted["start"].value, int) and isinstance(noted["year"].value, int)
    keys = {r["document_key"].value for r in rows}
    assert {r["document_key"].value for r in frows} <= keys


def test_a_workbook_needs_an_output_file(reviews: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", str(reviews), "-f", "xlsx"]) == 2
    assert "--output" in capsys.readouterr().err


def test_export_with_a_missing_path_writes_no_file(
    reviews: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out.csv"
    assert main(["export", str(reviews), str(tmp_path / "missing"), "-o", str(out)]) == 2
    assert not out.exists()
    err = capsys.readouterr().err
    assert "missing: no such file or folder" in err and len(err.splitlines()) == 1


@pytest.mark.parametrize(
    "command",
    [
        ["export", "-o", "{out}"],
        ["stats", "--format", "html", "-o", "{out}"],
        ["history", "--format", "html", "-o", "{out}"],
    ],
)
def test_a_missing_path_writes_no_file_for_any_command(
    command: list[str], reviews: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A page or table of the reviews that could be read would pass for the whole set."""
    out = tmp_path / "out.file"
    args = [a.format(out=out) for a in command] + [str(reviews), str(tmp_path / "missing")]
    assert main(args) == 2
    assert not out.exists()
    err = capsys.readouterr().err
    assert "missing: no such file or folder" in err and len(err.splitlines()) == 1


def test_the_cli_module_runs_every_command(tmp_path: Path) -> None:
    """`python -m reviewer.cli` reaches every command (its entry point stands last)."""
    import subprocess
    import sys

    proc = subprocess.run(
        [sys.executable, "-m", "reviewer.cli", "history", str(tmp_path / "none")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 2 and "Traceback" not in proc.stderr, proc.stderr
    assert proc.stderr.startswith("reviewer: ") and len(proc.stderr.splitlines()) == 1


def test_a_document_reviewed_twice_counts_once_with_a_warning_naming_both(
    reviews: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = reviews / "hartlepool_2011-03_ucra.review.toml"
    second = tmp_path / "again" / first.name
    second.parent.mkdir()
    shutil.copy(first, second)
    data = tomllib.loads(second.read_text(encoding="utf-8"))
    data["review"]["status"] = "complete"
    second.write_text(tomli_w.dumps(data), encoding="utf-8")
    folders = [str(reviews), str(second.parent)]

    assert main(["export", *folders, "-l", "document"]) == 0
    out = capsys.readouterr()
    rows = list(csv.DictReader(io.StringIO(out.out)))
    assert len(rows) == 4
    assert [r["review_status"] for r in rows if r["authority_name"] == "Hartlepool"] == ["complete"]
    assert str(first) in out.err and str(second) in out.err and "same document" in out.err

    assert main(["stats", *folders, "-f", "json"]) == 0
    out = capsys.readouterr()
    assert json.loads(out.out)["letters"] == 4
    assert str(first) in out.err and str(second) in out.err

    assert main(["history", *folders, "-a", "Hartlepool", "-f", "json"]) == 0
    out = capsys.readouterr()
    assert len(json.loads(out.out)[0]["documents"]) == 1
    assert str(first) in out.err and str(second) in out.err


# -- every shared corpus document --------------------------------------------------------------


@pytest.mark.skipif(not CORPUS.is_dir(), reason="the shared corpus is not here")
def test_every_corpus_document_exports_and_joins_to_the_dfe_table(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pd = pytest.importorskip("pandas")
    pdfs = sorted(CORPUS.glob("*/*.pdf"))
    assert len(pdfs) == 196
    out = tmp_path / "reviews"
    assert main(["segment", *map(str, pdfs), "--out-dir", str(out)]) == 0
    docs_csv, finds_csv = tmp_path / "documents.csv", tmp_path / "findings.csv"
    assert main(["export", str(out), "-l", "document", "-o", str(docs_csv)]) == 0
    assert main(["export", str(out), "-o", str(finds_csv)]) == 0
    capsys.readouterr()
    codes = {"la_code": str, "urn": str, "gss_code": str}
    docs = pd.read_csv(docs_csv, dtype=codes, parse_dates=["letter_date", "inspection_end"])
    assert len(docs) == 196 and docs["document_key"].is_unique
    assert docs["year"].dtype.kind == "i"
    lookup = pd.read_csv(CORPUS / "peer" / "la_lookup.csv", dtype={"la_code": str})
    joined = docs.merge(lookup, on="la_code", how="left", indicator=True, validate="many_to_one")
    assert (joined["_merge"] == "both").all(), joined.loc[joined["_merge"] != "both", "file"]
    assert (joined["urn_x"] == joined["urn_y"].astype(str)).all()
    finds = pd.read_csv(finds_csv, dtype=codes)
    both = finds.merge(docs, on="document_key", how="left", indicator=True, suffixes=("", "_doc"))
    assert (both["_merge"] == "both").all() and len(both) == len(finds)
    per_doc = finds.groupby("document_key").size()
    assert (per_doc == docs.set_index("document_key").loc[per_doc.index, "findings"]).all()
    assert docs["findings"].sum() == len(finds)
