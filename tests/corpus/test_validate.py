"""`reviewer validate`: problems_of and the command line, one line per problem."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest
import tomli_w

from reviewer.cli import main
from reviewer.corpus.validate import problems_of
from reviewer.review import annotation
from reviewer.review.session import ReviewSession
from tests.conftest import SAMPLES, segment_file

HARTLEPOOL = "hartlepool_2011-03_ucra.txt"
MIDDLESBROUGH = "middlesbrough_2010-01_ucra.txt"


def make_review(folder: Path, name: str = HARTLEPOOL) -> Path:
    """Copy a sample letter into `folder` and write its machine review beside it."""
    folder.mkdir(parents=True, exist_ok=True)
    letter = folder / name
    letter.write_bytes((SAMPLES / name).read_bytes())
    info, doc = segment_file(letter)
    review = annotation.from_document(doc, letter.name, info.sha256, info.encoding)
    path = annotation.review_path_for(letter)
    path.write_text(annotation.dumps(review), encoding="utf-8")
    return path


def edit(path: Path, change) -> None:
    """Rewrite a review file after `change` has altered its parsed data."""
    data: dict[str, Any] = tomllib.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(tomli_w.dumps(data), encoding="utf-8")


def run(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, list[str], str]:
    """Exit status of `reviewer validate ARGS`, its problem and warning lines (stdout), and
    its ok lines (stdout) followed by its stderr."""
    code = main(["validate", *map(str, args)])
    out, err = capsys.readouterr()
    lines = out.splitlines()
    oks = [line for line in lines if line.endswith(": ok")]
    return code, [line for line in lines if not line.endswith(": ok")], "\n".join(oks + [err])


def test_ok_lines_go_to_standard_output(review: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(review)]) == 0
    out, err = capsys.readouterr()
    assert out == f"{review}: ok\n" and err == ""


@pytest.fixture
def review(tmp_path: Path) -> Path:
    return make_review(tmp_path)


# -- problems_of -----------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(p.name for p in SAMPLES.glob("*.txt")))
def test_machine_review_of_every_sample_is_sound(tmp_path: Path, name: str) -> None:
    assert problems_of(make_review(tmp_path, name)) == []


def test_session_saved_review_is_sound(tmp_path: Path) -> None:
    letter = tmp_path / HARTLEPOOL
    letter.write_bytes((SAMPLES / HARTLEPOOL).read_bytes())
    s = ReviewSession.open(letter)
    s.set_category(0, "development")
    s.split(1)
    s.merge_next(5)
    s.delete(8)
    s.set_note(2, "a note")
    path = s.save()
    elsewhere = tmp_path / "saved-as" / "copy.review.toml"
    elsewhere.parent.mkdir()
    s.save(elsewhere)
    s.close()
    assert problems_of(path) == []
    assert problems_of(elsewhere) == []


def test_changed_letter(review: Path) -> None:
    letter = review.parent / HARTLEPOOL
    letter.write_bytes(letter.read_bytes().replace(b"Strengths", b"Key strengths"))
    found = problems_of(review)
    assert len(found) == 1
    assert "[source] sha256" in found[0] and "changed" in found[0]
    assert found[0].startswith(str(review))


def test_offsets_outside_the_letter(review: Path) -> None:
    size = len((review.parent / HARTLEPOOL).read_text(encoding="utf-8"))

    def push(data: dict[str, Any]) -> None:
        data["findings"][-1]["start"] = size + 10
        data["findings"][-1]["end"] = size + 50

    edit(review, push)
    found = problems_of(review)
    assert len(found) == 1
    assert "findings[13]" in found[0] and "outside the letter" in found[0]
    assert str(size) in found[0]


def test_end_just_past_the_letter(review: Path) -> None:
    size = len((review.parent / HARTLEPOOL).read_text(encoding="utf-8"))
    edit(review, lambda d: d["findings"][-1].update(end=size + 1))
    assert any("outside the letter" in p for p in problems_of(review))


def test_unknown_category(review: Path) -> None:
    def unknown(data: dict[str, Any]) -> None:
        data["findings"][2]["category"] = "excellent"
        data["findings"][3]["auto_category"] = "stale"

    edit(review, unknown)
    found = problems_of(review)
    assert len(found) == 2
    assert "findings[2]" in found[0] and "unknown category 'excellent'" in found[0]
    assert "findings[3]" in found[1] and "unknown auto_category 'stale'" in found[1]


def test_unknown_scheme(review: Path) -> None:
    edit(review, lambda d: d["review"].update(scheme="no_such_scheme"))
    found = problems_of(review)
    assert len(found) == 1 and "[review] scheme" in found[0]


def test_broken_toml(review: Path) -> None:
    review.write_text(review.read_text(encoding="utf-8") + "\n[findings\n", encoding="utf-8")
    found = problems_of(review)
    assert len(found) == 1
    assert "not valid TOML" in found[0] and "line" in found[0] and "column" in found[0]


def test_schema_problem(review: Path) -> None:
    edit(review, lambda d: d["findings"][0].update(start="0"))
    found = problems_of(review)
    assert len(found) == 1 and "findings[0]" in found[0] and "'start'" in found[0]


def test_missing_letter_file(review: Path) -> None:
    (review.parent / HARTLEPOOL).unlink()
    found = problems_of(review)
    assert len(found) == 1
    assert "[source] path" in found[0] and "no such file" in found[0]


def test_text_not_in_letter_and_overlap(review: Path) -> None:
    def spoil(data: dict[str, Any]) -> None:
        data["findings"][1]["text"] = "Words that this letter never says."
        data["findings"][4]["start"] = data["findings"][3]["start"] + 5

    edit(review, spoil)
    found = problems_of(review)
    assert any("findings[1]" in p and "does not hold" in p for p in found)
    assert any("findings[4]" in p and "overlaps" in p for p in found)


def test_orphans_are_not_checked_against_the_letter(review: Path) -> None:
    edit(review, lambda d: d["findings"][0].update(anchor="orphan", start=0, end=0))
    assert problems_of(review) == []


def test_problem_with_newline_in_value_is_one_line(
    review: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edit(review, lambda d: d["findings"][0].update(category="bad\ncategory"))
    code, lines, _err = run(capsys, review)
    assert code == 1
    assert len(lines) == len(problems_of(review)) == 1


# -- the command line --------------------------------------------------------------------


def test_cli_sound_review(review: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, lines, err = run(capsys, review)
    assert code == 0
    assert lines == []
    assert f"{review}: ok" in err


def test_cli_changed_letter(review: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (review.parent / HARTLEPOOL).write_text("A different letter.\n", encoding="utf-8")
    code, lines, _err = run(capsys, review)
    assert code == 1
    assert len(lines) >= 1 and "sha256" in lines[0]


def test_cli_each_problem_one_line(review: Path, capsys: pytest.CaptureFixture[str]) -> None:
    size = len((review.parent / HARTLEPOOL).read_text(encoding="utf-8"))

    def spoil(data: dict[str, Any]) -> None:
        data["findings"][0]["category"] = "excellent"
        data["findings"][5]["category"] = "unheard_of"
        data["findings"][-1]["end"] = size + 99

    edit(review, spoil)
    expected = problems_of(review)
    assert len(expected) == 3
    code, lines, _err = run(capsys, review)
    assert code == 1
    assert lines == expected
    assert all(line.startswith(f"{review}: ") for line in lines)


def test_cli_broken_toml(review: Path, capsys: pytest.CaptureFixture[str]) -> None:
    review.write_text('schema_version = 1\nsource = {path = "x"\n', encoding="utf-8")
    code, lines, _err = run(capsys, review)
    assert code == 1
    assert len(lines) == 1 and "not valid TOML" in lines[0]


def test_cli_missing_letter(review: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (review.parent / HARTLEPOOL).unlink()
    code, lines, _err = run(capsys, review)
    assert code == 1
    assert len(lines) == 1 and "[source] path" in lines[0]


def test_cli_missing_review_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, lines, err = run(capsys, tmp_path / "nothing.review.toml")
    assert code == 1
    assert lines == []
    assert "no such file" in err and len(err.strip().splitlines()) == 1


def test_cli_folder_of_reviews(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = make_review(tmp_path / "a")
    other = make_review(tmp_path / "b" / "deeper", MIDDLESBROUGH)
    bad = make_review(tmp_path / "c")
    edit(bad, lambda d: d["findings"][1].update(category="excellent"))
    (tmp_path / "c" / "notes.toml").write_text("not a review = [", encoding="utf-8")

    code, lines, err = run(capsys, tmp_path)
    assert code == 1
    assert len(lines) == 1
    assert lines[0].startswith(f"{bad}: ") and "excellent" in lines[0]
    assert f"{good}: ok" in err and f"{other}: ok" in err

    code, lines, err = run(capsys, tmp_path / "a", tmp_path / "b")
    assert code == 0 and lines == []


def test_cli_folder_without_reviews(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "empty").mkdir()
    code, lines, err = run(capsys, tmp_path / "empty")
    assert code == 1
    assert lines == []
    assert "no review files" in err


def test_cli_backups_and_journals_are_not_reviews(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    letter = tmp_path / HARTLEPOOL
    letter.write_bytes((SAMPLES / HARTLEPOOL).read_bytes())
    s = ReviewSession.open(letter)
    s.save()
    s.set_note(0, "second save")
    s.save()
    s.set_note(0, "unsaved")
    s.autosave()
    try:
        code, lines, err = run(capsys, tmp_path)
    finally:
        s.close()
    assert code == 0 and lines == []
    assert err.count(": ok") == 1


def test_cli_segment_then_validate(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    letters = sorted(SAMPLES.glob("*.txt"))
    assert main(["segment", *map(str, letters), "--out-dir", str(tmp_path)]) == 0
    capsys.readouterr()
    code, lines, err = run(capsys, tmp_path)
    assert code == 0, lines
    assert err.count(": ok") == len(letters)


def test_reworded_finding_is_sound_but_a_wrong_span_is_not(tmp_path: Path, capsys) -> None:
    import shutil

    from reviewer.review.session import ReviewSession

    letter = tmp_path / HARTLEPOOL
    shutil.copy(SAMPLES / HARTLEPOOL, letter)
    s = ReviewSession.open(letter)
    s.edit_text(0, s.findings[0].text.replace("promptly", "quickly"))
    s.save()
    s.close()
    review = annotation.review_path_for(letter)
    assert problems_of(review) == []
    text = review.read_text(encoding="utf-8")
    data = tomllib.loads(text)
    f1 = data["findings"][1]
    text = text.replace(f"start = {f1['start']}\n", "start = 10\n", 1)
    text = text.replace(f"end = {f1['end']}\n", "end = 200\n", 1)
    review.write_text(text, encoding="utf-8")
    assert any("does not hold" in p for p in problems_of(review))


def test_a_rewritten_finding_is_checked_against_the_letter_words_it_records(
    tmp_path: Path,
) -> None:
    import shutil

    from reviewer.corpus.validate import problems_of
    from reviewer.review.session import ReviewSession
    from tests.conftest import SAMPLES

    letter = tmp_path / "hartlepool_2011-03_ucra.txt"
    shutil.copyfile(SAMPLES / letter.name, letter)
    s = ReviewSession.open(letter)
    s.edit_text(4, "Entirely my own words, nothing like the letter's.")
    assert s.findings[4].letter_text
    s.save()
    s.close()
    assert problems_of(s.review_path) == []


# -- the council against the register --------------------------------------------------------


def test_a_review_of_no_known_council_is_a_warning_not_a_failure(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    review = make_review(tmp_path, "constructed_caps_headings.txt")
    code, lines, err = run(capsys, review)
    assert code == 0 and f"{review}: ok" in err
    assert len(lines) == 1
    assert lines[0].startswith(f"{review}: warning: [letter] authority:")
    assert "Wexcombe County Council" in lines[0] and "no council in the register" in lines[0]


def test_a_la_code_that_disagrees_with_the_register_is_a_warning(
    review: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, lines, _err = run(capsys, review)
    assert (code, lines) == (0, [])  # Hartlepool, 805: as the register has it
    edit(review, lambda d: d["letter"].update(la_code="806"))
    code, lines, err = run(capsys, review)
    assert code == 0 and f"{review}: ok" in err
    assert lines == [
        f'{review}: warning: [letter] la_code: "806" disagrees with the register, which '
        'gives Hartlepool the code "805"'
    ]
    edit(review, lambda d: d["letter"].update(la_code="999"))
    code, lines, _err = run(capsys, review)
    assert code == 0 and len(lines) == 2 and "no council's LA code" in lines[0]


def test_warnings_do_not_hide_problems(review: Path, capsys: pytest.CaptureFixture[str]) -> None:
    def spoil(data: dict[str, Any]) -> None:
        data["findings"][0]["category"] = "excellent"
        data["letter"]["la_code"] = "806"

    edit(review, spoil)
    code, lines, _err = run(capsys, review)
    assert code == 1
    assert len(lines) == 2 and "excellent" in lines[0] and "warning" in lines[1]
