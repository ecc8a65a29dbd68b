"""The review screen: one letter beside its findings, corrected by keyboard alone.

A view of a :class:`reviewer.review.controller.ReviewController`: every action is one call
on the controller, given what only the screen knows (the letter's selection or cursor), or
opens a dialog whose answer goes to it (see :mod:`reviewer.tui.screens.review_dialogs`).
The screen subscribes to the controller and binds the widgets to its state with reactives:
the header to one :class:`~reviewer.review.controller.HeaderState`, the table's cursor and
the letter's highlight to the current finding; after a change the table repaints the rows
the change replaced and the letter its visible rows. The screen keeps what is Textual's:
the timers (the header's flash, the crash journal written shortly after a change,
debounced, never on the keystroke itself) and focus (switching panes). The app makes one
screen per letter; its bindings come from the letter's scheme (one per category) and the
fixed actions.
"""

from __future__ import annotations

import contextlib
import time
from functools import lru_cache
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Container
from textual.message import Message
from textual.reactive import reactive
from textual.timer import Timer

from reviewer import startup
from reviewer.review.controller import HeaderState, ReviewController, Update
from reviewer.review.session import ReviewSession
from reviewer.segment.scheme import Scheme
from reviewer.tui.keymap import SCREEN_ACTIONS, category_actions
from reviewer.tui.screens.review_bindings import EDITING, binding_of
from reviewer.tui.screens.review_dialogs import ReviewDialogs
from reviewer.tui.widgets import FindingsTable, KeyBar, LetterView, ReviewHeader

if TYPE_CHECKING:
    # type only: the queue (and what describing its letters needs) loads when a queue opens,
    # the search at the first search
    from reviewer.model import Finding
    from reviewer.review.queue import LetterQueue
    from reviewer.review.search import Hit, Query

# How long the header shows what the last decision key did (seconds).
FLASH_SECONDS = 2.5


@lru_cache(maxsize=16)
def screen_class(scheme: Scheme) -> type[ReviewScreen]:
    """The review screen with a binding per category of `scheme`: bindings are declared on the
    class, so each scheme gets its own subclass."""
    actions = [*category_actions(scheme), *SCREEN_ACTIONS]  # categories first in the key bar
    bindings: list[BindingType] = [binding_of(a) for a in actions]
    return type("ReviewScreen", (ReviewScreen,), {"BINDINGS": bindings})


def layout_class(width: int) -> str:
    """The class `ReviewScreen.HORIZONTAL_BREAKPOINTS` gives a screen `width` cells wide."""
    return [name for least, name in ReviewScreen.HORIZONTAL_BREAKPOINTS if width >= least][-1]


