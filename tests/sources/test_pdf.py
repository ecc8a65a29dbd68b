"""PDF input end to end: a PDF made here is extracted, segmented and saved with its text."""

from __future__ import annotations

import tomllib

import pytest

from reviewer.cli import main
from reviewer.sources.letter import InputError
from reviewer.sources.pdf import extract_text
from reviewer.sources.read import read_letter
from tests.pdf_maker import make_pdf

LETTER = [
    [
        "16 March 2011",
        "Ms Jane Smith",
        "Director of Children's Services",
        "Eastwick Borough Council",
        "Dear Ms Smith",
        "Annual unannounced inspection of contact, referral and assessment arrangements within",
        "Eastwick Borough Council children's services",
        "The inspection was conducted on 15 and 16 February 2011.",
        "Strengths",
        "- Referrals are dealt with promptly by a well-staffed duty team.",
        "- Managers provide regular and reflective supervision.",
    ],
    [
        "Areas for development",
        "- The common assessment framework is not yet used well by schools.",
        "Yours sincerely",
        "Ann Other",
        "Her Majesty's Inspector",
    ],
]


def test_pdf_is_extracted_and_segmented(tmp_path):
    pdf = tmp_path / "eastwick.pdf"
    pdf.write_bytes(make_pdf(LETTER))
    letter = read_letter(pdf)
    assert letter.encoding == "pdf"
    assert "\f" in letter.text  # page break kept for the segmenter
    out = tmp_path / "out"
    assert main(["segment", str(pdf), "--out-dir", str(out)]) == 0
    review = tomllib.loads((out / "eastwick.review.toml").read_text(encoding="utf-8"))
    cats = [f["category"] for f in review["findings"]]
    assert cats == ["strength", "strength", "development"]
    assert review["letter"]["authority"] == "Eastwick Borough Council"
    assert review["source"]["text_path"] == "eastwick.extracted.txt"
    text = (out / "eastwick.extracted.txt").read_text(encoding="utf-8")
    for f in review["findings"]:
        assert f["text"] in " ".join(text[f["start"] : f["end"]].split())


def test_pdf_segment_to_stdout_writes_no_file(tmp_path, capsys):
    pdf = tmp_path / "eastwick.pdf"
    pdf.write_bytes(make_pdf(LETTER))
    assert main(["segment", str(pdf)]) == 0
    assert len(tomllib.loads(capsys.readouterr().out)["findings"]) == 3
    assert sorted(p.name for p in tmp_path.iterdir()) == ["eastwick.pdf"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (make_pdf([["x"]], encrypt_marker=True), "encrypted"),
        (make_pdf([[]]), "no text layer"),
        (b"%PDF-1.4\nnot really a pdf", "not a readable PDF"),
    ],
)
def test_unusable_pdfs_are_one_line_errors(tmp_path, data, message):
    with pytest.raises(InputError, match=message) as err:
        extract_text(data, "x.pdf")
    assert "\n" not in str(err.value)
    p = tmp_path / "bad.pdf"
    p.write_bytes(data)
    with pytest.raises(InputError, match=message):
        read_letter(p)


def test_pdf_review_keeps_its_extracted_text(tmp_path):
    from reviewer.review.session import ReviewSession

    pdf = tmp_path / "eastwick.pdf"
    pdf.write_bytes(make_pdf(LETTER))
    s = ReviewSession.open(pdf)
    assert len(s.findings) == 3
    s.set_category(0, "development")
    s.save()
    s.close()
    saved = tmp_path / "eastwick.extracted.txt"
    assert saved.read_text(encoding="utf-8") == s.text
    again = ReviewSession.open(pdf)
    assert again.text == s.text
    assert again.findings[0].category == "development"
    assert not again.report.letter_changed
    again.close()


def test_report_paragraph_promoted_to_finding(tmp_path):
    from reviewer.review.session import ReviewSession
    from tests.segment.test_report import SIF

    p = tmp_path / "sif.txt"
    p.write_text(SIF, encoding="utf-8")
    s = ReviewSession.open(p)
    assert s.scheme.id == "ofsted_ilacs"
    offset = s.text.index("Services for children in Northdale have improved")
    n = len(s.findings)
    i = s.promote(offset + 5, "strength")
    assert len(s.findings) == n + 1
    f = s.findings[i]
    assert f.category == "strength" and f.status == "added"
    assert f.text.startswith("Services for children in Northdale")
    s.undo()
    assert len(s.findings) == n
    s.close()


def test_validate_pdf_review_against_its_saved_text(tmp_path, capsys):
    pdf = tmp_path / "eastwick.pdf"
    pdf.write_bytes(make_pdf(LETTER))
    out = tmp_path / "out"
    assert main(["segment", str(pdf), "--out-dir", str(out)]) == 0
    review = out / "eastwick.review.toml"
    assert main(["validate", str(review)]) == 0
    text = out / "eastwick.extracted.txt"
    text.write_text("Something else entirely.\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["validate", str(review)]) == 1
    assert "text_sha256" in capsys.readouterr().out
    text.unlink()
    assert main(["validate", str(review)]) == 1
    assert "missing" in capsys.readouterr().out
