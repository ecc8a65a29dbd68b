"""The segmenter's fast paths give what the plain code they stand for gives."""

from __future__ import annotations

import re

from hypothesis import example, given, settings
from hypothesis import strategies as st

from reviewer.segment.lines import Line, WordBreaks, line_end_breaks, split_lines
from reviewer.segment.scheme import bundled
from reviewer.segment.spec import any_of, heading_key, opening_letters

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


class PlainWordBreaks:
    """`WordBreaks` as it was written first: every word of the document gathered at once."""

    def __init__(self, text: str) -> None:
        breaks = line_end_breaks(text)
        pieces, pos = [], 0
        for start, end, _, _ in breaks:
            pieces.append(text[pos:start])
            pos = end
        pieces.append(text[pos:])
        self.whole = " ".join(pieces).lower()
        self.words = set(re.findall(r"[^\W\d_][\w'’]*", self.whole))
        proven = {f"{h}{t}".lower() for _, _, h, t in breaks if self._proven(h, t)}
        self.breaks_words = len(proven) >= 2

    def _compound(self, head: str, tail: str) -> bool:
        return f"{head}-{tail}".lower() in self.whole

    def _proven(self, head: str, tail: str) -> bool:
        return (
            not self._compound(head, tail)
            and not self._is_word(head)
            and not self._is_word(tail)
            and f"{head}{tail}".lower() in self.words
        )

    def _is_word(self, word: str) -> bool:
        w = word.lower()
        stem = w[:-1] if w.endswith("y") else w
        return any(f in self.words for f in (w, f"{w}s", f"{w}es", f"{stem}ies", w[:-1]))

    def is_word_break(self, head: str, tail: str) -> bool:
        if self._compound(head, tail) or self._is_word(tail):
            return False
        return self.breaks_words


_PIECES = ["chil", "dren", "children", "ser", "vices", "services", "multi", "agency"]
_PIECES += ["agencies", "hot", "spots", "hotspots", "lead", "ers", "Chil", "12", "x"]
_DOCUMENT = st.lists(
    st.tuples(st.sampled_from(_PIECES), st.sampled_from([" ", "-\n", "-\n ", "- ", "-", "\n"])),
    max_size=14,
).map(lambda parts: "".join(w + sep for w, sep in parts))


@settings(max_examples=400, deadline=None)
@given(_DOCUMENT)
@example("chil-\ndren children ser-\nvices services hot-\nspots hotspots lead-\ners")
@example("chil-\ndren children ser-\nvices services multi-agency multi-\nagency")
@example("multi-\nagency multiagency hot-\nspots hotspots hot spots")
def test_word_breaks_answer_as_when_every_word_is_gathered_first(text: str) -> None:
    fast, plain = WordBreaks(text), PlainWordBreaks(text)
    assert fast.breaks_words == plain.breaks_words
    for head in _PIECES:
        for tail in _PIECES:
            assert fast.is_word_break(head, tail) == plain.is_word_break(head, tail)


# -- a region's start looked for only on lines opening as one of its starts can --------------

_STARTS = [
    r"the local safeguarding children board \(lscb\)",
    r"local safeguarding children board \(lscb\)",
    r"section 2: the effectiveness of the .*",
    r"Section 3",
    r"9 lives",
]
_LINE = st.lists(
    st.sampled_from(
        [*"tlsTLS9 .?:’'", "the local safeguarding children board (lscb)", "section 2: ", "Σ"]
        + ["the effectiveness of the x", "Section 3", "9 lives", "İ", "ſ", "K"]
    ),
    min_size=1,
    max_size=6,
).map(lambda parts: "".join(parts).strip())


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(_STARTS), min_size=1, max_size=3, unique=True), _LINE)
@example(_STARTS[:3], "The Local Safeguarding Children Board (LSCB)")
@example(_STARTS[:3], "SECTION 2: the effectiveness of the board?")
@example(["Section 3"], "Section 3")
def test_a_line_no_start_opens_as_is_never_a_start(starts: list[str], line: str) -> None:
    patterns = tuple(re.compile(p, re.IGNORECASE) for p in starts)
    firsts = opening_letters(patterns, after_spaces=False)
    assert firsts is not None
    if line and any(p.fullmatch(heading_key.__wrapped__(line)) for p in patterns):
        assert line[0].lower() in firsts or not line[0].isascii()


def test_starts_that_open_otherwise_than_with_a_letter_are_looked_for_on_every_line() -> None:
    for opening in [
        r"(?:the|a) board",
        r"the|a board",
        r"\w+ board",
        r"[ts]ection",
        r"t?he",
        r"é",
        r"",
    ]:
        assert (
            opening_letters(
                (re.compile("local", re.I), re.compile(opening, re.I)), after_spaces=False
            )
            is None
        )


def test_the_bundled_regions_look_only_at_lines_opening_as_their_starts_do() -> None:
    regions = [r for s in bundled() if s.segment for r in s.segment.regions]
    assert regions
    for region in regions:
        assert opening_letters(region.starts, after_spaces=False) is not None


# -- a numbered report's section heading looked for only on lines opening as one can --------


def _ilacs_sections() -> tuple[re.Pattern[str], ...]:
    return next(s.segment.sections for s in bundled() if s.segment and s.segment.sections)


_HEADING_LINE = st.lists(
    st.sampled_from(
        [" ", "\t", "\u2003", "The ", "the ", "impact of leaders", "Overall effectiveness", "x"]
        + ["Children looked after", "İ", "K", "ſ", "1.", "Summary for children", "’"]
    ),
    min_size=1,
    max_size=5,
).map("".join)


@settings(max_examples=500, deadline=None)
@given(_HEADING_LINE)
@example("  The impact of leaders")
@example("\u2003overall effectiveness")
def test_a_line_that_opens_a_section_opens_as_a_section_can(line: str) -> None:
    sections = _ilacs_sections()
    openings = opening_letters(sections, after_spaces=True)
    assert openings is not None  # the bundled sections take the fast way
    stripped = line.strip()
    if stripped and any_of(sections).match(line):
        first = stripped[0].lower()
        assert first in openings or not first.isascii()


def test_sections_opening_otherwise_are_asked_of_every_line() -> None:
    openings = [r"\s+The", r"^\s*?The", r"^(?:The|A)", r"^\s*The|A", r"^\s*[TA]he", r"^\w", r"^é"]
    for opening in [*openings, ""]:
        assert (
            opening_letters(
                (re.compile(r"^\s*Overall", re.I), re.compile(opening)), after_spaces=True
            )
            is None
        )
    assert opening_letters(
        (re.compile(r"^\s*Overall", re.I), re.compile(r"\s*the")), after_spaces=True
    ) == {
        "o",
        "t",
    }
