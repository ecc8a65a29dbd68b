"""What the review screen shows of one letter, owned outside any UI: the current finding,
the search position, the flash of the last decision, the header's values, read-only state
and the queue's progress, with every correction made through the session.

:class:`ReviewController` is plain Python. A view subscribes to it (:meth:`subscribe`) and
is told, after each step, what to show again (:class:`Update`): the rows that changed, the
current finding, a new flash. It reads the rest from the controller's state, the header's
from one object (:class:`HeaderState`). Messages for the person go to the ``say`` callable
it was given; questions (save as what? restore the unsaved work?) are the view's to ask, and
their answers come back to a method here. Timers are the view's too: it calls
:meth:`end_flash` and :meth:`write_journal` when they run out.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from itertools import compress, count
from operator import is_not
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from reviewer.model import Document
from reviewer.review.annotation import AnnotationError
from reviewer.review.session import ReviewSession, SessionError
from reviewer.review.store import StoreError
from reviewer.segment.scheme import Scheme, detect_scheme

if TYPE_CHECKING:
    # type only: the queue (and what describing its letters needs) loads when a queue opens,
    # the search at the first search
    from reviewer.review.queue import LetterQueue
    from reviewer.review.search import Hit, Query

Say = Callable[[str, str], None]
KeysFor = Callable[[str], str]


def _silent(message: str, severity: str = "information") -> None:
    """Say nothing (a controller without a view)."""


def _no_keys(binding_id: str) -> str:
    return ""


def counted(n: int, noun: str) -> str:
    """ "1 finding", "2 findings"."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def family_note(session: ReviewSession) -> str:
    """What the header says for as long as a document is open when it fits no known family:
    the segmenter's note on first opening, the same test again when a saved review is resumed."""
    note = session.report.note
    if not note and not session.report.family_decided:
        from reviewer.segment.families import findings_note, no_scheme_note

        if detect_scheme(session.text) is None:
            note = no_scheme_note()
        elif not session.findings and not session.review.machine_findings:
            note = findings_note(Document(session.text, session.scheme.id), session.scheme)
    if note and note[:1].islower():
        note = f"This document {note}"
    return note


class QueueProgress(NamedTuple):
    """Where the open letter is in its queue and how far the queue has got."""

    position: int  # 1 for the first letter
    letters: int  # in the queue
    reviewed: int  # findings reviewed over every letter
    complete: int  # letters whose review is complete


class HeaderState(NamedTuple):
    """Everything the header shows, in one value: a view redraws it when it changes."""

    file_name: str
    authority: str
    letter_date: object
    reviewed: int
    total: int
    status: str
    dirty: bool
    read_only: bool
    letter: dict[str, Any]  # for the family's own details
    scheme: Scheme | None  # one per screen: compared by identity first, so at no cost
    queue: QueueProgress | None = None
    responsible: str = ""  # what the current finding has of its own (area SEND)
    flash: str = ""
    note: str = ""
    warning: str = ""  # the document fits no family
    held_by: str = ""  # another reviewer holds the lock, and how to take it over
    problem: str = ""  # unsaved work is not safe from a crash


class Update(NamedTuple):
    """What a view must show again after a step of the controller.

    `findings` is True when findings changed, `rows` then the only ones (None: any may
    have, rows came or went). `follow` says the letter should scroll to the current finding
    (False when the reviewer moved there in the letter). `flashed` says a new flash began:
    the view ends it with :meth:`ReviewController.end_flash` after a moment.
    """

    findings: bool = False
    rows: tuple[int, ...] | None = None
    follow: bool = True
    flashed: bool = False


