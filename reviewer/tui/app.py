"""The reviewer app: the letter beside its findings, corrected by keyboard alone.

A thin layer over `ReviewSession`: every action calls one session method, then refreshes
the affected table rows, the letter's highlighting and the header. The crash journal is
written shortly after (debounced), never on the keystroke itself. Given a `LetterQueue`,
the app reviews letters one after another.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any, ClassVar

from textual import on
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingsMap
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.containers import Container
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widgets import DataTable, Footer, TextArea

from reviewer.review.annotation import AnnotationError
from reviewer.review.queue import LetterQueue
from reviewer.review.session import ReviewSession, SessionError
from reviewer.review.store import StoreError, atomic_write
from reviewer.sanitize import sanitize, sanitize_line
from reviewer.segment.scheme import Scheme, SchemeError
from reviewer.segment.topics import load_taxonomy
from reviewer.sources.letter import InputError
from reviewer.tui.keymap import (
    Action,
    KeymapError,
    all_actions,
    display_key,
    load_keymap,
    split_keys,
)
from reviewer.tui.screens.dialogs import (
    HelpModal,
    InputModal,
    MetadataModal,
    TextEditModal,
    ThemesModal,
    journal_question,
    judgements_line,
    leave_question,
    quit_question,
)
from reviewer.tui.widgets import FindingsTable, LetterView, ReviewHeader

# What opening a letter of the queue can fail with; the app says it and moves on.
OPEN_ERRORS = (InputError, AnnotationError, SchemeError, StoreError, OSError)

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
        "metadata",
        "undo",
        "redo",
        "complete",
        "category",
        "themes",
        "promote",
    }
)
QUEUE_ACTIONS = frozenset({"next_letter", "previous_letter"})


class ReviewCommands(Provider):
    """Every action of the app in the command palette, with its keys."""

    def _entries(self) -> list[tuple[str, str, str]]:
        app = self.app
        assert isinstance(app, ReviewApp)
        return [(a.help, app.keys_for(a.id), a.action) for a in app.actions]

    async def discover(self) -> Hits:
        for title, keys, action in self._entries():
            yield DiscoveryHit(title, partial(self.app.run_action, action), help=f"keys: {keys}")

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, keys, action in self._entries():
            score = matcher.match(f"{title} {keys}")
            if score > 0:
                yield Hit(
                    score,
                    matcher.highlight(title),
                    partial(self.app.run_action, action),
                    help=f"keys: {keys}",
                )


class ReviewApp(App[None]):
    """Review one letter's findings, or a queue of letters one after another."""

    CSS_PATH = "app.tcss"
    TITLE = "reviewer"
    HORIZONTAL_BREAKPOINTS: ClassVar[list[tuple[int, str]]] = [(0, "-stacked"), (100, "-side")]
    COMMANDS = App.COMMANDS | {ReviewCommands}
    # The crash journal is written this long after the last change, and at least this
    # often while changes keep coming (seconds).
    AUTOSAVE_DELAY = 1.0
    AUTOSAVE_MAX_WAIT = 3.0

    def __init__(
        self,
        session: ReviewSession,
        keymap: str | Path | dict[str, str] = "default",
        *,
        user_keymap: bool | Path = True,
        queue: LetterQueue | None = None,
        open_session: Callable[[Path], ReviewSession] | None = None,
        notes: list[str] | None = None,
    ) -> None:
        super().__init__()
        self.session = session
        self.queue = queue
        self._open_session = open_session or ReviewSession.open
        self._notes = list(notes or [])
        self._user_keymap = user_keymap
        self._keymap_spec: str | Path | dict[str, str] = keymap
        self.keymap_name = "custom" if isinstance(keymap, dict) else Path(str(keymap)).stem
        self._install_bindings(session.scheme)
        self.current = -1
        self.last_search = ""
        self._search_at: int | None = None
        self._search_query = ""
        self._clean_exit = False
        self._journal_timer: Timer | None = None
        self._journal_since: float | None = None

    def _install_bindings(self, scheme: Scheme) -> None:
        """Bindings for a scheme's categories and every fixed action, keyed by the keymap.

        Called again when a letter of the queue has another scheme (a report after letters).
        """
        self.scheme = scheme
        self.actions: list[Action] = all_actions(scheme)
        spec = self._keymap_spec
        if isinstance(spec, dict):
            self.keymap = dict(spec)
        else:
            self.keymap = load_keymap(spec, scheme, user=self._user_keymap)
        merged = self._merged_bindings
        self._bindings = merged.copy() if merged is not None else BindingsMap()
        bindings = BindingsMap(
            [
                Binding(
                    a.keys,
                    a.action,
                    a.description,
                    show=a.show,
                    id=a.id,
                    priority=a.action in ("switch_pane", "command_palette"),
                    tooltip=a.help,
                )
                for a in self.actions
            ]
        )
        for key, found in bindings.key_to_bindings.items():
            self._bindings.key_to_bindings.setdefault(key, []).extend(found)
        self.colours = {c.id: c.colour for c in scheme.categories}

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
        self.set_keymap(self.keymap)
        for note in self._notes:
            self.say(note, "error")
        self._show_session()

    def _show_session(self) -> None:
        """Fill the panes from the session: table, highlighting, header, start position."""
        s = self.session
        start = s.index_of(s.review.position) if s.review.position else None
        start = start if start is not None else (0 if s.findings else -1)
        self.current = -1
        self._bindings_key = None
        self.table.rebuild(s.findings, max(start, 0))
        self.letter.set_findings(s.findings, self.colours, start)
        self.table.focus()
        self.update_header()
        self.call_after_refresh(self.select, start)
        self._report_on_open()

    def _report_on_open(self) -> None:
        r = self.session.report
        if r.broken_review:
            self.say(
                f"Started a fresh review; the broken one is kept at {Path(r.broken_review).name}"
            )
        if r.read_only_reason:
            self.say(r.read_only_reason, "warning")
        elif self.session.read_only:
            self.say("Opened read-only: changes cannot be made; save-as writes a copy", "warning")
        if r.letter_changed:
            self.say(
                f"The letter has changed since it was reviewed: {r.moved} findings moved, "
                f"{r.changed} changed, {r.orphans} could not be found (status 'orphan')",
                "warning",
            )
        if r.journal_available:
            self.push_screen(journal_question(), self._restore_answer)

    def _restore_answer(self, answer: str | None) -> None:
        if answer != "yes":
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

    def say(self, message: str, severity: str = "information") -> None:
        self.notify(sanitize(message), severity=severity, markup=False)  # type: ignore[arg-type]

    def keys_for(self, binding_id: str) -> str:
        return ", ".join(display_key(k) for k in split_keys(self.keymap.get(binding_id, "")))

    @property
    def position_id(self) -> str:
        fs = self.session.findings
        return fs[self.current].id if 0 <= self.current < len(fs) else ""

    def update_header(self) -> None:
        s = self.session
        progress = ""
        if self.queue is not None:
            q = self.queue
            q.record(q.index, s.review.status, len(s.findings), s.reviewed_count)
            progress = q.progress()
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
            judgements=judgements_line(s.review.letter.get("judgements")),
        )

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
        if self.table.cursor_row != index:
            self.table.fill()
            self.table.move_cursor(row=index, animate=False)
        self.update_bindings()

    def update_bindings(self) -> None:
        """Refresh the footer only when what it shows can have changed (it recomposes)."""
        s = self.session
        key = (s.read_only, s.can_undo, s.can_redo, self.current >= len(s.findings) - 1)
        if key != getattr(self, "_bindings_key", None):
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
        """Write the journal AUTOSAVE_DELAY after the last change, and no later than
        AUTOSAVE_MAX_WAIT after the first change not yet written: serialising 2,000
        findings takes longer than a keystroke may."""
        s = self.session
        if s.read_only or not s.dirty:
            return
        now = time.monotonic()
        if self._journal_since is None:
            self._journal_since = now
        wait = min(self.AUTOSAVE_DELAY, self._journal_since + self.AUTOSAVE_MAX_WAIT - now)
        if self._journal_timer is not None:
            self._journal_timer.stop()
        self._journal_timer = self.set_timer(max(0.01, wait), self.write_journal)

    @property
    def journal_pending(self) -> bool:
        return self._journal_since is not None

    def write_journal(self) -> None:
        """Write any unwritten change to the crash journal now."""
        self._cancel_journal()
        self.session.autosave(position=self.position_id)

    def _cancel_journal(self) -> None:
        if self._journal_timer is not None:
            self._journal_timer.stop()
            self._journal_timer = None
        self._journal_since = None

    def on_app_blur(self) -> None:
        # the terminal lost focus: the reviewer may be about to close it
        if self.journal_pending:
            self.write_journal()

    def action_suspend_process(self) -> None:
        if self.journal_pending:
            self.write_journal()
        super().action_suspend_process()

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
        if action == "switch_pane":
            # a priority binding (so tab is ours, not focus-next); inside dialogs it is not
            return not isinstance(self.screen, ModalScreen)
        if action in QUEUE_ACTIONS:
            return getattr(self, "queue", None) is not None
        s = getattr(self, "session", None)
        if s is None:
            return True
        if s.read_only and action in EDITING:
            return None
        if action == "undo" and not s.can_undo:
            return None
        if action == "redo" and not s.can_redo:
            return None
        if action == "merge" and self.current >= len(s.findings) - 1:
            return None
        return True

    # -- syncing the panes --------------------------------------------------------------

    @on(DataTable.RowHighlighted, "#findings")
    def _row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        table = self.table
        if event.cursor_row != table.cursor_row or event.cursor_row == self.current:
            return  # stale, or our own move
        self.select(event.cursor_row)

    @on(TextArea.SelectionChanged, "#letter")
    def _letter_moved(self, event: TextArea.SelectionChanged) -> None:
        letter = self.letter
        if not letter.has_focus or event.selection != letter.selection:
            return
        i = self.session.finding_at(letter.cursor_offset)
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
        if self._need_finding():
            self.change(self.session.set_category, self.current, category)

    def action_confirm(self) -> None:
        if not self._need_finding():
            return
        try:
            nxt = self.session.confirm(self.current)
        except SessionError as err:
            self.say(str(err), "warning")
            return
        self.after_change(nxt if nxt is not None else self.current)
        if nxt is None:
            self.say("Every finding is reviewed; press c to mark the review complete")

    def action_edit_text(self) -> None:
        if not self._need_finding():
            return
        i = self.current
        f = self.session.findings[i]

        def done(text: str | None) -> None:
            if text is not None and text != sanitize(f.text):
                self.change(self.session.edit_text, i, text, row=i)

        self.push_screen(TextEditModal(f"Text of finding {i + 1}", f.text), done)

    def action_edit_note(self) -> None:
        if not self._need_finding():
            return
        i = self.current
        f = self.session.findings[i]

        def done(note: str | None) -> None:
            if note is not None:
                self.change(self.session.set_note, i, note, row=i)

        self.push_screen(InputModal(f"Note on finding {i + 1}", f.note), done)

    def action_split(self) -> None:
        if not self._need_finding():
            return
        i = self.current
        f = self.session.findings[i]
        at = self.letter.cursor_offset
        at = at if f.start < at < f.end else None
        self.change(self.session.split, i, at, row=i)

    def action_merge(self) -> None:
        if self._need_finding():
            self.change(self.session.merge_next, self.current, row=self.current)

    def action_delete(self) -> None:
        if self._need_finding():
            self.change(self.session.delete, self.current, row=self.current)

    def action_add(self) -> None:
        span = self.letter.selected_span
        if span is None:
            self.say(
                "Select the text in the letter first: tab to the letter, then shift+arrows",
                "warning",
            )
            return
        if self.change(self.session.add, *span, row=lambda index: index):
            keys = "/".join(c.key for c in self.scheme.categories)
            self.say(f"Added finding {self.current + 1}; press {keys} to set its category")

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

    def action_promote(self) -> None:
        if self.change(self.session.promote, self.letter.cursor_offset, row=lambda index: index):
            keys = "/".join(c.key for c in self.scheme.categories)
            self.say(
                f"The paragraph is now finding {self.current + 1}; press {keys} for its category"
            )

    def action_themes(self) -> None:
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

        self.push_screen(
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

        report = self.scheme.layout == "report"
        self.push_screen(MetadataModal(self.session.review.letter, report=report), done)

    def action_complete(self) -> None:
        s = self.session
        status = "in_progress" if s.review.status == "complete" else "complete"
        if self.change(s.set_review_status, status):
            left = len(s.findings) - s.reviewed_count
            if status == "complete" and left:
                message = f"Marked complete; {left} findings were left as the machine had them"
            else:
                message = f"Review marked {status.replace('_', ' ')}"
            q = self.queue
            if status == "complete" and q is not None:
                if q.index + 1 < len(q):
                    keys = self.keys_for("queue.next") or "the next-letter key"
                    message += f". Save (ctrl+s) and press {keys} for the next letter"
                else:
                    message += ". This is the last letter of the queue"
            self.say(message)

    # -- actions: the queue ---------------------------------------------------------------

    def action_next_letter(self) -> None:
        self.go_letter(+1)

    def action_previous_letter(self) -> None:
        self.go_letter(-1)

    def go_letter(self, step: int) -> None:
        """Leave this letter for the next (+1) or previous (-1), asking about unsaved work."""
        q = self.queue
        if q is None:
            return
        target = q.index + step
        if not 0 <= target < len(q):
            self.say(f"This is the {'last' if step > 0 else 'first'} letter of the queue")
            return
        s = self.session
        if not s.dirty or s.read_only:
            self.run_worker(self.switch_letter(target, step), exclusive=True)
            return

        def done(answer: str | None) -> None:
            if answer == "save":
                if self.save_review():
                    self.run_worker(self.switch_letter(target, step), exclusive=True)
            elif answer == "discard":
                self.run_worker(self.switch_letter(target, step), exclusive=True)

        self.push_screen(leave_question("next" if step > 0 else "previous"), done)

    async def switch_letter(self, target: int, step: int = 1) -> bool:
        """Open the queue's letter `target` (or, if it cannot be opened, the next one that
        can, going in `step`'s direction) in place of this one; False if none could."""
        q = self.queue
        assert q is not None
        i = target
        new: ReviewSession | None = None
        while 0 <= i < len(q):
            item = q.items[i]
            try:
                new = self._open_session(item.letter)
                break
            except OPEN_ERRORS as err:
                item.error = str(err).splitlines()[0]
                self.say(f"Skipped letter {i + 1}: {item.error}", "error")
                i += step
        if new is None:
            self.say("No other letter could be opened; staying on this one", "warning")
            return False
        if new.scheme != self.scheme:
            try:
                self._install_bindings(new.scheme)
            except KeymapError as err:
                new.close()
                self._install_bindings(self.session.scheme)
                self.say(str(err), "error")
                return False
        old, old_index = self.session, q.index
        self._cancel_journal()
        was_dirty = old.dirty and not old.read_only
        old.close(clean=True)
        if was_dirty:
            q.reread(old_index)  # left without saving: the file's own progress counts
        self.session, q.index = new, i
        self.set_keymap(self.keymap)
        panes = self.query_one("#panes", Container)
        await panes.remove_children()
        await panes.mount(
            LetterView(new.display_text, id="letter"), FindingsTable(self.scheme, id="findings")
        )
        self._show_session()
        name = sanitize_line(new.letter.path.name)
        self.say(f"Letter {i + 1} of {len(q)}: {name}")
        return True

    def action_undo(self) -> None:
        self._history(self.session.undo, "Undone", "Nothing to undo")

    def action_redo(self) -> None:
        self._history(self.session.redo, "Redone", "Nothing to redo")

    def _history(self, step: Callable[[], str | None], done: str, nothing: str) -> None:
        try:
            label = step()
        except SessionError as err:
            self.say(str(err), "warning")
            return
        if label is None:
            self.say(nothing)
            return
        self.after_change(self.current)
        self.say(f"{done}: {label}")

    # -- actions: search ----------------------------------------------------------------

    def action_search(self) -> None:
        def done(query: str | None) -> None:
            if query and query.strip():
                self.last_search = query.strip()
                self.run_search(self.last_search)

        self.push_screen(
            InputModal(
                "Search findings and letter",
                self.last_search,
                hint="enter search · escape cancel · f3 again",
            ),
            done,
        )

    def action_search_next(self) -> None:
        if self.last_search:
            self.run_search(self.last_search)
        else:
            self.action_search()

    def run_search(self, query: str) -> None:
        """The next match after the last one, in letter order: a match inside a finding selects
        it; a note that matches counts at its finding's start; other text is shown in the letter.
        """
        q = query.casefold()
        s = self.session
        text = s.display_text.casefold()
        hits: set[int] = set()
        pos = text.find(q)
        while pos >= 0:
            hits.add(pos)
            pos = text.find(q, pos + 1)
        for f in s.findings:
            if f.anchor != "orphan" and q in f.note.casefold():
                hits.add(f.start)
        if not hits:
            self.say(f"Not found: {query}", "warning")
            return
        order = sorted(hits)
        if self._search_at is not None and self._search_query == q:
            here = self._search_at
        elif 0 <= self.current < len(s.findings) and self.focused is self.table:
            here = s.findings[self.current].start - 1
        else:
            here = self.letter.cursor_offset
        hit = next((h for h in order if h > here), order[0])
        if hit <= here:
            self.say(f"Search wrapped to the start: {query}")
        self._search_at, self._search_query = hit, q
        i = s.finding_at(hit)
        if i is not None:
            self.select(i)
            self.letter.show_offset(hit, hit + len(q))
        else:
            self.letter.focus()
            self.letter.show_offset(hit, hit + len(q))

    # -- actions: files -----------------------------------------------------------------

    def action_save(self) -> None:
        self.save_review()

    def save_review(self, then_quit: bool = False) -> bool:
        """Save; on failure offer save-as. True when the review was saved here."""
        s = self.session
        if s.read_only:
            self.say("This review is read-only; save a copy under another name", "warning")
            self.ask_save_as(then_quit)
            return False
        try:
            self._cancel_journal()  # saving drops the journal; a pending write would remake it
            path = s.save(position=self.position_id)
        except (StoreError, SessionError) as err:
            self.say(str(err), "error")
            self.ask_save_as(then_quit)
            return False
        self.update_header()
        self.say(f"Saved {path.name}")
        if then_quit:
            self.finish()
        return True

    def ask_save_as(self, then_quit: bool = False) -> None:
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
                if s.read_only:
                    if target.resolve() == s.review_path.resolve():
                        raise SessionError(
                            "that review is open in another reviewer; choose another name"
                        )
                    atomic_write(target, s.serialise(self.position_id))
                else:
                    s.save(target, position=self.position_id)
            except (StoreError, SessionError, OSError) as err:
                self.say(str(err), "error")
                self.ask_save_as(then_quit)
                return
            self.update_header()
            self.say(f"Saved {target.name}")
            if then_quit:
                self.finish()

        self.push_screen(
            InputModal("Save the review as", str(suggestion), hint="enter save · escape cancel"),
            done,
        )

    def action_help(self) -> None:
        rows = [(a.id, self.keys_for(a.id), a.help) for a in self.actions]
        self.push_screen(HelpModal(rows, self.keymap_name))

    def use_keymap(self, name_or_path: str | Path) -> None:
        """Switch to another keymap (the user's keymap still applies on top)."""
        self.keymap = load_keymap(name_or_path, self.scheme, user=self._user_keymap)
        self._keymap_spec = name_or_path
        self.keymap_name = Path(str(name_or_path)).stem
        self.set_keymap(self.keymap)

    async def action_quit(self) -> None:
        s = self.session
        if not s.dirty or s.read_only:
            self.finish()
            return

        def done(answer: str | None) -> None:
            if answer == "save":
                self.save_review(then_quit=True)
            elif answer == "discard":
                self.finish()

        self.push_screen(quit_question(), done)

    def finish(self) -> None:
        self._clean_exit = True
        self.exit()

    def on_unmount(self) -> None:
        if self._clean_exit:
            self._cancel_journal()
        elif self.journal_pending:
            self.write_journal()  # an unclean end: keep the very last change for recovery
        self.session.close(clean=self._clean_exit)


__all__ = ["ReviewApp", "ReviewCommands"]
