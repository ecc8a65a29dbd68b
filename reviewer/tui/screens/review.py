"""The review screen: one letter beside its findings, corrected by keyboard alone.

A layer over `ReviewSession`: a correction calls the session's change, then refreshes the
affected table rows, the letter's highlighting and the header. The screen also asks the
questions around saving (save-as for a read-only review), records the queue's progress
when it draws the header, and notes a document that fits no family. The crash journal is written
shortly after (debounced), never on the keystroke itself. The app makes one screen per letter;
its bindings come from the letter's scheme (one per category) and the fixed actions.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, cast

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Container
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer

from reviewer.model import Document, Finding
from reviewer.review.annotation import AnnotationError
from reviewer.review.queue import LetterQueue
from reviewer.review.search import Hit, Query, SearchError, find_hits
from reviewer.review.session import ReviewSession, SessionError
from reviewer.review.store import StoreError
from reviewer.sanitize import sanitize
from reviewer.segment.families import NO_SCHEME, findings_note
from reviewer.segment.scheme import Scheme, detect_scheme
from reviewer.segment.topics import load_taxonomy
from reviewer.settings import Settings
from reviewer.tui.keymap import SCREEN_ACTIONS, Action, category_actions
from reviewer.tui.screens.category import CategoryModal
from reviewer.tui.screens.confirm import (
    journal_question,
    merge_across_question,
    take_over_question,
)
from reviewer.tui.screens.metadata import MetadataModal, judgements_line
from reviewer.tui.widgets import FindingsTable, LetterView, ReviewHeader
from reviewer.tui.widgets.header import family_details

if TYPE_CHECKING:
    from reviewer.tui.screens.search import Chosen

# The dialogs (edit, search, themes, a council's history) are imported when first opened:
# the first screen needs none of them, and with the corpus and Textual widgets they bring
# they are a good part of a start-up.


def counted(n: int, noun: str) -> str:
    """ "1 finding", "2 findings"."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def family_note(session: ReviewSession) -> str:
    """What the header says for as long as a document is open when it fits no known family:
    the segmenter's note on first opening, the same test again when a saved review is resumed."""
    note = session.report.note
    if not note and detect_scheme(session.text) is None:
        note = NO_SCHEME
    elif not note and not session.findings and not session.review.machine_findings:
        note = findings_note(Document(session.text, session.scheme.id), session.scheme)
    if note and note[:1].islower():
        note = f"This document {note}"
    return note


class Shell(Protocol):
    """What a review screen needs of the app around it (`ReviewApp`)."""

    queue: LetterQueue | None
    settings: Settings
    last_search: str
    search_case: bool
    search_regex: bool
    AUTOSAVE_DELAY: float
    AUTOSAVE_MAX_WAIT: float

    def say(self, message: str, severity: str = "information") -> None: ...
    def keys_for(self, binding_id: str) -> str: ...
    def queue_progress(self, width: int) -> str: ...


# Actions that change the review; dimmed in the footer when the review is read-only.
EDITING = frozenset(
    {
        "confirm",
        "edit_text",
        "edit_note",
        "split",
        "merge",
        "delete",
        "add",
        "rebound",
        "move_edge",
        "snap",
        "metadata",
        "undo",
        "redo",
        "complete",
        "category",
        "themes",
        "promote",
        "edit_letter_note",
    }
)

# How long the header shows what the last decision key did (seconds).
FLASH_SECONDS = 2.5


def changed_index(before: list[Finding], after: list[Finding]) -> int | None:
    """The first finding an undo or redo put back (corrections replace finding objects, so
    identity tells), for the cursor to go where the change was."""
    for i, (a, b) in enumerate(zip(before, after, strict=False)):
        if a is not b:
            return i
    # one added or taken away at the end; the screen keeps the row inside the table
    return min(len(before), len(after)) if len(before) != len(after) else None


def binding_of(a: Action) -> Binding:
    return Binding(
        a.keys,
        a.action,
        a.description,
        show=a.show,
        id=a.id,
        priority=a.action == "switch_pane",
        tooltip=a.help,
    )


@lru_cache(maxsize=16)
def screen_class(scheme: Scheme) -> type[ReviewScreen]:
    """The review screen with a binding per category of `scheme`: bindings are declared on the
    class, so each scheme gets its own subclass."""
    actions = [*category_actions(scheme), *SCREEN_ACTIONS]  # categories first in the footer
    bindings: list[BindingType] = [binding_of(a) for a in actions]
    return type("ReviewScreen", (ReviewScreen,), {"BINDINGS": bindings})


