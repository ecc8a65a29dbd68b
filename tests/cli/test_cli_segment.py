"""`reviewer segment`: annotation TOML on stdout, review files in a folder, one-line errors."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib

import pytest

from reviewer.cli import main
from tests.conftest import SAMPLES

REAL = SAMPLES / "hartlepool_2011-03_ucra.txt"


def test_segment_prints_annotation_toml(capsys):
    assert main(["segment", str(REAL)]) == 0
    out = capsys.readouterr().out
    data = tomllib.loads(out)
    assert data["schema_version"] == 1
    assert data["source"]["path"] == REAL.name
    assert len(data["source"]["sha256"]) == 64
    assert data["review"]["scheme"] == "ofsted_ucra"
    assert data["letter"]["authority"] == "Hartlepool Borough Council"
    assert len(data["findings"]) == 14
    first = data["findings"][0]
    assert set(first) >= {
        "id", "category", "auto_category", "section", "text", "start", "end", "confidence",
        "status", "note",
    }  # fmt: skip
    assert first["status"] == "auto"
    assert first["category"] == first["auto_category"] == "strength"


def test_segment_output_is_deterministic_apart_from_timestamps(capsys):
    main(["segment", str(REAL)])
    a = capsys.readouterr().out
    main(["segment", str(REAL)])
    b = capsys.readouterr().out

    def strip(s):
        return [ln for ln in s.splitlines() if not ln.startswith(("created", "updated"))]

    assert strip(a) == strip(b)


def test_out_dir_writes_review_files_and_reports_failures(tmp_path, capsys):
    letters = []
    for i in range(10):
        dst = tmp_path / "in" / f"letter{i}.txt"
        dst.parent.mkdir(exist_ok=True)
        shutil.copy(REAL, dst)
        letters.append(str(dst))
    (tmp_path / "in" / "empty.txt").write_bytes(b"")
    args = ["segment", *letters, str(tmp_path / "in" / "empty.txt"), str(tmp_path / "missing.txt")]
    out = tmp_path / "out"
    status = main([*args, "--out-dir", str(out), "--jobs", "2"])
    err = capsys.readouterr().err
    assert status == 2
    assert sorted(p.name for p in out.iterdir()) == sorted(
        f"letter{i}.review.toml" for i in range(10)
    )
    assert "empty.txt: the file is empty" in err
    assert "missing.txt: no such file" in err
    assert "segmented 10 of 12 letters" in err
    data = tomllib.loads((out / "letter3.review.toml").read_text(encoding="utf-8"))
    assert len(data["findings"]) == 14


def test_bad_inputs_exit_2_with_one_line_and_others_still_written(tmp_path, capsys):
    folder = tmp_path / "dir"
    folder.mkdir()
    binary = tmp_path / "b.txt"
    binary.write_bytes(b"\x00\x01\x02" * 100)
    for bad, message in ((folder, "no letters or reports (*.txt, *.pdf)"), (binary, "binary")):
        assert main(["segment", str(bad)]) == 2
        cap = capsys.readouterr()
        assert message in cap.err and len(cap.err.strip().splitlines()) == 1
        assert cap.out == ""
    assert main(["segment", str(binary)]) == 2
    assert "give a .txt or .pdf file" in capsys.readouterr().err
    out = tmp_path / "out"
    assert main(["segment", str(binary), str(REAL), "--out-dir", str(out)]) == 2
    assert [p.name for p in out.iterdir()] == [REAL.stem + ".review.toml"]


def test_segment_reads_a_folder_as_open_does(tmp_path, capsys):
    folder = tmp_path / "letters"
    (folder / "deeper").mkdir(parents=True)
    shutil.copy(REAL, folder / "a.txt")
    shutil.copy(REAL, folder / "deeper" / "b.txt")
    (folder / "notes.md").write_text("not a letter", encoding="utf-8")
    out = tmp_path / "out"
    assert main(["segment", str(folder), "--out-dir", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["a.review.toml", "b.review.toml"]
    assert "segmented 2 of 2 letters" in capsys.readouterr().err


def test_segment_help_says_it_reads_pdfs(capsys):
    with pytest.raises(SystemExit):
        main(["segment", "--help"])
    assert ".pdf" in capsys.readouterr().out


def test_bad_scheme_is_one_line(tmp_path, capsys):
    bad = tmp_path / "s.toml"
    bad.write_text("id = 'x'", encoding="utf-8")
    assert main(["segment", str(REAL), "--scheme", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "s.toml" in err and len(err.strip().splitlines()) == 1


def test_console_script_runs_without_traceback(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "reviewer", "segment", str(tmp_path / "nope.txt")],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert proc.stderr.strip() == f"reviewer: {tmp_path / 'nope.txt'}: no such file; check the path"


def test_out_dir_never_replaces_a_persons_review(tmp_path, capsys):
    from reviewer.review.session import ReviewSession

    letter = tmp_path / "h.txt"
    shutil.copy(REAL, letter)
    s = ReviewSession.open(letter)
    s.set_category(0, "development")
    s.save()
    review = tmp_path / "h.review.toml"
    before = review.read_text(encoding="utf-8")
    # open in the reviewer (locked) and reviewed: kept
    assert main(["segment", str(letter), "--out-dir", str(tmp_path)]) == 2
    assert "is open in the reviewer; not replaced" in capsys.readouterr().err
    s.close()
    # closed but reviewed by a person: still kept
    assert main(["segment", str(letter), "--out-dir", str(tmp_path)]) == 2
    assert "holds a person's review (status in_progress)" in capsys.readouterr().err
    assert review.read_text(encoding="utf-8") == before
    # --force replaces it, keeping the person's file as .bak
    assert main(["segment", str(letter), "--out-dir", str(tmp_path), "--force"]) == 0
    assert tomllib.loads(review.read_text(encoding="utf-8"))["review"]["status"] == "auto"
    assert (tmp_path / "h.review.toml.bak").read_text(encoding="utf-8") == before
    # a machine-made review is simply refreshed
    assert main(["segment", str(letter), "--out-dir", str(tmp_path)]) == 0


def test_several_letters_to_stdout_need_out_dir(capsys):
    assert main(["segment", str(REAL), str(REAL)]) == 2
    assert "--out-dir" in capsys.readouterr().err
