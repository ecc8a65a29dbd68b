"""The metadata reader's searches: of flattened text, a pattern anchored at a line's start
is tried at the text's start alone; of lines joined with "\\n", at each line's start alone;
of one line, at its start alone: the same answers as a search of the whole text. The
flattened words are those `str.split` gives."""

from __future__ import annotations

import re

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from reviewer.segment.engine import (
    _OTHER_SPACES,
    _after_line_break,
    _anchored,
    _line_search,
    _search_flat,
    _search_lines,
    _words,
)
from reviewer.segment.scheme import bundled

PATTERNS = [
    r"^abc",
    r"(?i)^[ \t]*lead[ \t]+inspector[ \t]*:?[ \t]+(?P<v>\S[^\n]*?)[ \t]*$",
    r"\Aabc",
    r"(?:^abc)",
    r"^abc|bc",
    r"(^abc)",
    r"a^bc",
    r"bc",
    r"(?:^a|b)c",
    r"^$",
    r"(?=abc)^a",
]
TEXTS = ["", "abc", "xabc", "abc abc", "Lead inspector: Ann Smith", "x Lead inspector: A B", "bc"]


@pytest.mark.parametrize("pattern", PATTERNS)
def test_flat_search_is_a_search(pattern: str) -> None:
    compiled = re.compile(pattern, re.MULTILINE)
    for text in TEXTS:
        want = compiled.search(text)
        got = _search_flat(compiled, text)
        assert (got and got.span()) == (want and want.span()), (pattern, text)


def test_only_patterns_that_open_with_a_line_start_are_anchored() -> None:
    assert _anchored(re.compile(r"^abc", re.M))
    assert _anchored(re.compile(r"\Aabc"))
    assert not _anchored(re.compile(r"^abc|bc", re.M))
    assert not _anchored(re.compile(r"(^abc)", re.M))
    assert not _anchored(re.compile(r"bc"))


def test_every_bundled_metadata_pattern_searches_flat_text_alike() -> None:
    flats = ["Lead inspector: Ann Smith, HMI", "Reporting inspector Bo Li HMI x", "x", ""]
    for scheme in bundled():
        for field in scheme.segment.metadata if scheme.segment else ():
            assert field.pattern is not None
            for flat in flats:
                want = field.pattern.search(flat)
                got = _search_flat(field.pattern, flat)
                assert (got and got.span()) == (want and want.span())


# -- lines joined with "\n": an anchored pattern tried at each line's start alone ----------

_LINE_TEXTS = st.text(st.sampled_from(list("abc x\n\n\t") + ["\r", "\f", "\u2028"]), max_size=30)


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(
        PATTERNS + [r"(?<=\n)abc", r"(?<=c\n)^a", r"^\s*c$", r"^(?!a)", r"^(?<!\n)", r"(?i)^(A)\1"]
    ),
    _LINE_TEXTS,
)
@example(r"^abc", "x\nabc")
@example(r"^$", "a\n\nb")
@example(r"^$", "a\n")
def test_a_search_of_joined_lines_is_a_search(pattern: str, text: str) -> None:
    for flags in (re.MULTILINE, 0):
        compiled = re.compile(pattern, flags)
        want = compiled.search(text)
        got = _search_lines(compiled, text)
        assert (got and got.span()) == (want and want.span()), (pattern, flags, text)


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(PATTERNS), st.text(st.sampled_from(list("abc x\t\r\f")), max_size=12))
def test_a_search_of_one_line_is_a_search(pattern: str, line: str) -> None:
    compiled = re.compile(pattern, re.MULTILINE)
    want = compiled.search(line)
    got = _line_search(compiled)(line)
    assert (got and got.span()) == (want and want.span())


def test_the_bundled_patterns_anchored_at_a_line_start_look_for_line_breaks() -> None:
    texts = [
        "x\nLead inspector: Ann Smith, HMI",
        "x\n\n1 May 2024\nDear Ms Smith",
        "x\nYours sincerely\nBo Li",
        "x\nInspection outcome\nGood",
        "x\nJoint targeted area inspection of Leeds",
        "Ofsted\nAnn Smith HMI, Ofsted",
    ]
    found_later = 0
    for scheme in bundled():
        for field in scheme.segment.metadata if scheme.segment else ():
            pattern = field.pattern
            if pattern is None or not _anchored(pattern) or not pattern.flags & re.MULTILINE:
                continue
            after_break = _after_line_break(pattern)
            assert after_break is not None, pattern.pattern  # the fast way is taken
            for text in texts:
                want = pattern.search(text)
                if want is not None and want.start() > 0:
                    found = after_break.search(text)
                    assert found is not None and found.start() + 1 == want.start()
                    found_later += 1
    assert found_later >= 5


def test_every_bundled_metadata_pattern_searches_joined_lines_alike() -> None:
    texts = [
        "Inspection of Leeds children's services\nInspection dates: 1 May 2024",
        "x\nLead inspector: Ann Smith, HMI\nReporting inspector Bo Li\nHMI",
        "Joint targeted area inspection of\nthe multi-agency response in Leeds\nx",
        "1 May 2024\nMs A Smith\nDirector\n\nDear Ms Smith\nYours sincerely\nBo Li\nHMI",
        "",
    ]
    for scheme in bundled():
        for field in scheme.segment.metadata if scheme.segment else ():
            for pattern in (field.pattern, field.until):
                if pattern is None:
                    continue
                for text in texts:
                    want = pattern.search(text)
                    got = _search_lines(pattern, text)
                    assert (got and got.span()) == (want and want.span()), pattern.pattern
                    for line in text.split("\n"):
                        want = pattern.search(line)
                        got = _line_search(pattern)(line)
                        assert (got and got.span()) == (want and want.span())


# -- the flattened words of the lines -------------------------------------------------------


def test_the_other_spaces_are_every_space_character_but_the_space() -> None:
    every = [c for c in map(chr, range(0x110000)) if c.isspace() and c != " "]
    assert list(_OTHER_SPACES) == every


_WORD_CHARS = st.sampled_from(list("ab  .\t") + [" ", "\xa0", "\u2028", "\u3000", "\x1c", "\x85"])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(_WORD_CHARS, max_size=8).map(str.strip), max_size=6))
def test_the_words_of_stripped_lines_are_those_split_and_joined(lines: list[str]) -> None:
    assert _words(filter(None, lines)) == " ".join("\n".join(filter(None, lines)).split())
