"""The PDF extractor: PDFium first, pypdf where PDFium refuses; recorded in the review; a
re-extraction that moves the text is re-anchored like a changed letter, nothing lost."""

from __future__ import annotations

import pathlib
import tomllib

import pytest

from reviewer.cli import main
from reviewer.review import annotation
from reviewer.review.session import ReviewSession
from reviewer.sources import pdf as pdf_source
from reviewer.sources.read import read_letter
from tests.pdf_maker import make_pdf
from tests.sources.test_pdf import LETTER


@pytest.fixture
def eastwick(tmp_path):
    path = tmp_path / "eastwick.pdf"
    path.write_bytes(make_pdf(LETTER))
    return path


def refuse(data: bytes, name: str) -> list[str]:
    raise pdf_source.Refused("as PDFium would refuse a damaged file")


def test_pdfium_extracts_and_says_so(eastwick):
    letter = read_letter(eastwick)
    assert letter.extractor.startswith("pypdfium2 ")
    assert "Referrals are dealt with promptly" in letter.text and "\f" in letter.text


def test_pypdf_reads_what_pdfium_refuses(eastwick, monkeypatch):
    monkeypatch.setattr(pdf_source, "pdfium_pages", refuse)
    letter = read_letter(eastwick)
    assert letter.extractor.startswith("pypdf ")
    assert "Referrals are dealt with promptly" in letter.text


def test_a_word_hyphenated_at_a_line_end_keeps_its_line_break(tmp_path):
    path = tmp_path / "hyphen.pdf"
    path.write_bytes(make_pdf([["Partners share information in multi-", "agency meetings."]]))
    text = read_letter(path).text
    assert "\x02" not in text
    assert "multi-\nagency" in text


def test_the_review_records_its_extractor(eastwick, tmp_path):
    out = tmp_path / "out"
    assert main(["segment", str(eastwick), "--out-dir", str(out)]) == 0
    review = tomllib.loads((out / "eastwick.review.toml").read_text(encoding="utf-8"))
    assert review["source"]["extractor"].startswith("pypdfium2 ")
    session = ReviewSession.open(eastwick)
    session.save()
    session.close()
    assert annotation.load(annotation.review_path_for(eastwick)).extractor.startswith("pypdfium2")


def test_a_review_made_with_another_extractor_is_reanchored_with_nothing_lost(
    eastwick, monkeypatch
):
    """A review whose offsets index pypdf's text, its saved text gone, opened with PDFium."""
    monkeypatch.setattr(pdf_source, "pdfium_pages", refuse)
    pypdf_text = read_letter(eastwick).text
    first = ReviewSession.open(eastwick)
    first.set_category(0, "development")
    first.set_note(1, "check with the team")
    first.save()
    first.close()
    (eastwick.parent / "eastwick.extracted.txt").unlink()
    monkeypatch.undo()
    # pypdf's text with trailing spaces on every line, as it writes them for many PDFs, so
    # the two extractions differ and every offset after the first line moves
    moved_text = pypdf_text.replace("\n", " \n")
    monkeypatch.setattr(pdf_source, "pdfium_pages", lambda data, name: moved_text.split("\f"))
    again = ReviewSession.open(eastwick)
    try:
        assert again.report.letter_changed and again.report.reextracted
        assert again.text == moved_text
        assert [f.category for f in again.findings] == ["development", "strength", "development"]
        assert again.findings[1].note == "check with the team"
        for f in again.findings:
            assert f.text in " ".join(again.text[f.start : f.end].split())
        again.save()
    finally:
        again.close()
    saved = annotation.load(annotation.review_path_for(eastwick))
    assert saved.extractor.startswith("pypdfium2")


def test_the_extractor_is_recorded_with_its_installed_version_without_loading_metadata(
    tmp_path,
):
    """A review names the extractor and its version as the installed package says it; the
    version is read from the package itself, not from importlib.metadata (slow to load at
    every batch's start)."""
    import json
    import os
    import subprocess
    import sys
    from importlib.metadata import version

    pdf = tmp_path / "letter.pdf"
    pdf.write_bytes(make_pdf(LETTER))
    script = (
        "import json, sys\n"
        "from pathlib import Path\n"
        "from reviewer.sources.read import read_letter\n"
        "letter = read_letter(Path(sys.argv[1]))\n"
        "print(json.dumps([letter.extractor, 'importlib.metadata' in sys.modules]))\n"
    )
    root = pathlib.Path(__file__).parents[2]
    out = subprocess.run(
        [sys.executable, "-c", script, str(pdf)],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(root)},
        timeout=120,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    extractor, metadata_loaded = json.loads(out.stdout.strip().splitlines()[-1])
    assert extractor == f"pypdfium2 {version('pypdfium2')}"
    assert not metadata_loaded


def _pages_both_ways(path: pathlib.Path) -> list[tuple[str, str]]:
    """Each page's text by `page_text` and by pypdfium2's own `get_text_bounded`."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(path))
    try:
        out = []
        for i in range(len(doc)):
            page = doc[i]
            textpage = page.get_textpage()
            out.append((pdf_source.page_text(page, textpage), textpage.get_text_bounded()))
            textpage.close()
            page.close()
        return out
    finally:
        doc.close()


def test_a_page_read_in_one_call_is_the_text_pdfium_bounds(eastwick, tmp_path):
    hyphen = tmp_path / "hyphen.pdf"
    hyphen.write_bytes(make_pdf([["Partners share information in multi-", "agency meetings."], []]))
    pages = _pages_both_ways(eastwick) + _pages_both_ways(hyphen)
    assert len(pages) >= 3 and any(ours for ours, _ in pages)
    assert all(ours == theirs for ours, theirs in pages)
    assert pages[-1] == ("", "")  # a page without text


def test_a_page_whose_text_would_not_fit_is_asked_for_again_whole(eastwick, monkeypatch):
    import pypdfium2.raw as pdfium_c

    monkeypatch.setattr(pdfium_c, "FPDFText_CountChars", lambda textpage: 5)
    pages = _pages_both_ways(eastwick)
    assert any(len(ours) > 5 for ours, _ in pages)
    assert all(ours == theirs for ours, theirs in pages)
