"""The letter pane: the sanitised letter, read-only, each finding coloured by its category.

Drawn with Textual's line API: two tables are built from the text, `LineMap` (the lines
between line or page breaks) once per letter, and `Rows` (those lines wrapped to the pane's
width) once per width; a repaint renders only the rows on screen, each styled by looking its
offsets up in the findings' spans. A key therefore costs the rows on screen, not the letter.
The cursor and the selection are letter offsets, so CRLF letters keep their offsets.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from itertools import accumulate, compress, count
from operator import is_not, itemgetter
from typing import NamedTuple

from rich.cells import cell_len, get_character_cell_size
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from reviewer.model import Finding

# A form feed is a PDF page break; sanitising shows it as "\u240c", which breaks the row too.
_BREAK = re.compile("\r\n|\r|\n|\f|\u240c")
_WORD = re.compile(r"\w+")
_ZERO_WIDTH = "\u200b"
# Rows kept between a finding stepped to and the pane's top or bottom edge before the pane
# scrolls (a quarter of a short pane at most): the reviewer sees the lines around it.
SCROLL_MARGIN = 3


class LineMap:
    """Letter offsets <-> (line, column), a line being the text between two breaks."""

    def __init__(self, text: str) -> None:
        starts, ends = [0], []
        for m in _BREAK.finditer(text):
            ends.append(m.start())
            starts.append(m.end())
        ends.append(len(text))
        self.text = text
        self.starts = starts
        self.ends = ends

    @property
    def view_text(self) -> str:
        """The letter with every break as one "\\n" (what the pane shows, line by line)."""
        return "\n".join(self.text[s:e] for s, e in zip(self.starts, self.ends, strict=True))

    def line_of(self, offset: int) -> int:
        return max(0, bisect.bisect_right(self.starts, offset) - 1)

    def location(self, offset: int) -> tuple[int, int]:
        line = self.line_of(offset)
        col = min(offset, self.ends[line]) - self.starts[line]
        return line, max(0, col)

    def offset(self, location: tuple[int, int]) -> int:
        line, col = location
        line = min(max(line, 0), len(self.starts) - 1)
        return min(self.starts[line] + max(col, 0), self.ends[line])

    def clamp(self, offset: int) -> int:
        """The nearest offset the cursor can stand on (not inside a break)."""
        offset = min(max(offset, 0), len(self.text))
        return min(offset, self.ends[self.line_of(offset)])


def _wrap_cells(text: str, s: int, e: int, width: int) -> list[int]:
    """Row starts for a line with wide characters: cut where the cells run out, at the
    last space if there is one."""
    starts, row, cells, space = [s], s, 0, -1
    p = s
    while p < e:
        w = get_character_cell_size(text[p])
        if cells + w > width and p > row:
            cut = space + 1 if space >= row else p
            starts.append(cut)
            row, space = cut, -1
            cells = cell_len(text[row:p])
        if text[p] == " ":
            space = p
        cells += w
        p += 1
    return starts


class Rows:
    """The letter's lines wrapped to `width` cells: each row's start and end offsets.

    A line is cut after the last space that fits (the space stays at the row's end, as a
    break does), or mid-word where a word is longer than the row; every offset of a line
    belongs to exactly one row.
    """

    def __init__(self, lines: LineMap, width: int) -> None:
        self.width = width = max(1, width)
        text = lines.text
        starts: list[int] = []
        ends: list[int] = []
        rfind = text.rfind
        narrow = text.isascii()  # then one character is one cell everywhere
        for s, e in zip(lines.starts, lines.ends, strict=True):
            wide = not narrow and cell_len(text[s:e]) != e - s
            if e - s <= width and not wide:
                starts.append(s)
                ends.append(e)
                continue
            if wide:
                cuts = _wrap_cells(text, s, e, width)
                starts.extend(cuts)
                ends.extend(cuts[1:])
                ends.append(e)
                continue
            p = s
            while e - p > width:
                cut = rfind(" ", p, p + width)
                if cut >= p and text[cut + 1] == " ":
                    # the spaces run past the row: they go with the word before them
                    word_end = len(text[p:cut].rstrip(" ")) + p
                    cut = rfind(" ", p, word_end)
                nxt = cut + 1 if cut >= p else p + width  # no space: cut mid-word
                starts.append(p)
                ends.append(nxt)
                p = nxt
            starts.append(p)
            ends.append(e)
        self.starts = starts
        self.ends = ends

    def __len__(self) -> int:
        return len(self.starts)

    def row_of(self, offset: int) -> int:
        return max(0, bisect.bisect_right(self.starts, offset) - 1)


class LetterSelection(NamedTuple):
    """The selection in letter offsets: where it was started and where the cursor is."""

    start: int
    end: int


def _placed(f: Finding) -> bool:
    """Whether a finding is highlighted in the letter: placed there, and not empty."""
    return f.anchor != "orphan" and f.end > f.start


class SpanIndex:
    """The placed findings' spans sorted by start, for finding those that cross a row by
    bisection.

    Kept up to date finding by finding (`remove`, `add`) as a change replaces some: a
    deletion, merge, split or boundary move costs a bisection and a list insertion for each
    finding it touches, where building the index again costs 80 ms at 178,000 findings.
    `keys` holds each span's (start, end, serial) and `held` the finding beside it: tuples
    of numbers alone, which the garbage collector stops following, where a tuple holding
    a finding would be followed at every full collection. `reach` holds, at each
    position, the furthest end of any span up to there; a span taken out leaves the ends
    after it as they were, too far at worst, which only makes a search look further back
    than it must.
    """

    def __init__(self, findings: Sequence[Finding] = ()) -> None:
        # the serial is the finding's place: ties of start and end keep the findings' order
        keys = [
            (f.start, f.end, i)
            for i, f in enumerate(findings)
            if f.anchor != "orphan" and f.end > f.start
        ]
        keys.sort()
        self._serial = count(len(findings))
        self.keys: list[tuple[int, int, int]] = keys
        self.held: list[Finding] = [findings[i] for _, _, i in keys]
        self.starts = [s for s, _, _ in keys]
        self.reach = list(accumulate(map(itemgetter(1), keys), max))

    def crossing(self, a: int, b: int) -> list[tuple[int, int, Finding]]:
        """(start, end, finding) of each span overlapping [a, b), in letter order."""
        found = []
        k = bisect.bisect_left(self.starts, b) - 1
        while k >= 0 and self.reach[k] > a:
            s, e, _ = self.keys[k]
            if e > a:
                found.append((s, e, self.held[k]))
            k -= 1
        found.reverse()
        return found

    def _position(self, f: Finding) -> int | None:
        """Where a placed finding's span is in the index (found by identity), if it is."""
        k = bisect.bisect_left(self.starts, f.start)
        while k < len(self.keys) and self.starts[k] == f.start:
            if self.held[k] is f:
                return k
            k += 1
        return None

    def remove(self, f: Finding) -> bool:
        """Take a finding's span out; False if it is not there (the index is then stale)."""
        if not _placed(f):
            return True
        k = self._position(f)
        if k is None:
            return False
        del self.keys[k], self.held[k], self.starts[k], self.reach[k]
        return True

    def replace(self, old: Finding, new: Finding) -> bool:
        """Put a finding in the place of one with the same span (a new category, note...);
        False if the old one is not there (the index is then stale)."""
        if old is new or not _placed(old):
            return True
        k = self._position(old)
        if k is None:
            return False
        self.held[k] = new
        return True

    def add(self, f: Finding) -> None:
        """Put a finding's span in its place."""
        if not _placed(f):
            return
        key = (f.start, f.end, next(self._serial))
        k = bisect.bisect_left(self.keys, key)
        self.keys.insert(k, key)
        self.held.insert(k, f)
        self.starts.insert(k, f.start)
        reach = max(self.reach[k - 1], f.end) if k else f.end
        self.reach.insert(k, reach)
        k += 1
        while k < len(self.reach) and self.reach[k] < reach:
            self.reach[k] = reach
            k += 1


