"""The segmenter's fast paths give what the plain code they stand for gives."""

from __future__ import annotations

import re

from hypothesis import example, given, settings
from hypothesis import strategies as st

from reviewer.segment.lines import Line, split_lines

_BREAK = re.compile(r"\r\n|\r|\n|\f")


def plain_split_lines(text: str) -> list[Line]:
    """Lines as a regex finds every break: the plain version `split_lines` stands for."""
    lines: list[Line] = []
    pos, form_feed = 0, False
    for m in _BREAK.finditer(text):
        body = text[pos : m.start()]
        lines.append(Line(pos, m.start(), body, body.strip(), form_feed))
        pos, form_feed = m.end(), m.group() == "\f"
    if pos < len(text):
        body = text[pos:]
        lines.append(Line(pos, len(text), body, body.strip(), form_feed))
    return lines


_TEXT = st.lists(st.sampled_from([*"ab \t\n\n\n\f\f\x0b\u2028", "\r", "\r\n"])).map("".join)


@settings(max_examples=500, deadline=None)
@given(_TEXT)
@example("")
@example("\f")
@example("a\fb\n\fc\f")
@example("\f\f\n")
@example(" a \r\n b\rc\f")
def test_lines_are_those_a_regex_split_finds(text: str) -> None:
    assert split_lines(text) == plain_split_lines(text)