class ReviewScreen(ReviewDialogs):
    """One letter's review: the header, the letter, the findings table and the key bar."""

    # Bindings come with the scheme: see `screen_class`.
    HORIZONTAL_BREAKPOINTS = [(0, "-stacked"), (100, "-side")]
    # The findings table has the focus from the first paint (not the letter, Textual's first
    # focusable widget, which would then hand it over and have both panes drawn again).
    AUTO_FOCUS = "#findings"

    # What the widgets are bound to (see compose): the controller's state, as last told.
    header_state: reactive[HeaderState | None] = reactive(None, init=False, repaint=False)
    current: reactive[int] = reactive(-1, init=False, repaint=False)

    def __init__(self, session: ReviewSession, queue: LetterQueue | None = None) -> None:
        # Made with the layout class of the terminal's width, so that the breakpoint's check
        # on the first resize finds it set and the screen is not styled twice.
        super().__init__(classes=layout_class(self.app.size.width))
        self.session = session
        self.colours = {c.id: c.colour for c in session.scheme.categories}
        self.painted = False
        self._journal_timer: Timer | None = None
        self._journal_since: float | None = None
        self._flash_timer: Timer | None = None
        self._bindings_key: tuple[bool, ...] | None = None
        self.controller = ReviewController(
            session,
            queue=queue,
            say=self.say,
            keys_for=self.keys_for,
            advance=lambda: self.shell.settings.advance,
        )

    def keys_for(self, binding_id: str) -> str:
        return self.shell.keys_for(binding_id)

    # -- layout -------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield ReviewHeader(id="header").data_bind(state=ReviewScreen.header_state)
        with Container(id="panes"):
            yield LetterView(
                self.session.display_text, quiet=self.session.quiet_breaks, id="letter"
            ).data_bind(current=ReviewScreen.current)
            yield FindingsTable(self.session.scheme, id="findings").data_bind(
                current=ReviewScreen.current
            )
        yield KeyBar(id="keys")

    @property
    def table(self) -> FindingsTable:
        return self.query_one("#findings", FindingsTable)

    def on_mount(self) -> None:
        c = self.controller
        start = c.start()
        self.table.rebuild(self.session.findings, max(start, 0))
        self.letter.set_findings(self.session.findings, self.colours, start)
        if 0 <= start < len(self.session.findings):  # shown from the first paint, not after
            self._show_in_letter(self.session.findings[start])
        self.table.focus()
        c.subscribe(self._show)
        self.header_state = c.header
        self.call_after_refresh(self._first_paint, start)

    def _first_paint(self, start: int) -> None:
        self.controller.select(start)
        # Keys typed before the letter was shown are dropped (the app asks `painted`): those
        # already in the app's queue are handled before this, however fast the paint was.
        self.app.call_later(self._shown)
        for message, severity in self.controller.open_messages():
            self.say(message, severity)
        if self.session.report.journal_available:
            self.ask_restore()
        else:  # the crash journal's full record, off the first key's path
            self.set_timer(self.shell.JOURNAL_RECORD_DELAY, self.session.prepare_journal)

    def _shown(self) -> None:
        self.painted = True
        startup.release(
            freeze=True
        )  # started: collected as usual, what was made until now left out

    def on_resize(self) -> None:
        if self.painted:
            self.query_one(ReviewHeader).redraw()

    # -- showing the controller's state -----------------------------------------------------

    def _show(self, update: Update) -> None:
        """Show what the controller says changed: rows, the current finding, the header."""
        c, s = self.controller, self.session
        if update.findings:
            row = max(c.current, 0)
            self.table.refresh_rows(s.findings, row, update.rows)
            self.letter.set_findings(s.findings, self.colours, c.current, update.rows)
            self.schedule_journal()
        self.current = c.current  # the table's cursor and the letter's highlight follow
        fs = s.findings
        if update.follow and 0 <= c.current < len(fs):
            self._show_in_letter(fs[c.current])
            self.table.move_cursor(c.current)  # back in view, even when `current` is unchanged
        if update.flashed:
            if self._flash_timer is not None:
                self._flash_timer.stop()
            self._flash_timer = self.set_timer(FLASH_SECONDS, c.end_flash)
        self.header_state = c.header
        self.update_bindings()

    def _show_in_letter(self, f: Finding) -> None:
        """The letter's cursor at the finding, its rows in view (an orphan has none)."""
        if f.anchor != "orphan":
            self.letter.show_offset(f.start, through=f.end - 1)

    def update_bindings(self) -> None:
        """Refresh the key bar only when what it shows can have changed."""
        s, c = self.session, self.controller
        key = (s.read_only, s.can_undo, s.can_redo, c.current >= len(s.findings) - 1)
        if key != self._bindings_key:
            self._bindings_key = key
            self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        allowed = self.controller.allowed(action, action in EDITING)
        if action == "take_over_lock":
            return allowed
        return True if allowed else None

    # -- the crash journal ----------------------------------------------------------------

    def schedule_journal(self) -> None:
        """Write the journal the app's AUTOSAVE_DELAY after the last change, and no later than
        its AUTOSAVE_MAX_WAIT after the first change not yet written: serialising 2,000
        findings takes longer than a keystroke may."""
        s = self.session
        if s.read_only or not s.dirty:
            return
        now = time.monotonic()
        if self._journal_since is None:
            self._journal_since = now
        delay, most = self.shell.AUTOSAVE_DELAY, self.shell.AUTOSAVE_MAX_WAIT
        wait = min(delay, self._journal_since + most - now)
        if self._journal_timer is not None:
            self._journal_timer.stop()
        self._journal_timer = self.set_timer(max(0.01, wait), self.write_journal)

    @property
    def journal_pending(self) -> bool:
        return self._journal_since is not None

    class JournalWritten(Message):
        """An autosave snapshot's thread is over (posted from that thread)."""

    def write_journal(self) -> None:
        """Compact the crash journal into a snapshot of the unsaved work now, written on a
        thread of its own; the header says so if it cannot be."""
        self.cancel_journal()
        self.controller.write_journal(done=self._journal_written_elsewhere)

    def _journal_written_elsewhere(self) -> None:
        """Called on the snapshot's thread: the screen hears of it on its own."""
        with contextlib.suppress(RuntimeError):  # the app's loop has already closed
            self.post_message(self.JournalWritten())

    @on(JournalWritten)
    def _journal_written(self) -> None:
        self.controller.journal_written()

    def cancel_journal(self) -> None:
        if self._journal_timer is not None:
            self._journal_timer.stop()
            self._journal_timer = None
        self._journal_since = None

    # -- syncing the panes --------------------------------------------------------------

    @on(FindingsTable.FindingHighlighted)
    def _row_highlighted(self, event: FindingsTable.FindingHighlighted) -> None:
        if event.index != self.controller.current:
            self.controller.select(event.index)

    @on(LetterView.CursorMoved)
    def _letter_moved(self, event: LetterView.CursorMoved) -> None:
        self.controller.select_at(event.offset)

    # -- actions: moving ----------------------------------------------------------------

    def action_next_finding(self) -> None:
        self.controller.select(self.controller.current + 1)

    def action_previous_finding(self) -> None:
        self.controller.select(self.controller.current - 1)

    def action_first_finding(self) -> None:
        self.controller.select(0)

    def action_last_finding(self) -> None:
        self.controller.select(len(self.session.findings) - 1)

    def action_switch_pane(self) -> None:
        if self.letter.has_focus:
            self.table.focus()
        else:
            self.letter.focus()

    # -- actions: corrections -----------------------------------------------------------

    def action_category(self, category: str) -> None:
        self.controller.set_category(category)

    def action_confirm(self) -> None:
        self.controller.confirm()

    def action_delete(self) -> None:
        self.controller.delete()

    def action_split(self) -> None:
        # A search hit (or any selection) splits at its start; else the cursor's place.
        span = self.letter.selected_span
        self.controller.split(span[0] if span is not None else self.letter.cursor_offset)

    def action_add(self) -> None:
        span = self.letter.selected_span
        if self.controller.can_add(span) and span is not None:
            self.ask_category("added", "add", *span)

    def action_promote(self) -> None:
        offset = self.letter.cursor_offset
        if self.controller.can_promote(offset):
            self.ask_category("promoted", "promote", offset)

    def action_rebound(self) -> None:
        self.controller.rebound(self.letter.selected_span)

    def action_move_edge(self, edge: str, unit: str, step: int) -> None:
        """Move the current finding's start or end by a word or a sentence; the letter
        shows the new span with its moved edge in view."""
        self._show_edge(self.controller.move_edge(edge, unit, step))

    def action_snap(self) -> None:
        self._show_edge(self.controller.snap())

    def _show_edge(self, offset: int | None) -> None:
        if offset is not None:
            self.letter.show_offset(offset)

    def action_complete(self) -> None:
        self.controller.complete()

    def action_undo(self) -> None:
        self.controller.undo()

    def action_redo(self) -> None:
        self.controller.redo()

    # -- actions: search ----------------------------------------------------------------

    def action_search_next(self) -> None:
        if self.shell.last_search:
            self.run_search(self.shell.last_search)
        else:
            self.action_search()

    def action_search_previous(self) -> None:
        if self.shell.last_search:
            self.run_search(self.shell.last_search, step=-1)
        else:
            self.action_search()

    def run_search(self, text: str, step: int = 1) -> None:
        """Go to the next (`step` 1) or previous (-1) hit of a search, with the toggles in
        force, wrapping round at the end of the letter with a note."""
        from reviewer.review.search import Query

        query = Query(text, self.shell.search_case, self.shell.search_regex)
        hit = self.controller.next_hit(query, self.here(query), step)
        if hit is not None:
            self.go_to_hit(query, hit)

    def go_to_hit(self, query: Query, hit: Hit) -> None:
        """A hit in a finding selects it (a match in its text is also selected in the
        letter); a hit in letter text outside findings is shown selected in the letter."""
        self.controller.went_to(query, hit)
        if hit.finding is None:
            self.letter.focus()
            self.letter.show_offset(hit.start, hit.end)
        elif hit.where == "letter":
            self.letter.show_offset(hit.start, hit.end)

    @property
    def search_at(self) -> int | None:
        """Where the last hit gone to starts in the letter."""
        return self.controller.search_at
