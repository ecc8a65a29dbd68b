"""The letter pane: a read-only TextArea that colours each finding by its category.

The TextArea holds the sanitised letter with every line or page break ("\\r\\n", "\\r",
"\\n", "\\f") as one "\\n"; our own table of line starts maps letter offsets to (row,
column) and back, so CRLF letters keep their offsets. Spans are kept per line and styled in
`get_line`.
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.message import Message
from textual.widgets import TextArea
from textual.widgets.text_area import Selection

from reviewer.model import Finding

# A form feed is a PDF page break; sanitising shows it as "\u240c", which breaks the row too.
_BREAK = re.compile("\r\n|\r|\n|\f|\u240c")

# TextArea actions that would edit text or use its own history; the keys fall through
# to the app's bindings (delete, ctrl+z, ctrl+y ...) instead.
_BLOCKED = frozenset(
    {
        "delete_left",
        "delete_right",
        "delete_word_left",
        "delete_word_right",
        "delete_line",
        "delete_to_start_of_line",
        "delete_to_end_of_line",
        "delete_to_end_of_line_or_delete_line",
        "cut",
        "paste",
        "undo",
        "redo",
    }
)


# A line longer than this (a letter extracted without line breaks) is shown in rows of
# about ROW characters, broken at spaces: the TextArea re-wraps a whole line for every
# row it paints, which on a 5 MB line takes seconds per screen.
LONG_LINE = 10_000
ROW = 160
# Past this size the TextArea's soft wrap (computed for every line on load) takes seconds:
# the letter is shown in rows of ROW characters cut at spaces instead, without soft wrap.
HUGE_LETTER = 1_000_000


def _rows_of_long_lines(
    text: str, starts: list[int], ends: list[int], long_line: int = LONG_LINE
) -> tuple[list[int], list[int]]:
    """Rows for the view: a long line is cut at a space near every ROW characters (the
    space is shown as the row's end, as a line break is), or mid-word where there is none."""
    new_starts, new_ends = [], []
    for s, e in zip(starts, ends, strict=True):
        long = e - s > long_line
        while long and e - s > ROW:
            cut = text.rfind(" ", s + ROW // 2, s + ROW)
            if cut == -1:
                new_starts.append(s)
                new_ends.append(s + ROW)
                s += ROW
            else:
                new_starts.append(s)
                new_ends.append(cut)
                s = cut + 1
        new_starts.append(s)
        new_ends.append(e)
    return new_starts, new_ends


class LineMap:
    """Letter offsets <-> (row, column) of the view text, with line breaks made "\\n"."""

    def __init__(self, text: str, long_line: int = LONG_LINE) -> None:
        starts, ends = [0], []
        for m in _BREAK.finditer(text):
            ends.append(m.start())
            starts.append(m.end())
        ends.append(len(text))
        if any(e - s > long_line for s, e in zip(starts, ends, strict=True)):
            starts, ends = _rows_of_long_lines(text, starts, ends, long_line)
        self.starts = starts
        self.ends = ends
        self.view_text = "\n".join(text[s:e] for s, e in zip(starts, ends, strict=True))

    def location(self, offset: int) -> tuple[int, int]:
        row = max(0, bisect.bisect_right(self.starts, offset) - 1)
        col = min(offset, self.ends[row]) - self.starts[row]
        return row, max(0, col)

    def offset(self, location: tuple[int, int]) -> int:
        row, col = location
        row = min(max(row, 0), len(self.starts) - 1)
        return min(self.starts[row] + col, self.ends[row])


class LetterView(TextArea):
    """The letter, read-only, with findings highlighted by category colour."""

    DEFAULT_CSS = """
    LetterView { border: round $primary-darken-2; }
    LetterView:focus { border: round $accent; }
    """
    BINDINGS = [
        Binding("ctrl+home", "letter_start", "Start of the letter", show=False),
        Binding("ctrl+end", "letter_end", "End of the letter", show=False),
        Binding("ctrl+shift+home", "letter_start(True)", "Select to the start", show=False),
        Binding("ctrl+shift+end", "letter_end(True)", "Select to the end", show=False),
    ]

    def __init__(self, display_text: str, *, id: str | None = None) -> None:
        huge = len(display_text) > HUGE_LETTER
        self.line_map = LineMap(display_text, ROW if huge else LONG_LINE)
        # A huge letter's text goes in after the screen around it is painted (load_text):
        # until then the pane says what is happening, instead of a blank terminal.
        self._pending = self.line_map.view_text if huge else ""
        shown = f"Opening the letter ({len(display_text) / 1e6:.1f} MB)…" if huge else ""
        super().__init__(
            shown or self.line_map.view_text,
            read_only=True,
            soft_wrap=not huge,
            show_line_numbers=False,
            highlight_cursor_line=False,
            id=id,
        )
        self._spans: dict[int, list[tuple[int, int, int]]] = {}
        self._colours: dict[str, str] = {}
        self._findings: Sequence[Finding] = ()
        self.current = -1

    @property
    def text_pending(self) -> bool:
        """Whether a huge letter's text is still to be put in (see `finish_loading`)."""
        return bool(self._pending)

    def finish_loading(self) -> None:
        """Put a huge letter's text in; the screen calls this once it has been painted."""
        if self._pending:
            text, self._pending = self._pending, ""
            self.load_text(text)

    def action_letter_start(self, select: bool = False) -> None:
        self.move_cursor((0, 0), select=select)

    def action_letter_end(self, select: bool = False) -> None:
        self.move_cursor(self.document.end, select=select)

    @dataclass
    class CursorMoved(Message):
        """The reviewer moved the letter's cursor (keys or mouse) to letter offset `offset`."""

        letter: LetterView
        offset: int

    def on_text_area_selection_changed(self, event: TextArea.SelectionChanged) -> None:
        # Moves made by the program (show_offset) happen while the letter may lack focus;
        # only the reviewer's own moves, in the focused letter, are announced.
        if event.text_area is self and self.has_focus and event.selection == self.selection:
            self.post_message(self.CursorMoved(self, self.cursor_offset))

    def on_resize(self, event: events.Resize) -> None:
        """A new width re-wraps the letter: keep the cursor (the current finding) in view."""
        self.call_after_refresh(self.scroll_cursor_visible, center=True)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in _BLOCKED:
            return False
        return super().check_action(action, parameters)

    # -- spans --------------------------------------------------------------------------

    def set_findings(
        self, findings: Sequence[Finding], colours: dict[str, str], current: int
    ) -> None:
        """Take the findings; the per-line span table is rebuilt only when spans moved.

        A category, status, note or theme change keeps every span where it was, and the
        colour is looked up at render time, so only a restyle of the visible lines follows.
        """
        spans_moved = len(findings) != len(self._findings) or any(
            a is not b and (a.start, a.end, a.anchor) != (b.start, b.end, b.anchor)
            for a, b in zip(findings, self._findings, strict=True)
        )
        self._findings = list(findings)
        self._colours = colours
        if spans_moved or not self._spans:
            self._spans = self._build_spans(self._findings)
        self.current = current
        self.notify_style_update()

    def _build_spans(self, findings: Sequence[Finding]) -> dict[int, list[tuple[int, int, int]]]:
        spans: dict[int, list[tuple[int, int, int]]] = defaultdict(list)
        lm = self.line_map
        for i, f in enumerate(findings):
            if f.anchor == "orphan" or f.end <= f.start:
                continue
            r0, c0 = lm.location(f.start)
            r1, c1 = lm.location(f.end)
            for row in range(r0, r1 + 1):
                a = c0 if row == r0 else 0
                b = c1 if row == r1 else lm.ends[row] - lm.starts[row]
                if b > a:
                    spans[row].append((a, b, i))
        return dict(spans)

    def set_current(self, current: int) -> None:
        if current != self.current:
            self.current = current
            self.notify_style_update()

    def get_line(self, line_index: int) -> Text:
        line = super().get_line(line_index)
        if self._pending:
            return line
        for a, b, i in self._spans.get(line_index, ()):
            f = self._findings[i]
            colour = self._colours.get(f.category, "#888888")
            if i == self.current:
                style = Style(color="#ffffff", bgcolor=colour, bold=True)
            else:
                style = Style(color=colour)
            line.stylize(style, a, b)
        return line

    # -- offsets ------------------------------------------------------------------------

    @property
    def cursor_offset(self) -> int:
        return self.line_map.offset(self.selection.end)

    @property
    def selected_span(self) -> tuple[int, int] | None:
        start, end = self.selection
        if start == end:
            return None
        a, b = self.line_map.offset(start), self.line_map.offset(end)
        return (min(a, b), max(a, b))

    def show_offset(self, offset: int, end: int | None = None) -> None:
        """Put the cursor at a letter offset (selecting up to `end`) and scroll to it."""
        if self._pending:
            return
        loc = self.line_map.location(offset)
        if end is None:
            self.selection = Selection.cursor(loc)
        else:
            self.selection = Selection(loc, self.line_map.location(end))
        self.scroll_cursor_visible(center=True)
