"""Many letters: export, stats, agree and themes on the sample letters and constructed folders."""

from __future__ import annotations

import csv
import io
import json
import shutil
import tomllib

import pytest

from reviewer.cli import main
from reviewer.corpus.agree import cohens_kappa
from reviewer.review import annotation
from reviewer.review.session import ReviewSession
from reviewer.segment.topics import ThemesError, load_taxonomy
from tests.conftest import SAMPLES


@pytest.fixture
def reviews(tmp_path):
    """Review files for every sample letter, one of them reviewed by a person."""
    out = tmp_path / "reviews"
    assert main(["segment", *map(str, sorted(SAMPLES.glob("*.txt"))), "--out-dir", str(out)]) == 0
    return out


def reviewed_copy(tmp_path, name="hartlepool_2011-03_ucra.txt"):
    folder = tmp_path / "people"
    folder.mkdir(exist_ok=True)
    letter = folder / name
    shutil.copy(SAMPLES / name, letter)
    s = ReviewSession.open(letter)
    s.set_category(0, "satisfactory")  # category changed
    s.confirm(1)
    s.edit_text(2, s.findings[2].text + " Extra words.")  # text corrected
    s.delete(3)  # removed
    s.set_note(4, "=SUM(A1:A9) looks like a formula")
    s.save()
    s.close()
    return folder, letter


def test_export_csv_one_row_per_finding(reviews, capsys):
    assert main(["export", str(reviews)]) == 0
    out = capsys.readouterr().out
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 83
    first = next(r for r in rows if r["authority"] == "Hartlepool Borough Council")
    assert first["letter_date"] == "2011-03-16"
    assert first["inspection_start"] == "2011-02-15"
    assert first["inspection_end"] == "2011-02-16"
    assert first["inspector_name"] == "Sheena Doyle"
    assert first["category"] == "strength"
    assert first["text"].startswith("Child protection concerns")


def test_export_excel_csv_has_bom_and_guards_formulas(tmp_path, capsys):
    folder, _ = reviewed_copy(tmp_path)
    out = tmp_path / "x.csv"
    assert main(["export", str(folder), "--excel", "-o", str(out)]) == 0
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert b"\r\n" in raw
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    noted = [r for r in rows if r["note"]]
    assert noted[0]["note"] == "'=SUM(A1:A9) looks like a formula"


def test_export_jsonl_loads_line_by_line(reviews, tmp_path):
    out = tmp_path / "x.jsonl"
    assert main(["export", str(reviews), "--format", "jsonl", "-o", str(out)]) == 0
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 83
    row = json.loads(lines[0])
    assert isinstance(row["themes"], list)
    assert isinstance(row["inspection_dates"], list)


def test_export_reports_broken_file_and_processes_the_rest(reviews, capsys):
    (reviews / "broken.review.toml").write_text("schema_version = [", encoding="utf-8")
    assert main(["export", str(reviews)]) == 2
    cap = capsys.readouterr()
    assert "broken.review.toml: not valid TOML" in cap.err
    assert len(list(csv.DictReader(io.StringIO(cap.out)))) == 83


def test_empty_folder_is_reported(tmp_path, capsys):
    empty = tmp_path / "empty"
    empty.mkdir()
    assert main(["export", str(empty)]) == 2
    assert "no review files" in capsys.readouterr().err
    assert main(["stats", str(empty)]) == 2


def test_stats_per_authority_and_year(reviews, capsys):
    assert main(["stats", str(reviews), "--format", "toml"]) == 0
    data = tomllib.loads(capsys.readouterr().out)
    assert data["letters"] == 7
    assert data["findings"] == 83
    hart = next(g for g in data["groups"] if g["authority"] == "Hartlepool")
    assert (hart["la_code"], hart["region"]) == ("805", "North East")
    assert hart["year"] == 2011 and hart["family"] == "Unannounced"
    assert hart["counts"] == {"strength": 2, "satisfactory": 11, "development": 1}
    assert data["corrections"]["reviewed_letters"] == 0


def test_stats_correction_rate_counts_what_people_changed(tmp_path, capsys):
    folder, _ = reviewed_copy(tmp_path)
    assert main(["stats", str(folder), "--format", "json"]) == 0
    c = json.loads(capsys.readouterr().out)["corrections"]
    assert c["reviewed_letters"] == 1
    assert c["machine_findings"] == 14
    assert c["category_changed"] == 1
    assert c["text_corrected"] == 1
    assert c["removed"] == 1
    assert c["confirmed"] == 1
    assert c["correction_rate"] == pytest.approx(3 / 14, abs=1e-4)
    assert main(["stats", str(folder)]) == 0
    assert "correction rate 21.4%" in capsys.readouterr().out


def test_agree_identical_is_perfect(reviews, capsys):
    assert main(["agree", str(reviews), str(reviews), "--format", "toml"]) == 0
    data = tomllib.loads(capsys.readouterr().out)
    assert data["kappa"] == 1.0
    assert data["aligned"] == 83
    assert data["disagreements"] == []


