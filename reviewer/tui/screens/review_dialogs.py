"""The review screen's actions that ask the person something first: a category, a text, a
note, themes, the letter's details, a name to save under, whether to merge across a heading
or take over a lock. Each opens its dialog and hands the answer to the controller
(:class:`reviewer.review.controller.ReviewController`), which makes the change.

Every dialog (category, details, questions, edit, search, themes, a council's history) is
imported when first opened: the first screen needs none of them, and with the corpus and
Textual widgets they bring they are a good part of a start-up.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol, cast

from textual.screen import Screen

from reviewer.review.controller import ReviewController
from reviewer.sanitize import sanitize
from reviewer.segment.topics import load_taxonomy
from reviewer.settings import Settings
from reviewer.tui.widgets import LetterView

if TYPE_CHECKING:
    # type only: the queue (and what describing its letters needs) loads when a queue opens
    from reviewer.review.queue import LetterQueue
    from reviewer.tui.screens.search import Chosen


class Shell(Protocol):
    """What a review screen needs of the app around it (`ReviewApp`)."""

    queue: LetterQueue | None
    settings: Settings
    last_search: str
    search_case: bool
    search_regex: bool
    AUTOSAVE_DELAY: float
    AUTOSAVE_MAX_WAIT: float
    JOURNAL_RECORD_DELAY: float

    def say(self, message: str, severity: str = "information") -> None: ...
    def keys_for(self, binding_id: str) -> str: ...


class ReviewDialogs(Screen[None]):
    """The dialog half of the review screen (:class:`reviewer.tui.screens.review.ReviewScreen`
    is the rest): what it needs of that half is declared here."""

    controller: ReviewController

    @property
    def shell(self) -> Shell:
        return cast(Shell, self.app)

    @property
    def letter(self) -> LetterView:
        return self.query_one("#letter", LetterView)

    def say(self, message: str, severity: str = "information") -> None:
        self.shell.say(message, severity)

    def cancel_journal(self) -> None:
        raise NotImplementedError  # the screen's

    def go_to_hit(self, query: Any, hit: Any) -> None:
        raise NotImplementedError  # the screen's

    # -- on opening -------------------------------------------------------------------------

    def ask_restore(self) -> None:
        """Ask whether to restore the unsaved work a crash left."""
        from reviewer.tui.screens.confirm import journal_question

        self.app.push_screen(journal_question(), self.controller.restore)

    def action_take_over_lock(self) -> None:
        from reviewer.tui.screens.confirm import take_over_question

        c = self.controller
        if not c.locked_out:
            return
        owner = c.session.lock_owner or "another reviewer"

        def done(answer: str | None) -> None:
            if answer == "yes" and c.take_over_lock():
                self.refresh_bindings()
                if c.session.report.journal_available:
                    self.ask_restore()

        self.app.push_screen(take_over_question(owner), done)

    # -- texts ------------------------------------------------------------------------------

    def _ask_text(
        self, title: str, value: str, done: Callable[[str], object], hint: str = ""
    ) -> None:
        from reviewer.tui.screens.edit import InputModal

        def answered(text: str | None) -> None:
            if text is not None:
                done(text)

        self.app.push_screen(InputModal(title, value, hint=hint), answered)

    def action_edit_letter_note(self) -> None:
        c = self.controller

        hint = "enter keep · escape cancel · empty removes the note"
        self._ask_text("Note on the whole letter", c.session.review.note, c.set_letter_note, hint)

    def action_edit_text(self) -> None:
        from reviewer.tui.screens.edit import TextEditModal

        c = self.controller
        if not c.need_finding():
            return
        i = c.current
        f = c.session.findings[i]

        def done(text: str | None) -> None:
            if text is not None and text != sanitize(f.text):
                c.edit("edit_text", text)

        self.app.push_screen(TextEditModal(f"Text of finding {i + 1}", f.text), done)

    def action_edit_note(self) -> None:
        c = self.controller
        if c.need_finding():
            i = c.current
            done = lambda note: c.edit("set_note", note)  # noqa: E731
            self._ask_text(f"Note on finding {i + 1}", c.session.findings[i].note, done)

    def action_edit_responsible(self) -> None:
        c = self.controller
        if not c.need_finding():
            return
        scheme = c.session.scheme
        if "responsible" not in scheme.details.finding_fields:
            self.say(f"{scheme.short} findings have no responsible body", "warning")
            return
        i = c.current
        done = lambda text: c.edit("set_responsible", text)  # noqa: E731
        self._ask_text(f"Who must act on finding {i + 1}", c.session.findings[i].responsible, done)

    # -- new findings, merging ----------------------------------------------------------------

    def ask_category(self, what: str, change: str, *args: Any) -> None:
        """Ask for the new finding's category first: it is made (and counts as reviewed)
        only once one is chosen; escape makes nothing."""
        from reviewer.tui.screens.category import CategoryModal

        c = self.controller

        def done(category: str | None) -> None:
            if category is None:
                self.say(f"No finding {what}: no category was chosen")
            else:
                c.new_finding(what, change, *args, category=category)

        self.app.push_screen(CategoryModal(c.session.scheme, self.shell.keys_for), done)

    def action_merge(self) -> None:
        from reviewer.tui.screens.confirm import merge_across_question

        c = self.controller
        if not c.need_finding():
            return
        heading = c.merge_heading()
        if not heading:
            c.merge()
            return
        s = c.session
        lost = s.scheme.label_of(s.findings[c.current + 1].category)

        def done(answer: str | None) -> None:
            if answer == "merge":
                c.merge(across_heading=True)

        self.app.push_screen(merge_across_question(heading, lost), done)

    # -- themes, the letter's details ---------------------------------------------------------

    def action_themes(self) -> None:
        from reviewer.tui.screens.topics import ThemesModal

        c = self.controller
        if not c.need_finding():
            return
        i = c.current
        taxonomy = load_taxonomy()

        def done(chosen: list[str] | None) -> None:
            if chosen is None:
                return
            before = c.session.findings[i].themes
            c.set_themes(chosen, [t.id for t in taxonomy.themes])
            now = c.session.findings[i].themes
            if now != before:
                labels = ", ".join(taxonomy.label_of(t) for t in now) or "none"
                self.say(f"Themes of finding {i + 1}: {labels}")

        choices = [(t.id, t.label) for t in taxonomy.themes]
        before = c.session.findings[i].themes
        self.app.push_screen(ThemesModal(f"Themes of finding {i + 1}", choices, before), done)

    def action_metadata(self) -> None:
        from reviewer.tui.screens.metadata import MetadataModal

        c = self.controller

        def done(values: dict[str, Any] | None) -> None:
            if values is not None:
                c.change("set_metadata", values)

        self.app.push_screen(MetadataModal(c.session.review.letter, c.session.scheme), done)

    def action_council_history(self) -> None:
        from reviewer.tui.screens.history import history_modal

        c = self.controller
        try:
            modal = history_modal(c.session, c.current, self.shell.queue)
        except OSError as err:
            self.say(f"Could not read the council's history: {err}", "error")
            return
        self.app.push_screen(modal)

    # -- searching ----------------------------------------------------------------------------

    def action_search(self) -> None:
        from reviewer.review.search import Query
        from reviewer.tui.screens.search import SearchScreen

        s, sh = self.controller.session, self.shell
        last = Query(sh.last_search, sh.search_case, sh.search_regex)
        screen = SearchScreen(s.display_text, s.findings, s.scheme, last, self.here, self.say)
        self.app.push_screen(screen, self._searched)

    def here(self, query: Any) -> tuple[int, int]:
        """The place a search goes on from (see the controller's `search_from`)."""
        in_table = self.focused is not None and self.focused.id == "findings"
        return self.controller.search_from(
            query, in_table=in_table, letter_cursor=self.letter.cursor_offset
        )

    def _searched(self, chosen: Chosen | None) -> None:
        if chosen is None:
            return
        self.shell.search_case = chosen.query.case_sensitive
        self.shell.search_regex = chosen.query.regex
        if chosen.hit is not None:
            self.shell.last_search = chosen.query.text
            self.go_to_hit(chosen.query, chosen.hit)

    # -- saving -------------------------------------------------------------------------------

    def action_save(self) -> None:
        self.save_review()

    def save_review(self, then: Callable[[], object] | None = None, *, ask: bool = True) -> bool:
        """Save; on failure offer save-as (unless `ask` is false: the caller asks). True when
        the review was saved here; `then` runs once it is saved (here or under another name)."""
        if not self.controller.session.read_only:
            self.cancel_journal()  # saving drops the journal; a pending write would remake it
        if self.controller.save():
            if then is not None:
                then()
            return True
        if ask:
            self.ask_save_as(then)
        return False

    def ask_save_as(self, then: Callable[[], object] | None = None) -> None:
        from reviewer.tui.screens.edit import InputModal

        def done(answer: str | None) -> None:
            if not answer or not answer.strip():
                return
            self.cancel_journal()
            if not self.controller.save_as(answer):
                self.ask_save_as(then)
            elif then is not None:
                then()

        modal = InputModal(
            "Save the review as", self.controller.copy_name, hint="enter save · escape cancel"
        )
        self.app.push_screen(modal, done)