def replaced_run(old: Sequence[Finding], new: Sequence[Finding]) -> tuple[int, int, int]:
    """``(at, removed, added)``: ``new`` is ``old`` with ``old[at : at + removed]`` replaced
    by ``new[at : at + added]``, the findings before and after being the same objects (found
    by identity at C speed)."""
    n = min(len(old), len(new))
    at = next(compress(count(), map(is_not, new, old)), n)
    same_after = next(compress(count(), map(is_not, reversed(new), reversed(old))), n)
    same_after = min(same_after, n - at)
    return at, len(old) - same_after - at, len(new) - same_after - at


# A change that replaces more findings than this builds the span index again.
_SPLICE_MOST = 64


class LetterView(ScrollView, can_focus=True):
    """The letter, read-only, with findings highlighted by category colour."""

    DEFAULT_CSS = """
    LetterView {
        width: 1fr;
        height: 1fr;
        padding: 0 1;
        color: $foreground;
        background: $surface;
        pointer: text;
        scrollbar-gutter: stable;
        overflow-x: hidden;
        border: round $primary-darken-2;
    }
    LetterView:focus { border: round $accent; }
    LetterView > .letter-view--cursor {
        color: $input-cursor-foreground;
        background: $warning-darken-1;
        text-style: $input-cursor-text-style;
    }
    LetterView > .letter-view--selection {
        background: $input-selection-background;
        color: $input-selection-foreground;
    }
    LetterView:ansi > .letter-view--cursor { text-style: reverse; }
    LetterView:ansi > .letter-view--selection { background: transparent; text-style: reverse; }
    """
    COMPONENT_CLASSES = {"letter-view--cursor", "letter-view--selection"}

    BINDINGS = [
        Binding("up", "cursor_up", "Cursor up", show=False),
        Binding("down", "cursor_down", "Cursor down", show=False),
        Binding("left", "cursor_left", "Cursor left", show=False),
        Binding("right", "cursor_right", "Cursor right", show=False),
        Binding("ctrl+left", "cursor_word_left", "Cursor word left", show=False),
        Binding("ctrl+right", "cursor_word_right", "Cursor word right", show=False),
        Binding("home,ctrl+a", "cursor_line_start", "Cursor line start", show=False),
        Binding("end,ctrl+e", "cursor_line_end", "Cursor line end", show=False),
        Binding("pageup", "cursor_page_up", "Cursor page up", show=False),
        Binding("pagedown", "cursor_page_down", "Cursor page down", show=False),
        Binding("shift+up", "cursor_up(True)", "Select up", show=False),
        Binding("shift+down", "cursor_down(True)", "Select down", show=False),
        Binding("shift+left", "cursor_left(True)", "Select left", show=False),
        Binding("shift+right", "cursor_right(True)", "Select right", show=False),
        Binding("ctrl+shift+left", "cursor_word_left(True)", "Select word left", show=False),
        Binding("ctrl+shift+right", "cursor_word_right(True)", "Select word right", show=False),
        Binding("shift+home", "cursor_line_start(True)", "Select to row start", show=False),
        Binding("shift+end", "cursor_line_end(True)", "Select to row end", show=False),
        Binding("shift+pageup", "cursor_page_up(True)", "Select page up", show=False),
        Binding("shift+pagedown", "cursor_page_down(True)", "Select page down", show=False),
        Binding("ctrl+home", "letter_start", "Start of the letter", show=False),
        Binding("ctrl+end", "letter_end", "End of the letter", show=False),
        Binding("ctrl+shift+home", "letter_start(True)", "Select to the start", show=False),
        Binding("ctrl+shift+end", "letter_end(True)", "Select to the end", show=False),
        Binding("f6", "select_line", "Select line", show=False),
        Binding("f7", "select_all", "Select all", show=False),
        Binding("ctrl+c,super+c", "copy", "Copy", show=False),
    ]

    def __init__(
        self, display_text: str, *, quiet: Sequence[int] = (), id: str | None = None
    ) -> None:
        """`quiet`: offsets of soft line breaks drawn with no width (see `reflow`)."""
        super().__init__(id=id)
        self.letter_text = display_text
        self._quiet = frozenset(quiet)
        # What is drawn: the letter with each quiet break a zero-width space, so widths,
        # wrapping and columns count it as no cell; it never reaches the terminal.
        pieces: list[str] = []
        last = 0
        for at in sorted(self._quiet):
            pieces += (display_text[last:at], _ZERO_WIDTH)
            last = at + 1
        self._drawn = "".join(pieces) + display_text[last:] if pieces else display_text
        self.line_map = LineMap(self._drawn)
        self._rows: Rows | None = None
        self._spans = SpanIndex(())
        self._colours: dict[str, str] = {}
        self._strips: dict[tuple[object, ...], Strip] = {}  # drawn rows (see render_line)
        self._frame: tuple[Rows, int, Style] | None = None  # see render_lines
        self._findings: list[Finding] = []
        self._anchor = 0
        self._cursor = 0
        self._wanted_x: int | None = None  # the column up/down keep to
        self._dragging = False
        self._reveal: tuple[int, int] | None = None  # shown from the first paint (show_offset)
        self._sized = False  # a first size came (on_resize)

    # The current finding, highlighted bold on its colour; the screen binds it.
    current: reactive[int] = reactive(-1, init=False, repaint=False)  # watch_current repaints

    class CursorMoved(Message):
        """The reviewer moved the letter's cursor (keys or mouse) to letter offset `offset`."""

        def __init__(self, letter: LetterView, offset: int) -> None:
            super().__init__()
            self.letter = letter
            self.offset = offset

    # -- rows ---------------------------------------------------------------------------

    @property
    def wrap_width(self) -> int:
        """Cells a row may fill: the pane's inside less one for the cursor at a row's end."""
        return max(1, self.scrollable_content_region.width - 1)

    @property
    def rows(self) -> Rows:
        """The rows at the pane's width, built when the width changes."""
        width = self.wrap_width
        if self._rows is None or self._rows.width != width:
            self._rows = Rows(self.line_map, width)
            self.virtual_size = Size(width + 1, len(self._rows))
        return self._rows

    def on_resize(self, event: events.Resize) -> None:
        """A new size re-wraps the letter: keep the cursor (the current finding) in view.
        The first size moves nothing: the first paint started where it shows the finding."""
        self.rows  # noqa: B018 - builds the rows for a new width
        if self._sized:
            self.call_after_refresh(self.scroll_cursor_visible, center=True)
        self._sized = True

    def watch_show_vertical_scrollbar(self, shown: bool) -> None:
        """The scrollbar can appear after the letter was scrolled to the first finding (the
        rows are counted at the first paint): start it where the letter is."""
        if shown:
            self.vertical_scrollbar.position = self.scroll_y

    # -- spans --------------------------------------------------------------------------

    def set_findings(
        self,
        findings: Sequence[Finding],
        colours: dict[str, str],
        current: int,
        rows: Sequence[int] | None = None,
    ) -> None:
        """Take the findings; the span index is changed only where spans moved.

        A category, status, note or theme change keeps every span where it was, and the
        colour is looked up at render time, so only a repaint of the visible rows follows.
        `rows`, when the caller knows them, are the only findings replaced (in place);
        otherwise the run of findings replaced is found by identity (`replaced_run`), and
        only its spans are taken out of the index and put back.
        """
        old = self._findings
        colours_changed = colours != self._colours
        if rows is not None:
            removed = [old[i] for i in rows]
            added = [findings[i] for i in rows]
        else:
            at, gone, came = replaced_run(old, findings)
            removed, added = old[at : at + gone], list(findings[at : at + came])
        spans_moved = len(removed) != len(added) or any(
            (a.start, a.end, a.anchor) != (b.start, b.end, b.anchor)
            for a, b in zip(removed, added, strict=True)
        )
        if rows is not None and not spans_moved:
            for i in rows:  # the same list, with the replaced findings in it
                old[i] = findings[i]
        else:
            self._findings = list(findings)
        self._colours = colours
        spans = self._spans
        if len(removed) + len(added) > _SPLICE_MOST:
            self._spans = SpanIndex(self._findings)
        elif not spans_moved:  # the same spans, held by the new findings
            if not all(map(spans.replace, removed, added)):
                self._spans = SpanIndex(self._findings)
        elif all(map(spans.remove, removed)):
            for f in added:
                spans.add(f)
        else:
            self._spans = SpanIndex(self._findings)
        self.set_current(current)
        if spans_moved or colours_changed:
            self.refresh()
        else:  # the same spans: only the rows of the replaced findings look different
            for f in added:
                self._repaint_finding(f)

    @property
    def text(self) -> str:
        """The letter as the pane holds it, line by line (every break one "\\n")."""
        return self.line_map.view_text

    def spans_crossing(self, start: int, end: int) -> list[tuple[int, int, int]]:
        """(start, end, finding index) of each highlighted finding overlapping [start, end)."""
        spans = self._spans.crossing(start, end)
        index = {id(f): i for i, f in enumerate(self._findings)}
        return [(a, b, index[id(f)]) for a, b, f in spans]

    def _current_finding(self) -> Finding | None:
        fs, current = self._findings, self.current
        return fs[current] if 0 <= current < len(fs) else None

    def set_current(self, current: int) -> None:
        self.current = current

    def watch_current(self, old: int, current: int) -> None:
        """The highlight moves: the rows of the finding it leaves and of the one it reaches
        are drawn again, not the whole pane."""
        for i in (old, current):
            if 0 <= i < len(self._findings):
                self._repaint_finding(self._findings[i])

    def _repaint_finding(self, f: Finding) -> None:
        if _placed(f):
            self._repaint(f.start, f.end - 1)

    def _repaint(self, start: int, last: int) -> None:
        """Draw again the rows on screen holding letter offsets `start` to `last`: a
        decision or a step to the next finding repaints a few rows, not the pane."""
        region = self.scrollable_content_region
        if not region:  # not laid out yet: the first paint draws every row
            return
        rows, top = self.rows, self.scroll_offset.y
        first = max(rows.row_of(start) - top, 0)
        end = min(rows.row_of(max(start, last)) - top, region.height - 1)
        if first <= end:
            self.refresh(Region(0, first, region.width, end - first + 1))

    def styled(
        self, start: int, end: int, spans: list[tuple[int, int, Finding]] | None = None
    ) -> Text:
        """Letter text [start, end) with each finding in it coloured (the current one bold
        on its colour), tabs shown as spaces. `spans`: the findings crossing it, if known."""
        line = Text(self._drawn[start:end].replace("\t", " "), end="", no_wrap=True)
        if spans is None:
            spans = self._spans.crossing(start, end)
        current = self._current_finding()
        for a, b, f in spans:
            colour = self._colours.get(f.category, "#888888")
            if f is current:
                style = Style(color="#ffffff", bgcolor=colour, bold=True)
            else:
                style = Style(color=colour)
            line.stylize(style, max(a, start) - start, min(b, end) - start)
        return line

    def get_line(self, line_index: int) -> Text:
        """Line `line_index` of the letter (between breaks), styled as the pane shows it."""
        lm = self.line_map
        return self.styled(lm.starts[line_index], lm.ends[line_index])

    # -- drawing ------------------------------------------------------------------------

    def render_lines(self, crop: Region) -> list[Strip]:
        if self._reveal is not None:
            self._scroll_to_reveal(*self._reveal)
        # What every row of one paint shares, looked up once rather than once per row.
        self._frame = (self.rows, self.scrollable_content_region.width, self.rich_style)
        try:
            return super().render_lines(crop)
        finally:
            self._frame = None

    def render_line(self, y: int) -> Strip:
        frame = self._frame
        if frame is None:
            frame = (self.rows, self.scrollable_content_region.width, self.rich_style)
        rows, width, base = frame
        index = self.scroll_offset.y + y
        if index >= len(rows):
            return Strip.blank(width, base)
        start, end = rows.starts[index], rows.ends[index]
        spans = self._spans.crossing(start, end)
        lo, hi = sorted(self.selection)
        selected = lo != hi and lo <= end and hi >= start
        cursor = self.has_focus and rows.row_of(self._cursor) == index
        # A row without the selection or the cursor is drawn again only when its findings'
        # spans, colours or the current one among them changed: scrolling to the next finding
        # draws the rows that came into view, not every row on screen.
        key = None
        if not selected and not cursor:
            current = self._current_finding()
            key = (start, end, width, base, id(self._colours)) + tuple(
                (a, b, f.category, f is current) for a, b, f in spans
            )
            cached = self._strips.get(key)
            if cached is not None:
                return cached
        line = self.styled(start, end, spans)
        line.set_length(end - start + 1)  # a cell for the cursor at the row's end
        if selected:
            selection = self.get_component_rich_style("letter-view--selection")
            last_of_line = index + 1 == len(rows) or rows.starts[index + 1] != end
            if start == end and start != self._cursor:
                line = Text("▌", style=Style(color=selection.bgcolor), end="")
            else:
                a = max(lo, start) - start
                b = min(hi, end) - start + (1 if hi > end and last_of_line else 0)
                line.stylize(selection, a, b)
        if self.has_focus and rows.row_of(self._cursor) == index:
            col = self._cursor - start
            line.stylize(self.get_component_rich_style("letter-view--cursor"), col, col + 1)
        segments = [
            Segment(seg.text.replace(_ZERO_WIDTH, ""), base + seg.style if seg.style else base)
            for seg in line.render(self.app.console)
        ]
        strip = Strip(segments).adjust_cell_length(width, base)
        if key is not None:
            if len(self._strips) > 4 * max(self.size.height, 50):
                self._strips.clear()  # kept for a few screens' worth of rows
            self._strips[key] = strip
        return strip

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    # -- offsets ------------------------------------------------------------------------

    @property
    def selection(self) -> LetterSelection:
        return LetterSelection(self._anchor, self._cursor)

    @property
    def cursor_offset(self) -> int:
        return self._cursor

    @property
    def selected_span(self) -> tuple[int, int] | None:
        if self._anchor == self._cursor:
            return None
        return (min(self._anchor, self._cursor), max(self._anchor, self._cursor))

    @property
    def selected_text(self) -> str:
        """The selected letter text as the pane shows it (a quiet break left out)."""
        span = self.selected_span
        if not span:
            return ""
        return "".join(
            c for p, c in enumerate(self.letter_text[span[0] : span[1]], span[0])
            if p not in self._quiet
        )  # fmt: skip

    def cursor_xy(self) -> tuple[int, int]:
        """Where the cursor is drawn: cell column and row of the wrapped letter."""
        rows = self.rows
        row = rows.row_of(self._cursor)
        return cell_len(self._drawn[rows.starts[row] : self._cursor]), row

    def _on_screen(self, start: int, last: int) -> bool:
        """Whether the rows holding offsets `start` to `last` are all on screen, at least
        SCROLL_MARGIN rows from its top and bottom edges (or from the letter's ends)."""
        height = self.scrollable_content_region.height
        if height <= 0:
            return False
        rows, top = self.rows, self.scroll_offset.y
        margin = min(SCROLL_MARGIN, (height - 1) // 4)
        first, end = rows.row_of(start), rows.row_of(max(start, last))
        clear_above = first >= top + margin or top == 0
        clear_below = end < top + height - margin or top + height >= len(rows)
        return clear_above and clear_below

    def _scroll_to_reveal(self, start: int, last: int) -> None:
        """At the first paint, before any row is drawn: start the pane where the finding
        shown before it was laid out (`show_offset`) is in view, its cursor row centred as
        `scroll_cursor_visible` would, so the first frame is not followed by a scroll."""
        self._reveal = None
        height = self.scrollable_content_region.height
        if height <= 0 or self._on_screen(start, last):
            return
        rows = self.rows
        top = max(0, min(rows.row_of(self._cursor) - (height - 1) // 2, len(rows) - height))
        # set as the offset the rows are drawn from, without the watchers' repaint of a pane
        # not drawn yet (the scrollbar takes it up when it appears: watch_show_vertical_scrollbar)
        self.set_reactive(LetterView.scroll_y, float(top))
        self.set_reactive(LetterView.scroll_target_y, float(top))

    def scroll_cursor_visible(self, center: bool = False) -> None:
        x, y = self.cursor_xy()
        self.scroll_to_region(Region(x, y, 1, 1), animate=False, force=True, center=center)

    def show_offset(
        self, offset: int, end: int | None = None, *, through: int | None = None
    ) -> None:
        """Put the cursor at a letter offset (selecting up to `end`) and bring it into view:
        the pane scrolls, centring the cursor, only when the rows from `offset` to `end`
        (or to `through`, the end of a finding shown) are not on screen clear of its top
        and bottom edges. Stepping through the findings then scrolls the letter once every
        few findings, not at every key (a scroll repaints the whole screen)."""
        offset = self.line_map.clamp(offset)
        old_anchor, old_cursor = self._anchor, self._cursor
        if end is None:
            self._anchor = self._cursor = offset
        else:
            self._anchor, self._cursor = offset, self.line_map.clamp(end)
        self._wanted_x = None
        if old_anchor != old_cursor or self._anchor != self._cursor:
            self.refresh()  # a selection is left or made
        elif self.has_focus:  # the cursor is drawn only in the focused pane
            self._repaint(old_cursor, old_cursor)
            self._repaint(self._cursor, self._cursor)
        last = max(self._anchor, self._cursor, through if through is not None else offset)
        if not self.scrollable_content_region:  # not laid out: shown from its first paint
            self._reveal = (min(self._anchor, self._cursor), last)
        elif not self._on_screen(min(self._anchor, self._cursor), last):
            self.scroll_cursor_visible(center=True)
        if self.has_focus:  # in the focused letter, a move is the reviewer's to follow
            self.post_message(self.CursorMoved(self, self._cursor))

    def _move(self, offset: int, select: bool, keep_x: bool = False) -> None:
        """The reviewer's own move of the cursor: shown, kept in view and announced. A
        quiet break has no cell to stand on: the cursor goes on past it, the way it moved."""
        offset = self.line_map.clamp(offset)
        step = -1 if offset < self._cursor else 1
        while offset in self._quiet and 0 < offset < len(self.letter_text):
            offset += step
        self._cursor = offset
        if not select:
            self._anchor = self._cursor
        if not keep_x:
            self._wanted_x = None
        self.refresh()
        self.scroll_cursor_visible()
        self.post_message(self.CursorMoved(self, self._cursor))

    def _offset_at(self, x: int, row: int) -> int:
        """The offset at cell column `x` of wrapped row `row` (its end if the row is short)."""
        rows = self.rows
        row = min(max(row, 0), len(rows) - 1)
        start, end = rows.starts[row], rows.ends[row]
        last_of_line = row + 1 == len(rows) or rows.starts[row + 1] != end
        limit = end if last_of_line else max(start, end - 1)
        cells, p = 0, start
        while p < limit:
            w = get_character_cell_size(self._drawn[p])
            if cells + w > x:
                break
            cells += w
            p += 1
        return p

    # -- actions ------------------------------------------------------------------------

    def action_cursor_left(self, select: bool = False) -> None:
        lm = self.line_map
        line, col = lm.location(self._cursor)
        if col > 0:
            self._move(self._cursor - 1, select)
        elif line > 0:
            self._move(lm.ends[line - 1], select)

    def action_cursor_right(self, select: bool = False) -> None:
        lm = self.line_map
        line, _ = lm.location(self._cursor)
        if self._cursor < lm.ends[line]:
            self._move(self._cursor + 1, select)
        elif line + 1 < len(lm.starts):
            self._move(lm.starts[line + 1], select)

    def _vertical(self, rows_by: int, select: bool) -> None:
        x, y = self.cursor_xy()
        if self._wanted_x is None:
            self._wanted_x = x
        wanted = self._wanted_x
        target = min(max(y + rows_by, 0), len(self.rows) - 1)
        self._move(self._offset_at(wanted, target), select, keep_x=True)
        self._wanted_x = wanted

    def action_cursor_up(self, select: bool = False) -> None:
        self._vertical(-1, select)

    def action_cursor_down(self, select: bool = False) -> None:
        self._vertical(1, select)

    def action_cursor_page_up(self, select: bool = False) -> None:
        height = max(1, self.scrollable_content_region.height)
        self.scroll_to(y=self.scroll_offset.y - height, animate=False, immediate=True)
        self._vertical(-height, select)

    def action_cursor_page_down(self, select: bool = False) -> None:
        height = max(1, self.scrollable_content_region.height)
        self.scroll_to(y=self.scroll_offset.y + height, animate=False, immediate=True)
        self._vertical(height, select)

    def action_cursor_line_start(self, select: bool = False) -> None:
        rows = self.rows
        self._move(rows.starts[rows.row_of(self._cursor)], select)

    def action_cursor_line_end(self, select: bool = False) -> None:
        _, y = self.cursor_xy()
        self._move(self._offset_at(self.rows.width + 1, y), select)

    def action_cursor_word_left(self, select: bool = False) -> None:
        lm = self.line_map
        line, col = lm.location(self._cursor)
        if col == 0:
            if line > 0:
                self._move(lm.ends[line - 1], select)
            return
        s = lm.starts[line]
        words = [m.start() for m in _WORD.finditer(self.letter_text, s, self._cursor)]
        self._move(words[-1] if words and words[-1] < self._cursor else s, select)

    def action_cursor_word_right(self, select: bool = False) -> None:
        lm = self.line_map
        line, _ = lm.location(self._cursor)
        e = lm.ends[line]
        if self._cursor >= e:
            if line + 1 < len(lm.starts):
                self._move(lm.starts[line + 1], select)
            return
        m = _WORD.search(self.letter_text, self._cursor, e)
        self._move(m.end() if m else e, select)

    def action_letter_start(self, select: bool = False) -> None:
        self._move(0, select)

    def action_letter_end(self, select: bool = False) -> None:
        self._move(len(self.letter_text), select)

    def action_select_line(self) -> None:
        lm = self.line_map
        line = lm.line_of(self._cursor)
        self._anchor = lm.starts[line]
        self._move(lm.ends[line], True)

    def action_select_all(self) -> None:
        self._anchor = 0
        self._move(len(self.letter_text), True)

    def action_copy(self) -> None:
        """Copy the selected letter text to the clipboard."""
        if self.selected_text:
            self.app.copy_to_clipboard(self.selected_text)

    # -- mouse --------------------------------------------------------------------------

    def _offset_under(self, event: events.MouseEvent) -> int:
        x = event.x - self.gutter.left + self.scroll_offset.x
        y = event.y - self.gutter.top + self.scroll_offset.y
        return self._offset_at(max(0, x), y)

    def on_mouse_down(self, event: events.MouseDown) -> None:
        self._dragging = True
        self.capture_mouse()
        self._move(self._offset_under(event), select=False)

    def on_mouse_move(self, event: events.MouseMove) -> None:
        if self._dragging:
            offset = self._offset_under(event)
            if offset != self._cursor:
                self._move(offset, select=True)

    def on_mouse_up(self, event: events.MouseUp) -> None:
        if self._dragging:
            self._dragging = False
            self.release_mouse()
