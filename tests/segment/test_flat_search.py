"""The metadata reader's search of flattened text: a pattern anchored at a line's start
is tried at the text's start alone, with the same answer as a search of the whole text."""

from __future__ import annotations

import re

import pytest

from reviewer.segment.engine import _anchored, _search_flat
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
