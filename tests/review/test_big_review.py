"""A very large review (50,000 findings, 45 MB) reads, checks and opens in linear time: the
findings are read and formatted line by line in the form this program writes, and the
result is exactly what the TOML parser and writer give. (Seconds: bench/big_review.py.)"""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

import pytest
import tomli_w
from hypothesis import given, settings
from hypothesis import strategies as st

from reviewer.model import Finding
from reviewer.review import annotation
from reviewer.review.findings_toml import parse_review_toml, table_toml
from reviewer.tomlfile import TomlFileError, parse_toml
from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "bench"))
from big_review import build  # noqa: E402

TEXT = st.text(st.characters(blacklist_categories=["Cs"]), max_size=40)
SCALAR = st.one_of(
    TEXT,
    st.integers(-(10**20), 10**20),
    st.floats(allow_nan=False),
    st.booleans(),
)


@st.composite
def findings(draw) -> list[Finding]:
    out = []
    for i in range(draw(st.integers(1, 4))):
        extra = draw(st.dictionaries(st.from_regex(r"x[a-z_-]{0,5}", fullmatch=True), SCALAR))
        out.append(
            Finding(
                id=f"f{i}",
                category="strength",
                section=draw(TEXT),
                text=draw(TEXT),
                start=i * 10,
                end=i * 10 + draw(st.integers(0, 9)),
                confidence=draw(st.floats(0, 1)),
                note=draw(TEXT),
                letter_text=draw(TEXT),
                themes=tuple(draw(st.lists(TEXT, max_size=3))),
                extra=extra,
            )
        )
    return out


@settings(max_examples=150, deadline=None)
@given(
    found=findings(), extra=st.dictionaries(st.from_regex("x[a-z]{1,4}", fullmatch=True), SCALAR)
)
def test_reading_by_lines_gives_what_the_toml_parser_gives(found, extra) -> None:
    review = annotation.Review("l.txt", "0" * 64, "utf-8", "ofsted_ucra", {}, found)
    for f in found:
        f.extra.update(extra)
    text = annotation.dumps(review)
    assert parse_review_toml(text, "r") == tomllib.loads(text)


@settings(max_examples=300, deadline=None)
@given(
    table=st.dictionaries(
        st.from_regex(r"[A-Za-z0-9_-]{1,8}", fullmatch=True),
        st.one_of(SCALAR, st.lists(SCALAR, max_size=3)),
    )
)
def test_formatting_by_lines_gives_what_tomli_w_gives(table) -> None:
    assert table_toml(table) == tomli_w.dumps(table)


HEAD = (
    'schema_version = 1\n\n[source]\npath = "l.txt"\nsha256 = "0"\nencoding = "utf-8"\n\n'
    '[review]\nstatus = "auto"\nscheme = "ofsted_ucra"\n'
)
ONE = 'id = "f1"\ncategory = "strength"\ntext = "Good."\nstart = 0\nend = 5\nstatus = "auto"\n'


@pytest.mark.parametrize(
    "body",
    [
        ONE + "# a comment a person added\n",  # a comment
        ONE + 'note = """two\n\n[[findings]]\nlines"""\n',  # the header inside a string
        ONE.replace("\n", "\r\n"),  # Windows line ends
        ONE + "\n[findings.extra]\nx = 1\n",  # a table inside the finding
        ONE + "when = 2024-01-02\n",  # a date
        ONE + 'themes = ["a", "b"]\n',  # an array on one line
        ONE + "x = inf\n",
    ],
)
def test_any_other_form_is_read_by_the_toml_parser(body: str) -> None:
    text = HEAD + "\n[[findings]]\n" + body
    assert parse_review_toml(text, "r") == tomllib.loads(text)


@pytest.mark.parametrize(
    "body",
    [
        ONE + 'id = "f2"\n',  # a repeated key
        ONE + 'note = "\\uD800"\n',  # not a Unicode scalar value
        ONE + 'note = "\\q"\n',  # no such escape
        ONE + 'note = "open\n',  # a string never closed
    ],
)
def test_a_broken_file_gets_the_toml_parsers_message(body: str) -> None:
    text = HEAD + "\n[[findings]]\n" + body
    with pytest.raises(TomlFileError) as ours:
        parse_review_toml(text, "r.review.toml")
    with pytest.raises(TomlFileError) as theirs:
        parse_toml(text, "r.review.toml")
    assert str(ours.value) == str(theirs.value)


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return build(tmp_path_factory.mktemp("big"), 2000)


def test_the_toml_parser_reads_only_the_head_of_a_big_review(big, monkeypatch) -> None:
    read: list[int] = []
    real = tomllib.loads

    def counting(text: str, **kw):
        read.append(len(text))
        return real(text, **kw)

    monkeypatch.setattr(tomllib, "loads", counting)
    _, path = big
    review = annotation.load(path)
    assert len(review.findings) == 2000
    assert sum(read) < 1000 < path.stat().st_size / 100  # the head: not 2,000 findings


def test_validate_reads_a_review_once(big, monkeypatch, capsys) -> None:
    from reviewer.cli import main

    loads: list[str] = []
    real = annotation.loads

    def counting(text: str, source: str = "", categories=None):
        loads.append(source)
        return real(text, source, categories)

    monkeypatch.setattr(annotation, "loads", counting)
    _, path = big
    assert main(["validate", str(path)]) == 0
    assert loads == [str(path)]


def test_opening_formats_findings_without_tomli_w(big, monkeypatch) -> None:
    from reviewer.review.session import ReviewSession

    calls: list[int] = []
    real = tomli_w.dumps

    def counting(obj, **kw):
        calls.append(1)
        return real(obj, **kw)

    monkeypatch.setattr(tomli_w, "dumps", counting)  # the writers import it when they write
    letter, path = big
    session = ReviewSession.open(letter, path)
    try:
        assert not session.read_only
        assert len(calls) < 10  # the file's head, not one call per finding
    finally:
        session.close()
