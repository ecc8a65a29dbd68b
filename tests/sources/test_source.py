"""Reading letters: decoding, offsets into the decoded text, and bad input."""

from __future__ import annotations

from pathlib import Path

import pytest

from reviewer.sanitize import sanitize
from reviewer.sources.letter import InputError
from reviewer.sources.read import read_letter
from reviewer.sources.text import decode


def test_utf8_bom_is_dropped_and_not_counted(tmp_path):
    p = tmp_path / "a.txt"
    p.write_bytes(b"\xef\xbb\xbfDear Ms A\n")
    letter = read_letter(p)
    assert letter.text == "Dear Ms A\n"
    assert letter.encoding == "utf-8-sig"


def test_windows_1252_and_crlf_kept(tmp_path):
    p = tmp_path / "a.txt"
    p.write_bytes("The council\u2019s team \u2013 Zo\u00eb\r\nnext\r\n".encode("cp1252"))
    letter = read_letter(p)
    assert letter.encoding == "cp1252"
    assert letter.text == "The council\u2019s team \u2013 Zo\u00eb\r\nnext\r\n"


def test_undefined_cp1252_bytes_keep_one_character_each():
    text, enc = decode(b"a\x81b\xff")
    assert enc == "cp1252"
    assert len(text) == 4


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: None, "no such file"),
        (lambda p: p.mkdir(), "is a folder"),
        (lambda p: p.write_bytes(b""), "empty"),
        (lambda p: p.write_bytes(b"  \n\n"), "empty"),
        (lambda p: p.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 20), "binary"),
    ],
)
def test_bad_input_is_one_line(tmp_path, make, message):
    p = tmp_path / "letter.txt"
    make(p)
    with pytest.raises(InputError) as err:
        read_letter(p)
    assert message in str(err.value)
    assert "\n" not in str(err.value)


def test_over_20_mb(tmp_path):
    p = tmp_path / "huge.txt"
    with p.open("wb") as fh:
        fh.truncate(21 * 1024 * 1024)
        fh.seek(0)
        fh.write(b"text")
    with pytest.raises(InputError, match="20 MB"):
        read_letter(p)


def test_sanitize_is_one_for_one():
    text = "a\x1b]0;title\x07b\x9b2Jc\x00d\r\n\te\u202ef"
    clean = sanitize(text)
    assert len(clean) == len(text)
    assert "\x1b" not in clean and "\x9b" not in clean and "\x00" not in clean
    assert "\u202e" not in clean
    assert clean.endswith("\r\n\te\ufffdf")


def test_a_stray_nul_or_escape_is_text_not_binary(tmp_path):
    p = tmp_path / "evil.txt"
    body = b"The inspection sampled the quality of contact and referral arrangements.\n" * 20
    p.write_bytes(b"Dear Ms X\n- A finding with \x1b]0;t\x07 and NUL \x00 here.\n" + body)
    letter = read_letter(p)
    assert "\x00" in letter.text
    assert len(sanitize(letter.text)) == len(letter.text)
    assert "\x00" not in sanitize(letter.text)


# -- odd encodings and files that only claim to be PDFs ------------------------------------


def test_utf16_letter_is_decoded(tmp_path: Path) -> None:
    from reviewer.sources.read import read_letter

    text = "Dear Ms Smith\r\n\r\nStrengths\r\n- Referrals are handled promptly.\r\n"
    for encoding, data in (
        ("utf-16", text.encode("utf-16")),  # with a byte-order mark, as Notepad saves it
        ("utf-16-le", text.encode("utf-16-le")),
        ("utf-16-be", text.encode("utf-16-be")),
    ):
        p = tmp_path / f"{encoding}.txt"
        p.write_bytes(data)
        letter = read_letter(p)
        assert (letter.text, letter.encoding) == (text, encoding)


def test_html_saved_as_pdf_says_what_it_is(tmp_path: Path) -> None:
    from reviewer.sources.letter import InputError
    from reviewer.sources.read import read_letter

    p = tmp_path / "report.pdf"
    p.write_text("\n<!DOCTYPE html>\n<html><head><title>Ofsted</title></head></html>\n")
    with pytest.raises(InputError) as err:
        read_letter(p)
    message = str(err.value)
    assert "not a PDF" in message and "HTML page" in message and "\n" not in message
    p.write_bytes(b"PK\x03\x04rest")
    with pytest.raises(InputError, match="not a PDF but a ZIP archive"):
        read_letter(p)