def test_agree_lists_every_disagreement(tmp_path, capsys):
    folder, letter = reviewed_copy(tmp_path)
    machine = tmp_path / "machine"
    assert main(["segment", str(letter), "--out-dir", str(machine)]) == 0
    capsys.readouterr()
    a = machine / "hartlepool_2011-03_ucra.review.toml"
    b = folder / "hartlepool_2011-03_ucra.review.toml"
    assert main(["agree", str(a), str(b), "--format", "toml"]) == 0
    data = tomllib.loads(capsys.readouterr().out)
    kinds = sorted(d["kind"] for d in data["disagreements"])
    assert kinds == ["category", "only in A"]
    assert data["aligned"] == 13
    assert data["kappa"] < 1.0
    assert main(["agree", str(a), str(b)]) == 0
    text = capsys.readouterr().out
    assert "category strength vs satisfactory" in text
    assert "only in A" in text


def test_agree_bad_arguments(tmp_path, capsys):
    assert main(["agree", str(tmp_path / "x"), str(tmp_path / "y")]) == 2
    assert "no such file" in capsys.readouterr().err


def test_cohens_kappa_known_values():
    assert cohens_kappa([("a", "a"), ("b", "b")]) == 1.0
    assert cohens_kappa([]) is None
    # 20 items: observed 0.7, chance 0.5 -> kappa 0.4
    labels = [("y", "y")] * 7 + [("n", "n")] * 7 + [("y", "n")] * 3 + [("n", "y")] * 3
    assert cohens_kappa(labels) == pytest.approx(0.4)


def test_themes_tagged_and_carried_into_review(reviews):
    data = tomllib.loads((reviews / "middlesbrough_2010-01_ucra.review.toml").read_text("utf-8"))
    caf = next(f for f in data["findings"] if "Common Assessment Framework" in f["text"])
    assert "early_help" in caf["themes"]
    tax = load_taxonomy()
    assert "supervision" in tax.tag("Regular supervision is provided to staff.")
    assert "early_help" not in tax.tag("the caf is fine")  # acronyms count only in capitals


def test_toggle_theme_is_undoable(tmp_path):
    letter = tmp_path / "h.txt"
    shutil.copy(SAMPLES / "hartlepool_2011-03_ucra.txt", letter)
    s = ReviewSession.open(letter)
    before = s.findings[0].themes
    s.toggle_theme(0, "diversity")
    assert "diversity" in s.findings[0].themes
    s.toggle_theme(0, "diversity")
    assert s.findings[0].themes == before
    s.undo()
    assert "diversity" in s.findings[0].themes
    s.save()
    s.close()
    again = annotation.load(annotation.review_path_for(letter))
    assert "diversity" in again.findings[0].themes


def test_bad_taxonomy(tmp_path):
    p = tmp_path / "t.toml"
    p.write_text('[[themes]]\nid = "a"\nlabel = "A"\nphrases = []\n', encoding="utf-8")
    with pytest.raises(ThemesError):
        load_taxonomy(tmp_path / "missing.toml")
    p.write_text('[[themes]]\nid = "a"\nlabel = "A"\nphrases = [1]\n', encoding="utf-8")
    with pytest.raises(ThemesError, match="phrases"):
        load_taxonomy(p)


def test_reports_export_judgements_and_count_by_inspection_year(tmp_path, capsys):
    from tests.segment.test_report import SIF

    report = tmp_path / "northdale_2016.txt"
    report.write_text(SIF, encoding="utf-8")
    out = tmp_path / "out"
    assert main(["segment", str(report), "--out-dir", str(out)]) == 0
    capsys.readouterr()
    assert main(["export", str(out)]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert len(rows) == 3
    assert rows[0]["judgement.leaders"] == "Requires improvement to be good"
    assert rows[0]["judgement.children_looked_after"] == "Good"
    assert main(["stats", str(out), "--format", "json"]) == 0
    groups = json.loads(capsys.readouterr().out)["groups"]
    assert groups == [
        {
            "family": "ILACS",
            "authority": "Northdale",
            "la_code": "",
            "region": "",
            "year": 2016,
            "counts": {"improvement": 3},
            "total": 3,
        }
    ]


def test_agree_with_nothing_in_common_is_an_error(tmp_path, reviews, capsys):
    other = tmp_path / "other"
    other.mkdir()
    assert main(["agree", str(reviews), str(other)]) == 2
    assert "no review files in common" in capsys.readouterr().err


def test_export_carries_the_note_on_the_letter(tmp_path, capsys):
    folder, letter = reviewed_copy(tmp_path)
    s = ReviewSession.open(letter)
    s.set_review_note("ask for the audit, 12 cases")
    s.save()
    s.close()
    assert main(["export", str(folder)]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert rows and {r["review_note"] for r in rows} == {"ask for the audit, 12 cases"}