class ReviewController:
    """One letter's review as the screen shows it; every action of the screen is a method."""

    def __init__(
        self,
        session: ReviewSession,
        *,
        queue: LetterQueue | None = None,
        say: Say | None = None,
        keys_for: KeysFor | None = None,
        advance: Callable[[], bool] = lambda: True,
    ) -> None:
        self.session = session
        self.queue = queue
        self.say: Say = say or _silent
        self.keys_for: KeysFor = keys_for or _no_keys
        self.advance = advance
        self.current = -1
        self.flash = ""
        self.family_note = family_note(session)
        self.search_query: Query | None = None
        self.search_key: tuple[int, int] | None = None  # the last hit gone to
        self.version = 0  # one more at each update
        self._problem_told = ""  # the journal problem as the header last had it
        self._listeners: list[Callable[[Update], None]] = []

    # -- observing --------------------------------------------------------------------------

    def subscribe(self, listener: Callable[[Update], None]) -> None:
        """Call `listener` with each :class:`Update` from now on."""
        self._listeners.append(listener)

    def _notify(self, update: Update) -> None:
        self.record_progress()
        self.version += 1
        for listener in self._listeners:
            listener(update)

    @property
    def header(self) -> HeaderState:
        s = self.session
        letter = s.review.letter
        return HeaderState(
            file_name=s.letter.path.name,
            authority=str(letter.get("authority", "")),
            letter_date=letter.get("letter_date"),
            reviewed=s.reviewed_count,
            total=len(s.findings),
            status=s.review.status,
            dirty=s.dirty,
            read_only=s.read_only,
            queue=self.queue_progress,
            letter=dict(letter),
            scheme=s.scheme,
            responsible=self.responsible,
            flash=self.flash,
            note=s.review.note,
            warning=self.family_note,
            held_by=self.held_by,
            problem=self.journal_problem,
        )

    @property
    def queue_progress(self) -> QueueProgress | None:
        q = self.queue
        if q is None:
            return None
        return QueueProgress(q.index + 1, len(q), q.reviewed, q.completed)

    def record_progress(self) -> None:
        """Tell the queue what the open review now says (its file may not be saved yet)."""
        q, s = self.queue, self.session
        if q is not None:
            q.record(
                q.index,
                s.review.status,
                len(s.findings),
                s.reviewed_count,
                letter=s.review.letter,
                scheme=s.scheme.id,
            )

    @property
    def responsible(self) -> str:
        """The current finding's responsible body (an area SEND report's), else ""."""
        fs = self.session.findings
        if 0 <= self.current < len(fs) and fs[self.current].responsible:
            return f"Finding {self.current + 1} responsible: {fs[self.current].responsible}"
        return ""

    @property
    def locked_out(self) -> bool:
        """Read-only because another reviewer holds the lock (not --read-only)."""
        s = self.session
        return s.read_only and bool(s.report.read_only_reason)

    @property
    def held_by(self) -> str:
        if not self.locked_out:
            return ""
        owner = self.session.lock_owner or "another reviewer"
        keys = self.keys_for("review.take_over_lock")
        hint = f"; {keys} takes the lock over if that reviewer is gone" if keys else ""
        return f"Open in another reviewer: {owner}{hint}"

    @property
    def journal_problem(self) -> str:
        problem = self.session.journal_problem
        if not problem:
            return ""
        # the folder is the review's own: its files by name leave room for the cause
        folder = str(self.session.review_path.parent).rstrip(os.sep) + os.sep
        return f"Unsaved work is not safe from a crash: {problem.replace(folder, '')}"

    @property
    def position_id(self) -> str:
        fs = self.session.findings
        return fs[self.current].id if 0 <= self.current < len(fs) else ""

    def allowed(self, action: str, editing: bool) -> bool:
        """Whether an action can be taken now (`editing`: it changes the review)."""
        s = self.session
        if s.read_only and editing:
            return False
        if action == "undo":
            return s.can_undo
        if action == "redo":
            return s.can_redo
        if action == "merge":
            return self.current < len(s.findings) - 1
        if action == "take_over_lock":
            return self.locked_out
        return True

    # -- opening ----------------------------------------------------------------------------

    def start(self) -> int:
        """The finding to start on: the saved position, else the first (-1 for none)."""
        s = self.session
        start = s.index_of(s.review.position) if s.review.position else None
        self.current = start if start is not None else (0 if s.findings else -1)
        return self.current

    def open_messages(self) -> list[tuple[str, str]]:
        """What to tell the person once the letter is on screen, with each one's severity."""
        r, s = self.session.report, self.session
        said: list[tuple[str, str]] = []
        if r.broken_review:
            name = Path(r.broken_review).name
            said.append(
                (f"Started a fresh review; the broken one is kept at {name}", "information")
            )
        if self.family_note:
            said.append((self.family_note, "warning"))
        if r.read_only_reason:
            said.append((r.read_only_reason, "warning"))
        elif s.read_only:
            said.append(
                ("Opened read-only: changes cannot be made; save-as writes a copy", "warning")
            )
        if r.letter_changed:
            said.append(
                (
                    f"The letter has changed since it was reviewed: {counted(r.moved, 'finding')} "
                    f"moved, {r.changed} changed, {r.orphans} could not be found (status 'orphan')",
                    "warning",
                )
            )
        return said

    def restore(self, answer: str | None) -> None:
        """The person's answer to "restore the unsaved work?": yes restores it; anything else
        keeps it aside, never drops it."""
        s = self.session
        if answer != "yes":
            try:
                aside = s.set_unsaved_work_aside()
            except StoreError as err:
                self.say(
                    f"{err}; reopen the letter and restore it before changing anything", "error"
                )
                return
            if aside is not None:
                self.say(
                    f"Started from the saved review; the unsaved work is kept in {aside.name}",
                    "information",
                )
            s.prepare_journal()  # the crash files are out of the way now
            return
        try:
            s.restore_journal()
        except (AnnotationError, StoreError) as err:
            self.say(f"Could not restore the unsaved work: {err}", "error")
            return
        pos = s.index_of(s.review.position)
        self._changed(pos if pos is not None else self.current)
        self.say("Restored the unsaved work", "information")

    def take_over_lock(self) -> bool:
        """Take the lock from a reviewer the person says is gone; True when it is ours."""
        try:
            self.session.take_over_lock()
        except StoreError as err:
            self.say(f"Could not take over the lock: {err}", "error")
            return False
        self._notify(Update())
        self.say("The lock is yours: this review can be edited here now", "information")
        return True

    # -- moving -----------------------------------------------------------------------------

    def select(self, index: int, *, from_letter: bool = False) -> None:
        """Make a finding current (kept inside the findings); `from_letter`: the reviewer
        moved there in the letter, which then keeps its own place."""
        n = len(self.session.findings)
        self.current = min(max(index, 0), n - 1) if n else -1
        self._notify(Update(follow=not from_letter))

    def select_at(self, offset: int) -> None:
        """The letter's cursor moved to `offset`: the finding there becomes current."""
        i = self.session.finding_at(offset)
        if i is not None and i != self.current:
            self.select(i, from_letter=True)

    def need_finding(self) -> bool:
        """Whether there is a current finding; says how to make one when there is not."""
        if 0 <= self.current < len(self.session.findings):
            return True
        self.say(
            "There is no finding here; select text in the letter and press a to add one", "warning"
        )
        return False

    # -- changing ---------------------------------------------------------------------------

    def change(
        self, name: str, *args: Any, row: Callable[[Any], int] | int | None = None
    ) -> tuple[bool, Any]:
        """Make the session's change `name`; a SessionError becomes a warning. (made, result);
        `row` is the finding to be current after it (or a function of the result)."""
        try:
            result = self.session.apply(name, *args)
        except SessionError as err:
            self.say(str(err), "warning")
            return False, None
        self._changed(row(result) if callable(row) else row)
        return True, result

    def _changed(self, row: int | None = None, *, flashed: bool = False) -> None:
        s = self.session
        row = self.current if row is None else row
        n = len(s.findings)
        self.current = min(max(row, 0), n - 1) if n else -1
        last = s.last_change
        rows = last.rows if last is not None else None
        self._notify(Update(findings=True, rows=rows, flashed=flashed))

    def _key_prefix(self, key_id: str) -> str:
        """The flash's start: the first key of the binding that was pressed ("3 · ")."""
        keys = self.keys_for(key_id).split(", ")[0]
        return f"{keys} · " if keys else ""

    def _decided(self, i: int, what: str, key_id: str, *, advance: bool = True) -> None:
        """After a decision on finding `i`: go to the next unreviewed finding (unless
        `advance` says stay) and say so in the flash."""
        prefix = self._key_prefix(key_id)
        if not advance:
            self.flash = f"{prefix}{what}"
            self._changed(i, flashed=True)
            return
        nxt = self.session.next_unreviewed(i)
        self.flash = f"{prefix}{what} · all reviewed" if nxt is None else f"{prefix}{what} → next"
        self._changed(nxt if nxt is not None else i, flashed=True)
        if nxt is None:
            keys_c = self.keys_for("review.complete") or "c"
            self.say(
                f"Every finding is reviewed; press {keys_c} to mark the review complete",
                "information",
            )

    def set_category(self, category: str) -> None:
        """The current finding's category; then on to the next unreviewed one (if the
        settings say advance)."""
        if not self.need_finding():
            return
        i = self.current
        try:
            self.session.set_category(i, category)
        except SessionError as err:
            self.say(str(err), "warning")
            return
        label = self.session.scheme.label_of(category)
        self._decided(i, label, f"finding.category.{category}", advance=self.advance())

    def confirm(self) -> None:
        """Accept the current finding as it stands, and go on to the next unreviewed one."""
        if not self.need_finding():
            return
        i = self.current
        try:
            self.session.confirm(i)
        except SessionError as err:
            self.say(str(err), "warning")
            return
        self._decided(i, "Confirmed", "finding.confirm")

    def set_themes(self, chosen: Sequence[str], order: Sequence[str]) -> None:
        """The current finding's themes as the themes dialog left them: one change, one undo
        step. `order` is the taxonomy's order, which new themes take."""
        i = self.current
        before = self.session.findings[i].themes
        wanted = set(chosen)
        themes = [t for t in before if t in wanted] + [
            t for t in order if t in wanted and t not in before
        ]
        themes += [t for t in chosen if t not in themes]
        if list(before) == themes:
            return
        self.change("set_themes", i, themes, row=i)

    def delete(self) -> None:
        """Delete the current finding."""
        if self.need_finding():
            self.change("delete", self.current, row=self.current)

    def split(self, at: int | None) -> None:
        """Split the current finding at letter offset `at` when it falls inside it (else
        where the session chooses: the sentence nearest its middle)."""
        if not self.need_finding():
            return
        f = self.session.findings[self.current]
        inside = at if at is not None and f.start < at < f.end else None
        self.change("split", self.current, inside, row=self.current)

    def merge_heading(self) -> str:
        """The heading between the current finding and the next that a merge would cross
        ("" when none: the merge needs no question)."""
        i, s = self.current, self.session
        return s.heading_between(i) if i >= 0 and i + 1 < len(s.findings) else ""

    def merge(self, across_heading: bool = False) -> None:
        """Merge the current finding with the next (`across_heading`: the person agreed)."""
        if self.need_finding():
            self.change("merge_next", self.current, across_heading, row=self.current)

    def can_add(self, span: tuple[int, int] | None) -> bool:
        """Whether the letter's selection `span` can become a new finding; says why not."""
        if span is None:
            self.say(
                "Select the text in the letter first: tab to the letter, then shift+arrows",
                "warning",
            )
            return False
        if self.session.overlapping(*sorted(span)):
            # said before the category is asked; the session refuses it as well
            self.say("the selection overlaps a finding; split or delete that one first", "warning")
            return False
        return True

    def can_promote(self, offset: int) -> bool:
        """Whether the paragraph at letter offset `offset` can become a finding; says why not."""
        if self.session.paragraph_at(offset) is None:
            self.say("the letter cursor is not on a paragraph that can become a finding", "warning")
            return False
        return True

    def new_finding(self, what: str, name: str, *args: Any, category: str) -> None:
        """Make a finding by the change `name` ("add", "promote") with the category chosen;
        it becomes current. `what` says how it came ("added")."""
        made, _ = self.change(name, *args, category, row=lambda index: index)
        if made:
            label = self.session.scheme.label_of(category)
            self.say(f"Finding {self.current + 1} {what}: {label}", "information")

    def rebound(self, span: tuple[int, int] | None) -> None:
        """The finding at the letter's selection `span` takes exactly that extent."""
        if span is None:
            self.say(
                "Select the finding's new extent in the letter first (tab, then shift+arrows)",
                "warning",
            )
            return
        made, _ = self.change("rebound", *span, row=lambda index: index)
        if made:
            self.say(f"Finding {self.current + 1} now covers the selected text", "information")

    def move_edge(self, edge: str, unit: str, step: int) -> int | None:
        """Move the current finding's start or end by a word or a sentence and flash what it
        did; the letter offset to show the moved edge at (None: nothing moved)."""
        if not self.need_finding():
            return None
        if not self.change("move_edge", self.current, edge, unit, step, row=self.current)[0]:
            return None
        way = "previous" if step < 0 else "next"
        return self._edge_moved(edge, f"finding.{edge}_{unit}_{way}")

    def snap(self) -> int | None:
        """Snap the current finding to the letter's item it is in (see the session); the
        letter offset to show its start at (None: nothing moved)."""
        if not self.need_finding() or not self.change("snap", self.current, row=self.current)[0]:
            return None
        return self._edge_moved("start", "finding.snap")

    def _edge_moved(self, edge: str, key_id: str) -> int:
        """Flash what a move of an edge did ("] · end on a word"); where the edge is now."""
        label = self.session.undo_label or ""
        self.show_flash(f"{self._key_prefix(key_id)}{label[:1].upper()}{label[1:]}")
        f = self.session.findings[self.current]
        # on the last character: the offset past it may be where the next finding starts
        return max(f.start, f.end - 1) if edge == "end" else f.start

    def edit(self, name: str, value: Any) -> None:
        """A change of the current finding's own words: "edit_text", "set_note",
        "set_responsible" to `value`."""
        if self.need_finding():
            self.change(name, self.current, value, row=self.current)

    def set_letter_note(self, note: str) -> None:
        """The note on the whole letter (empty removes it)."""
        if note.strip() == self.session.review.note:
            return
        made, _ = self.change("set_review_note", note)
        if made:
            self.say("Letter note set" if note.strip() else "Letter note removed", "information")

    def complete(self) -> None:
        """Mark the review complete, or back in progress; say what is left and what next."""
        s = self.session
        status = "in_progress" if s.review.status == "complete" else "complete"
        made, _ = self.change("set_review_status", status)
        if not made:
            return
        left = len(s.findings) - s.reviewed_count
        if status == "complete" and left:
            n = "finding was" if left == 1 else "findings were"
            message = f"Marked complete; {left} {n} left as the machine had them"
        else:
            message = f"Review marked {status.replace('_', ' ')}"
        q = self.queue
        if status == "complete" and q is not None:
            if q.index + 1 < len(q):
                keys = self.keys_for("queue.next") or "the next-letter key"
                message += f". Save (ctrl+s) and press {keys} for the next letter"
            else:
                message += ". This is the last letter of the queue"
        self.say(message, "information")

    def undo(self) -> None:
        self._history("undo", "Undone", "Nothing to undo")

    def redo(self) -> None:
        self._history("redo", "Redone", "Nothing to redo")

    def _history(self, name: str, done: str, nothing: str) -> None:
        before = list(self.session.findings)
        try:
            label = self.session.apply(name)
        except SessionError as err:
            self.say(str(err), "warning")
            return
        if label is None:
            self.say(nothing, "information")
            return
        where = changed_index(before, self.session.findings)
        self.flash = f"{done}: {label}"
        self._changed(where if where is not None else self.current, flashed=True)

    # -- the flash --------------------------------------------------------------------------

    def show_flash(self, text: str) -> None:
        """Show in the header what the last key did, until :meth:`end_flash`."""
        self.flash = text
        self._notify(Update(flashed=True, follow=False))

    def end_flash(self) -> None:
        self.flash = ""
        self._notify(Update(follow=False))

    # -- searching --------------------------------------------------------------------------

    def search_from(self, query: Query, *, in_table: bool, letter_cursor: int) -> tuple[int, int]:
        """The place a search goes on from, as a hit key: its last hit, else the current
        finding's start when the table has focus, else just past the letter cursor."""
        if self.search_key is not None and self.search_query == query:
            return self.search_key
        fs = self.session.findings
        if 0 <= self.current < len(fs) and in_table:
            return (fs[self.current].start, -1)
        return (letter_cursor, 1)

    def next_hit(self, query: Query, here: tuple[int, int], step: int = 1) -> Hit | None:
        """The next (`step` 1) or previous (-1) hit of a search after `here`, wrapping round
        at the end of the letter with a note; None (and a warning) when there is none."""
        from reviewer.review.search import SearchError, find_hits

        s = self.session
        try:
            hits = find_hits(
                s.display_text,
                s.findings,
                query.text,
                case_sensitive=query.case_sensitive,
                regex=query.regex,
                limit=None,  # none is listed, so the steps go past the list's end
            )
        except SearchError as err:
            self.say(str(err), "warning")
            return None
        if not hits:
            self.say(f"Not found: {query.text}", "warning")
            return None
        if step > 0:
            hit = next((h for h in hits if h.key > here), None)
            wrapped, hit = hit is None, hit or hits[0]
        else:
            hit = next((h for h in reversed(hits) if h.key < here), None)
            wrapped, hit = hit is None, hit or hits[-1]
        if wrapped:
            self.say(
                f"Search wrapped to the {'start' if step > 0 else 'end'}: {query.text}",
                "information",
            )
        return hit

    def went_to(self, query: Query, hit: Hit) -> None:
        """A hit was gone to: the search goes on from it; a hit in a finding selects it."""
        self.search_key, self.search_query = hit.key, query
        if hit.finding is not None:
            self.select(hit.finding)

    @property
    def search_at(self) -> int | None:
        """Where the last hit gone to starts in the letter."""
        return self.search_key[0] if self.search_key is not None else None

    # -- saving -----------------------------------------------------------------------------

    def save(self) -> bool:
        """Save the review where it is; False (with a warning or error said) when it cannot
        be, and a copy under another name (:meth:`save_as`) is what is left."""
        s = self.session
        if s.read_only:
            self.say("This review is read-only; save a copy under another name", "warning")
            return False
        try:
            path = s.save(position=self.position_id)
        except (StoreError, SessionError) as err:
            self.say(str(err), "error")
            return False
        self._notify(Update(follow=False))
        self.say(f"Saved {path.name}", "information")
        return True

    @property
    def copy_name(self) -> str:
        """What save-as suggests: the review's name with ".copy" before ".toml"."""
        path = self.session.review_path
        return str(path.with_name(path.name.removesuffix(".toml") + ".copy.toml"))

    def save_as(self, answer: str) -> bool:
        """Save the review under the name typed (relative to the review's folder); the
        session moves to it, so a read-only review's copy becomes this one's to edit. False
        (with the error said) when it cannot be written there."""
        s = self.session
        target = Path(answer.strip()).expanduser()
        if not target.is_absolute():
            target = s.review_path.parent / target
        try:
            if s.read_only and target.resolve() == s.review_path.resolve():
                raise SessionError("that review is open in another reviewer; choose another name")
            s.save(target, position=self.position_id)
        except (StoreError, SessionError, OSError) as err:
            self.say(str(err), "error")
            return False
        self._notify(Update(follow=False))
        self.say(f"Saved {target.name}", "information")
        return True

    def write_journal(self, done: Callable[[], None] | None = None) -> None:
        """Compact the crash journal into a snapshot of the unsaved work (the view's timer
        calls it): written on a thread of its own, which calls `done` when it is over; the
        view then calls :meth:`journal_written` (without `done`, this waits for it)."""
        self._problem_told = self.journal_problem
        if done is None:
            self.session.autosave(position=self.position_id)
            self.journal_written()
        else:
            self.session.start_autosave(position=self.position_id, done=done)

    def journal_written(self) -> None:
        """A snapshot was written, or could not be: the header says whether unsaved work is
        safe from a crash."""
        if self.journal_problem != self._problem_told:
            self._problem_told = self.journal_problem
            self._notify(Update(follow=False))


def changed_index(before: list[Any], after: list[Any]) -> int | None:
    """The first finding an undo or redo put back (corrections replace finding objects, so
    identity tells), for the cursor to go where the change was."""
    shared = min(len(before), len(after))
    first = next(compress(count(), map(is_not, before, after)), shared)
    if first < shared:
        return first
    # one added or taken away at the end; the controller keeps the row inside the findings
    return shared if len(before) != len(after) else None