class ReviewScreen(Screen[None]):
    """One letter's review: the header, the letter, the findings table and the footer."""

    # Bindings come with the scheme: see `screen_class`.
    HORIZONTAL_BREAKPOINTS = [(0, "-stacked"), (100, "-side")]

    def __init__(self, session: ReviewSession) -> None:
        super().__init__()
        self.session = session
        self.scheme = session.scheme
        self.colours = {c.id: c.colour for c in session.scheme.categories}
        self.current = -1
        self.painted = False
        self._search_key: tuple[int, int] | None = None
        self._search_query: Query | None = None
        self._journal_timer: Timer | None = None
        self._journal_since: float | None = None
        self._bindings_key: tuple[bool, ...] | None = None
        self.family_note = family_note(session)
        self._showed_responsible = False
        self.flash_text = ""
        self._flash_timer: Timer | None = None

    @property
    def shell(self) -> Shell:
        return cast(Shell, self.app)

    def say(self, message: str, severity: str = "information") -> None:
        self.shell.say(message, severity)

    # -- layout -------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield ReviewHeader(id="header")
        with Container(id="panes"):
            yield LetterView(self.session.display_text, id="letter")
            yield FindingsTable(self.scheme, id="findings")
        yield Footer(compact=True)

    @property
    def letter(self) -> LetterView:
        return self.query_one("#letter", LetterView)

    @property
    def table(self) -> FindingsTable:
        return self.query_one("#findings", FindingsTable)

    def on_mount(self) -> None:
        s = self.session
        start = s.index_of(s.review.position) if s.review.position else None
        start = start if start is not None else (0 if s.findings else -1)
        self.table.rebuild(s.findings, max(start, 0))
        self.letter.set_findings(s.findings, self.colours, start)
        self.table.focus()
        self.update_header()
        self.call_after_refresh(self._first_paint, start)

    def _first_paint(self, start: int) -> None:
        self.select(start)
        self.painted = True
        self._report_on_open()

    def _report_on_open(self) -> None:
        r = self.session.report
        if r.broken_review:
            self.say(
                f"Started a fresh review; the broken one is kept at {Path(r.broken_review).name}"
            )
        if self.family_note:
            self.say(self.family_note, "warning")
        if r.read_only_reason:
            self.say(r.read_only_reason, "warning")
        elif self.session.read_only:
            self.say("Opened read-only: changes cannot be made; save-as writes a copy", "warning")
        if r.letter_changed:
            self.say(
                f"The letter has changed since it was reviewed: {counted(r.moved, 'finding')} "
                f"moved, {r.changed} changed, {r.orphans} could not be found (status 'orphan')",
                "warning",
            )
        if r.journal_available:
            self.app.push_screen(journal_question(), self._restore_answer)

    def _restore_answer(self, answer: str | None) -> None:
        if answer != "yes":  # no, or escape: the unsaved work is kept aside, never dropped
            try:
                aside = self.session.set_unsaved_work_aside()
            except StoreError as err:
                self.say(
                    f"{err}; reopen the letter and restore it before changing anything", "error"
                )
                return
            if aside is not None:
                self.say(f"Started from the saved review; the unsaved work is kept in {aside.name}")
            return
        try:
            self.session.restore_journal()
        except (AnnotationError, StoreError) as err:
            self.say(f"Could not restore the unsaved work: {err}", "error")
            return
        pos = self.session.index_of(self.session.review.position)
        self.after_change(pos if pos is not None else self.current)
        self.say("Restored the unsaved work")

    # -- helpers ------------------------------------------------------------------------

    @property
    def position_id(self) -> str:
        fs = self.session.findings
        return fs[self.current].id if 0 <= self.current < len(fs) else ""

    def update_header(self) -> None:
        s = self.session
        progress: Callable[[int], str] | None = None
        q = self.shell.queue
        if q is not None:
            q.record(
                q.index,
                s.review.status,
                len(s.findings),
                s.reviewed_count,
                letter=s.review.letter,
                scheme=s.scheme.id,
            )
            progress = self.shell.queue_progress
        self.query_one("#header", ReviewHeader).show(
            file_name=s.letter.path.name,
            authority=str(s.review.letter.get("authority", "")),
            letter_date=s.review.letter.get("letter_date"),
            reviewed=s.reviewed_count,
            total=len(s.findings),
            status=s.review.status,
            dirty=s.dirty,
            read_only=s.read_only,
            queue=progress,
            judgements=judgements_line(s.review.letter.get("judgements"), s.scheme),
            details=self.finding_details(family_details(s.review.letter, s.scheme)),
            flash=self.flash_text,
            note=s.review.note,
            warning=self.family_note,
            held_by=self.held_by(),
            problem=self.journal_problem(),
        )

    def flash(self, text: str) -> None:
        """Show in the header what the last decision key did, for a moment."""
        self._set_flash(text)
        self.update_header()

    def _set_flash(self, text: str) -> None:
        """The flash's text and its timer, for the next header update to show."""
        self.flash_text = text
        if self._flash_timer is not None:
            self._flash_timer.stop()
        self._flash_timer = self.set_timer(FLASH_SECONDS, self._end_flash)

    def _end_flash(self) -> None:
        self.flash_text = ""
        self._flash_timer = None
        self.update_header()

    def _key_prefix(self, key_id: str) -> str:
        """The flash's start: the first key of the binding that was pressed ("3 · ")."""
        keys = self.shell.keys_for(key_id).split(", ")[0]
        return f"{keys} · " if keys else ""

    def decided(self, i: int, what: str, key_id: str, *, advance: bool = True) -> None:
        """After a decision on finding `i`: go to the next unreviewed finding (unless
        `advance` says stay) and say so in the header."""
        prefix = self._key_prefix(key_id)
        if not advance:
            self._set_flash(f"{prefix}{what}")
            self.after_change(i)  # which shows the flash in the header: one header update
            return
        nxt = self.session.next_unreviewed(i)
        self._set_flash(
            f"{prefix}{what} · all reviewed" if nxt is None else f"{prefix}{what} → next"
        )
        self.after_change(nxt if nxt is not None else i)
        if nxt is None:
            keys_c = self.shell.keys_for("review.complete") or "c"
            self.say(f"Every finding is reviewed; press {keys_c} to mark the review complete")

    def finding_details(self, details: str) -> str:
        """The family's details and what the current finding has of its own: an area SEND
        report's responsible body, kept out of the finding's text."""
        fs = self.session.findings
        if 0 <= self.current < len(fs) and fs[self.current].responsible:
            own = f"Finding {self.current + 1} responsible: {fs[self.current].responsible}"
            return f"{own} · {details}" if details else own
        return details

    @property
    def locked_out(self) -> bool:
        """Read-only because another reviewer holds the lock (not --read-only)."""
        s = self.session
        return s.read_only and bool(s.report.read_only_reason)

    def held_by(self) -> str:
        if not self.locked_out:
            return ""
        owner = self.session.lock_owner or "another reviewer"
        keys = self.shell.keys_for("review.take_over_lock")
        hint = f"; {keys} takes the lock over if that reviewer is gone" if keys else ""
        return f"Open in another reviewer: {owner}{hint}"

    def journal_problem(self) -> str:
        problem = self.session.journal_problem
        if not problem:
            return ""
        # the folder is the review's own: its files by name leave room for the cause
        folder = str(self.session.review_path.parent).rstrip(os.sep) + os.sep
        return f"Unsaved work is not safe from a crash: {problem.replace(folder, '')}"

    def select(self, index: int, *, from_letter: bool = False) -> None:
        """Make a finding current: table cursor, letter highlight and (unless the reviewer is
        moving in the letter) the letter's cursor and scroll."""
        fs = self.session.findings
        if not fs:
            self.current = -1
            self.letter.set_current(-1)
            return
        index = min(max(index, 0), len(fs) - 1)
        self.current = index
        self.letter.set_current(index)
        f = fs[index]
        if not from_letter and f.anchor != "orphan":
            self.letter.show_offset(f.start)
        self.table.move_cursor(index)
        if f.responsible or self._showed_responsible:
            self._showed_responsible = bool(f.responsible)
            self.update_header()
        self.update_bindings()

    def update_bindings(self) -> None:
        """Refresh the footer only when what it shows can have changed (it recomposes)."""
        s = self.session
        key = (s.read_only, s.can_undo, s.can_redo, self.current >= len(s.findings) - 1)
        if key != self._bindings_key:
            self._bindings_key = key
            self.refresh_bindings()

    def after_change(self, row: int | None = None) -> None:
        """Refresh what a change touched; the crash journal follows shortly (debounced)."""
        s = self.session
        row = self.current if row is None else row
        row = min(max(row, 0), len(s.findings) - 1) if s.findings else -1
        self.table.refresh_rows(s.findings, max(row, 0))
        self.letter.set_findings(s.findings, self.colours, row)
        self.select(row)
        self.update_header()
        self.schedule_journal()
        self.update_bindings()

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

    def write_journal(self) -> None:
        """Write any unwritten change to the crash journal now."""
        self.cancel_journal()
        before = self.session.journal_problem
        self.session.autosave(position=self.position_id)
        if self.session.journal_problem != before:
            self.update_header()

    def cancel_journal(self) -> None:
        if self._journal_timer is not None:
            self._journal_timer.stop()
            self._journal_timer = None
        self._journal_since = None

    def change(
        self, fn: Callable[..., Any], *args: Any, row: Callable[[Any], int] | int | None = None
    ) -> bool:
        """Run a session correction; a SessionError becomes a warning."""
        try:
            result = fn(*args)
        except SessionError as err:
            self.say(str(err), "warning")
            return False
        self.after_change(row(result) if callable(row) else row)
        return True

    def _need_finding(self) -> bool:
        if 0 <= self.current < len(self.session.findings):
            return True
        self.say(
            "There is no finding here; select text in the letter and press a to add one", "warning"
        )
        return False

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        s = self.session
        if s.read_only and action in EDITING:
            return None
        if action == "undo" and not s.can_undo:
            return None
        if action == "redo" and not s.can_redo:
            return None
        if action == "merge" and self.current >= len(s.findings) - 1:
            return None
        if action == "take_over_lock":
            return self.locked_out
        return True

    # -- syncing the panes --------------------------------------------------------------

    @on(FindingsTable.FindingHighlighted)
    def _row_highlighted(self, event: FindingsTable.FindingHighlighted) -> None:
        if event.index != self.current:
            self.select(event.index)

    @on(LetterView.CursorMoved)
    def _letter_moved(self, event: LetterView.CursorMoved) -> None:
        i = self.session.finding_at(event.offset)
        if i is not None and i != self.current:
            self.select(i, from_letter=True)

    # -- actions: moving ----------------------------------------------------------------

    def action_next_finding(self) -> None:
        self.select(self.current + 1)

    def action_previous_finding(self) -> None:
        self.select(self.current - 1)

    def action_first_finding(self) -> None:
        self.select(0)

    def action_last_finding(self) -> None:
        self.select(len(self.session.findings) - 1)

    def action_switch_pane(self) -> None:
        if self.letter.has_focus:
            self.table.focus()
        else:
            self.letter.focus()

    # -- actions: corrections -----------------------------------------------------------

    def action_category(self, category: str) -> None:
        if not self._need_finding():
            return
        i = self.current
        try:
            self.session.set_category(i, category)
        except SessionError as err:
            self.say(str(err), "warning")
            return
        label = self.scheme.label_of(category)
        advance = self.shell.settings.advance
        self.decided(i, label, f"finding.category.{category}", advance=advance)

    def action_confirm(self) -> None:
        if not self._need_finding():
            return
        i = self.current
        try:
            self.session.confirm(i)
        except SessionError as err:
            self.say(str(err), "warning")
            return
        self.decided(i, "Confirmed", "finding.confirm")

    def action_edit_letter_note(self) -> None:
        from reviewer.tui.screens.edit import InputModal

        def done(note: str | None) -> None:
            if note is None or note.strip() == self.session.review.note:
                return
            if self.change(self.session.set_review_note, note):
                self.say("Letter note set" if note.strip() else "Letter note removed")

        self.app.push_screen(
            InputModal(
                "Note on the whole letter",
                self.session.review.note,
                hint="enter keep · escape cancel · empty removes the note",
            ),
            done,
        )

    def action_edit_text(self) -> None:
        from reviewer.tui.screens.edit import TextEditModal

        if not self._need_finding():
            return
        i = self.current
        f = self.session.findings[i]

        def done(text: str | None) -> None:
            if text is not None and text != sanitize(f.text):
                self.change(self.session.edit_text, i, text, row=i)

        self.app.push_screen(TextEditModal(f"Text of finding {i + 1}", f.text), done)

    def action_edit_note(self) -> None:
        from reviewer.tui.screens.edit import InputModal

        if not self._need_finding():
            return
        i = self.current
        f = self.session.findings[i]

        def done(note: str | None) -> None:
            if note is not None:
                self.change(self.session.set_note, i, note, row=i)

        self.app.push_screen(InputModal(f"Note on finding {i + 1}", f.note), done)

    def action_edit_responsible(self) -> None:
        from reviewer.tui.screens.edit import InputModal

        if not self._need_finding():
            return
        if "responsible" not in self.scheme.details.finding_fields:
            self.say(f"{self.scheme.short} findings have no responsible body", "warning")
            return
        i = self.current
        f = self.session.findings[i]

        def done(text: str | None) -> None:
            if text is not None:
                self.change(self.session.set_responsible, i, text, row=i)

        self.app.push_screen(InputModal(f"Who must act on finding {i + 1}", f.responsible), done)

    def action_split(self) -> None:
        if not self._need_finding():
            return
        i = self.current
        f = self.session.findings[i]
        span = self.letter.selected_span
        # A search hit (or any selection) splits at its start; else the cursor's place.
        at = span[0] if span is not None else self.letter.cursor_offset
        at_or_none = at if f.start < at < f.end else None
        self.change(self.session.split, i, at_or_none, row=i)

    def action_merge(self) -> None:
        if not self._need_finding():
            return
        i = self.current
        heading = self.session.heading_between(i) if i + 1 < len(self.session.findings) else ""
        if not heading:
            self.change(self.session.merge_next, i, row=i)
            return
        lost = self.scheme.label_of(self.session.findings[i + 1].category)

        def done(answer: str | None) -> None:
            if answer == "merge":
                self.change(self.session.merge_next, i, True, row=i)

        self.app.push_screen(merge_across_question(heading, lost), done)

    def action_delete(self) -> None:
        if self._need_finding():
            self.change(self.session.delete, self.current, row=self.current)

    def _ask_category(self, what: str, make: Callable[[str], int]) -> None:
        """Ask for the new finding's category first: it is made (and counts as reviewed)
        only once one is chosen; escape makes nothing."""

        def done(category: str | None) -> None:
            if category is None:
                self.say(f"No finding {what}: no category was chosen")
                return
            if self.change(make, category, row=lambda index: index):
                label = self.scheme.label_of(category)
                self.say(f"Finding {self.current + 1} {what}: {label}")

        self.app.push_screen(CategoryModal(self.scheme, self.shell.keys_for), done)

    def action_add(self) -> None:
        span = self.letter.selected_span
        if span is None:
            self.say(
                "Select the text in the letter first: tab to the letter, then shift+arrows",
                "warning",
            )
            return
        start, end = span
        if self.session.overlapping(*sorted(span)):
            # said before the category is asked; the session refuses it as well
            self.say("the selection overlaps a finding; split or delete that one first", "warning")
            return
        self._ask_category("added", lambda category: self.session.add(start, end, category))

    def action_rebound(self) -> None:
        span = self.letter.selected_span
        if span is None:
            self.say(
                "Select the finding's new extent in the letter first (tab, then shift+arrows)",
                "warning",
            )
            return
        if self.change(self.session.rebound, *span, row=lambda index: index):
            self.say(f"Finding {self.current + 1} now covers the selected text")

    def action_move_edge(self, edge: str, unit: str, step: int) -> None:
        """Move the current finding's start or end by a word or a sentence; the letter
        shows the new span with its moved edge in view."""
        if not self._need_finding():
            return
        i = self.current
        if self.change(self.session.move_edge, i, edge, unit, step, row=i):
            way = "previous" if step < 0 else "next"
            self._show_edge(i, edge, f"finding.{edge}_{unit}_{way}")

    def action_snap(self) -> None:
        if not self._need_finding():
            return
        i = self.current
        if self.change(self.session.snap, i, row=i):
            self._show_edge(i, "start", "finding.snap")

    def _show_edge(self, i: int, edge: str, key_id: str) -> None:
        f = self.session.findings[i]
        # on the last character: the offset past it may be where the next finding starts
        self.letter.show_offset(max(f.start, f.end - 1) if edge == "end" else f.start)
        prefix = self._key_prefix(key_id)
        label = self.session.undo_label or ""
        self.flash(f"{prefix}{label[:1].upper()}{label[1:]}")

    def action_promote(self) -> None:
        offset = self.letter.cursor_offset
        if self.session.paragraph_at(offset) is None:
            self.say("the letter cursor is not on a paragraph that can become a finding", "warning")
            return
        self._ask_category("promoted", lambda category: self.session.promote(offset, category))

    def action_themes(self) -> None:
        from reviewer.tui.screens.topics import ThemesModal

        if not self._need_finding():
            return
        i = self.current
        before = self.session.findings[i].themes
        taxonomy = load_taxonomy()

        def done(chosen: list[str] | None) -> None:
            if chosen is None:
                return
            wanted = set(chosen)
            order = [t.id for t in taxonomy.themes] + [t for t in before if t not in taxonomy.ids]
            flips = [t for t in order if (t in wanted) != (t in before)]
            if not flips:
                return
            for theme in flips:
                try:
                    self.session.toggle_theme(i, theme)
                except SessionError as err:
                    self.say(str(err), "warning")
                    break
            self.after_change(i)
            now = self.session.findings[i].themes
            labels = ", ".join(taxonomy.label_of(t) for t in now) or "none"
            self.say(f"Themes of finding {i + 1}: {labels}")

        self.app.push_screen(
            ThemesModal(
                f"Themes of finding {i + 1}",
                [(t.id, t.label) for t in taxonomy.themes],
                before,
            ),
            done,
        )

    def action_metadata(self) -> None:
        def done(values: dict[str, Any] | None) -> None:
            if values is not None:
                self.change(self.session.set_metadata, values)

        self.app.push_screen(MetadataModal(self.session.review.letter, self.scheme), done)

    def action_complete(self) -> None:
        s = self.session
        status = "in_progress" if s.review.status == "complete" else "complete"
        if self.change(s.set_review_status, status):
            left = len(s.findings) - s.reviewed_count
            if status == "complete" and left:
                n = "finding was" if left == 1 else "findings were"
                message = f"Marked complete; {left} {n} left as the machine had them"
            else:
                message = f"Review marked {status.replace('_', ' ')}"
            q = self.shell.queue
            if status == "complete" and q is not None:
                if q.index + 1 < len(q):
                    keys = self.shell.keys_for("queue.next") or "the next-letter key"
                    message += f". Save (ctrl+s) and press {keys} for the next letter"
                else:
                    message += ". This is the last letter of the queue"
            self.say(message)

    def action_take_over_lock(self) -> None:
        if not self.locked_out:
            return
        owner = self.session.lock_owner or "another reviewer"

        def done(answer: str | None) -> None:
            if answer != "yes":
                return
            try:
                self.session.take_over_lock()
            except StoreError as err:
                self.say(f"Could not take over the lock: {err}", "error")
                return
            self.update_header()
            self.update_bindings()
            self.say("The lock is yours: this review can be edited here now")
            if self.session.report.journal_available:
                self.app.push_screen(journal_question(), self._restore_answer)

        self.app.push_screen(take_over_question(owner), done)

    def action_council_history(self) -> None:
        from reviewer.tui.screens.history import history_modal

        try:
            modal = history_modal(self.session, self.current, self.shell.queue)
        except OSError as err:
            self.say(f"Could not read the council's history: {err}", "error")
            return
        self.app.push_screen(modal)

    def action_undo(self) -> None:
        self._history(self.session.undo, "Undone", "Nothing to undo")

    def action_redo(self) -> None:
        self._history(self.session.redo, "Redone", "Nothing to redo")

    def _history(self, step: Callable[[], str | None], done: str, nothing: str) -> None:
        before = list(self.session.findings)
        try:
            label = step()
        except SessionError as err:
            self.say(str(err), "warning")
            return
        if label is None:
            self.say(nothing)
            return
        where = changed_index(before, self.session.findings)
        self.after_change(where if where is not None else self.current)
        self.flash(f"{done}: {label}")

    # -- actions: search ----------------------------------------------------------------

    @property
    def last_query(self) -> Query:
        sh = self.shell
        return Query(sh.last_search, sh.search_case, sh.search_regex)

    def action_search(self) -> None:
        from reviewer.tui.screens.search import SearchScreen

        s = self.session
        self.app.push_screen(
            SearchScreen(
                s.display_text, s.findings, self.scheme, self.last_query, self._here, self.say
            ),
            self._searched,
        )

    def _searched(self, chosen: Chosen | None) -> None:
        if chosen is None:
            return
        self.shell.search_case = chosen.query.case_sensitive
        self.shell.search_regex = chosen.query.regex
        if chosen.hit is not None:
            self.shell.last_search = chosen.query.text
            self.go_to_hit(chosen.query, chosen.hit)

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

    def _here(self, query: Query) -> tuple[int, int]:
        """The place a search goes on from, as a hit key: its last hit, else the current
        finding's start when the table has focus, else just past the letter cursor."""
        if self._search_key is not None and self._search_query == query:
            return self._search_key
        s = self.session
        if 0 <= self.current < len(s.findings) and self.focused is self.table:
            return (s.findings[self.current].start, -1)
        return (self.letter.cursor_offset, 1)

    def run_search(self, text: str, step: int = 1) -> None:
        """Go to the next (`step` 1) or previous (-1) hit of a search, with the toggles in
        force, wrapping round at the end of the letter with a note."""
        query = Query(text, self.shell.search_case, self.shell.search_regex)
        s = self.session
        try:
            hits = find_hits(
                s.display_text,
                s.findings,
                text,
                case_sensitive=query.case_sensitive,
                regex=query.regex,
                limit=None,  # none is listed, so the steps go past the list's end
            )
        except SearchError as err:
            self.say(str(err), "warning")
            return
        if not hits:
            self.say(f"Not found: {text}", "warning")
            return
        here = self._here(query)
        if step > 0:
            hit = next((h for h in hits if h.key > here), None)
            wrapped, hit = hit is None, hit or hits[0]
            end = "start"
        else:
            hit = next((h for h in reversed(hits) if h.key < here), None)
            wrapped, hit = hit is None, hit or hits[-1]
            end = "end"
        if wrapped:
            self.say(f"Search wrapped to the {end}: {text}")
        self.go_to_hit(query, hit)

    def go_to_hit(self, query: Query, hit: Hit) -> None:
        """A hit in a finding selects it (a match in its text is also selected in the
        letter); a hit in letter text outside findings is shown selected in the letter."""
        self._search_key, self._search_query = hit.key, query
        if hit.finding is not None:
            self.select(hit.finding)
            if hit.where == "letter":
                self.letter.show_offset(hit.start, hit.end)
        else:
            self.letter.focus()
            self.letter.show_offset(hit.start, hit.end)

    @property
    def search_at(self) -> int | None:
        """Where the last hit gone to starts in the letter."""
        return self._search_key[0] if self._search_key is not None else None

    # -- actions: files -----------------------------------------------------------------

    def action_save(self) -> None:
        self.save_review()

    def save_review(self, then: Callable[[], object] | None = None, *, ask: bool = True) -> bool:
        """Save; on failure offer save-as (unless `ask` is false: the caller asks). True when
        the review was saved here; `then` runs once it is saved (here or under another name)."""
        s = self.session
        if s.read_only:
            self.say("This review is read-only; save a copy under another name", "warning")
            if ask:
                self.ask_save_as(then)
            return False
        try:
            self.cancel_journal()  # saving drops the journal; a pending write would remake it
            path = s.save(position=self.position_id)
        except (StoreError, SessionError) as err:
            self.say(str(err), "error")
            if ask:
                self.ask_save_as(then)
            return False
        self.update_header()
        self.say(f"Saved {path.name}")
        if then is not None:
            then()
        return True

    def ask_save_as(self, then: Callable[[], object] | None = None) -> None:
        from reviewer.tui.screens.edit import InputModal

        s = self.session
        suggestion = s.review_path.with_name(
            s.review_path.name.removesuffix(".toml") + ".copy.toml"
        )

        def done(answer: str | None) -> None:
            if not answer or not answer.strip():
                return
            target = Path(answer.strip()).expanduser()
            if not target.is_absolute():
                target = s.review_path.parent / target
            try:
                if s.read_only and target.resolve() == s.review_path.resolve():
                    raise SessionError(
                        "that review is open in another reviewer; choose another name"
                    )
                # The session writes the copy (its letter's path, a PDF's text beside it)
                # and moves to it: a read-only review's copy becomes this one's to edit.
                self.cancel_journal()
                s.save(target, position=self.position_id)
            except (StoreError, SessionError, OSError) as err:
                self.say(str(err), "error")
                self.ask_save_as(then)
                return
            self.update_header()
            self.say(f"Saved {target.name}")
            if then is not None:
                then()

        self.app.push_screen(
            InputModal("Save the review as", str(suggestion), hint="enter save · escape cancel"),
            done,
        )

    def on_resize(self) -> None:
        if self.painted:
            self.update_header()
