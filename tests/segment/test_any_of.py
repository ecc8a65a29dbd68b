"""A scheme's list of patterns tried as one gives the answers of trying each in turn."""

from __future__ import annotations

import re

import pytest

from reviewer.segment.spec import AnyOf

LINES = [
    "what needs to improve",
    "What needs to improve",
    "section 2: the effectiveness of the lscb",
    "abab",
    "ab",
    "",
    "the local safeguarding children board (lscb)",
]
CASES = [
    ("what needs to improve", "section \\d+: .*"),  # one alternation
    ("(?i)what needs", "ab"),  # the flags differ: tried one by one
    ("(a)b\\1?", "(?P<x>ab)(?P=x)"),  # back-references: tried one by one
    ("(?P<v>ab)", "(?P<v>lscb)"),  # a group name twice: tried one by one
    ("(?i)what", "(?i)ab"),  # global flags inside a group: tried one by one
]


@pytest.mark.parametrize("patterns", CASES)
@pytest.mark.parametrize("how", ["search", "match", "fullmatch"])
def test_patterns_as_one_answer_as_each_in_turn(patterns, how):
    compiled = tuple(re.compile(p) for p in patterns)
    one = AnyOf(compiled)
    for line in LINES:
        each = any(getattr(p, how)(line) for p in compiled)
        assert getattr(one, how)(line) == each, (patterns, how, line)


def test_no_patterns_match_nothing():
    none = AnyOf(())
    assert not none and not none.search("x") and not none.fullmatch("")
