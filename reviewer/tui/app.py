"""The reviewer app: a small shell around one `ReviewScreen` per letter.

The app holds what outlives a letter: the keymap, the command palette, help, quitting, the
colour theme and the queue. Moving through the queue switches screens; everything about
one letter (its bindings, actions, journal) is the screen's.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections import deque
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual import events
from textual.app import App
from textual.binding import BindingType
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.screen import ModalScreen

from reviewer.review.annotation import AnnotationError
from reviewer.review.controller import QueueProgress
from reviewer.review.session import ReviewSession
from reviewer.review.store import StoreError
from reviewer.sanitize import sanitize, sanitize_line
from reviewer.segment.scheme import Scheme, SchemeError
from reviewer.settings import Settings, SettingsError, load_or_defaults, remember
from reviewer.sources.letter import InputError
from reviewer.tui.keymap import (
    APP_ACTIONS,
    Action,
    KeymapError,
    all_actions,
    display_key,
    keymap_overrides,
    load_keymap,
    split_keys,
)
from reviewer.tui.screens.modal import Dialog
from reviewer.tui.screens.review import ReviewScreen, screen_class
from reviewer.tui.screens.review_bindings import binding_of
from reviewer.tui.serve import SERVER_PID_ENV
from reviewer.tui.widgets.header import progress_text

if TYPE_CHECKING:
    # type only: the queue (and what describing its letters needs) loads when a queue opens
    from reviewer.review.queue import LetterQueue

# What opening a letter of the queue can fail with; the app says it and moves on.
OPEN_ERRORS = (InputError, AnnotationError, SchemeError, StoreError, OSError)
QUEUE_ACTIONS = frozenset({"next_letter", "previous_letter"})
# How often a browser tab's reviewer checks that its server is still there (seconds).
SERVER_CHECK_EVERY = 0.5
# How many of the last keys received are remembered, to drop those typed after a refused one.
KEYS_REMEMBERED = 64
NO_QUEUE = "One letter is open, not a queue: open a folder or several letters for the overview"


class ReviewCommands(Provider):
    """Every action of the app in the command palette, with its keys."""

    def _entries(self) -> list[tuple[str, str, str]]:
        app = self.app
        assert isinstance(app, ReviewApp)
        return [(a.help, app.keys_for(a.id), a.action) for a in app.actions]

    def _run(self, action: str) -> None:
        app = self.app
        assert isinstance(app, ReviewApp)
        app.call_later(app.run_named_action, action)

    async def discover(self) -> Hits:
        for title, keys, action in self._entries():
            yield DiscoveryHit(title, partial(self._run, action), help=f"keys: {keys}")

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, keys, action in self._entries():
            score = matcher.match(f"{title} {keys}")
            if score > 0:
                yield Hit(
                    score,
                    matcher.highlight(title),
                    partial(self._run, action),
                    help=f"keys: {keys}",
                )


def queue_progress(queue: LetterQueue, width: int) -> str:
    """The queue's progress in at most `width` characters: shortened, never cut."""
    progress = QueueProgress(queue.index + 1, len(queue), queue.reviewed, queue.completed)
    return progress_text(progress, width)


class ReviewApp(App[None]):
    """Review one letter's findings, or a queue of letters one after another."""

    CSS_PATH = Path(__file__).with_name("app.tcss")  # also for subclasses elsewhere
    TITLE = "reviewer"
    COMMANDS = App.COMMANDS | {ReviewCommands}
    BINDINGS: ClassVar[list[BindingType]] = [binding_of(a) for a in APP_ACTIONS]
    # The crash journal is written this long after the last change, and at least this
    # often while changes keep coming (seconds).
    AUTOSAVE_DELAY = 1.0
    # Seconds after a review's first paint before its crash journal's full record is written
    # (on a thread): the screen settles first, and a key before then writes it itself.
    JOURNAL_RECORD_DELAY = 0.3
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
        settings: Settings | None = None,
    ) -> None:
        super().__init__()
        problem = ""
        if settings is None:
            settings, problem = load_or_defaults()
        self.settings = settings
        self.session = session
        self.queue = queue
        self._open_session = open_session or ReviewSession.open
        self._notes = list(notes or []) + ([problem] if problem else [])
        self._user_keymap = user_keymap
        self._keymap_spec: str | Path | dict[str, str] = keymap
        self.keymap_name = "custom" if isinstance(keymap, dict) else Path(str(keymap)).stem
        self.keymap: dict[str, str] = {}
        self.actions: list[Action] = []
        self._load_keymap(session)
        # the last search and its toggles, kept from letter to letter
        self.last_search = ""
        self._opening_dialog: Dialog | None = None
        self.search_case = False
        self.search_regex = False
        self.said: list[str] = []
        self._clean_exit = False
        self._review_screen: ReviewScreen | None = None
        # Type-ahead after a refused key: the keys received in order, the one being acted
        # on, and those received after a key that was refused (dropped when they come up).
        self._keys_received: deque[events.Key] = deque(maxlen=KEYS_REMEMBERED)
        self._key_in_hand: events.Key | None = None
        self._keys_to_drop: list[events.Key] = []
        self._keys_dropped: list[str] = []

    def _load_keymap(self, session: ReviewSession) -> None:
        """The keymap and actions for a letter's scheme (its categories have their own ids).
        Raises KeymapError; called again when a letter of the queue has another scheme."""
        actions = all_actions(session.scheme)
        spec = self._keymap_spec
        if isinstance(spec, dict):
            keymap = dict(spec)
        else:
            keymap = load_keymap(spec, session.scheme, user=self._user_keymap)
        self.actions, self.keymap = actions, keymap

    # -- the current letter ---------------------------------------------------------------

    @property
    def review_screen(self) -> ReviewScreen:
        if self._review_screen is None:
            raise LookupError("no letter is open yet")
        return self._review_screen

    @property
    def scheme(self) -> Scheme:
        return self.session.scheme

    def on_mount(self) -> None:
        if self.settings.theme in self.available_themes:
            self.theme = self.settings.theme
        self.theme_changed_signal.subscribe(self, self._remember_theme)
        self.set_keymap(keymap_overrides(self.keymap, self.actions))
        for note in self._notes:
            self.say(note, "error")
        self._review_screen = screen_class(self.session.scheme)(self.session, self.queue)
        self.push_screen(self._review_screen)
        self._watch_server()

    def _watch_server(self) -> None:
        """A browser tab's reviewer (`reviewer serve`) ends when its server is gone, however
        the server ended (killed, too): as a crash ends, keeping the crash journal, and
        letting go of the lock. Its parent changes when the server dies."""
        server = os.environ.get(SERVER_PID_ENV, "")
        if not server.isdigit():
            return

        def check() -> None:
            if os.getppid() != int(server):
                self.exit()

        check()
        self.set_interval(SERVER_CHECK_EVERY, check)

    def _remember_theme(self, theme: object) -> None:
        name = getattr(theme, "name", None)
        if isinstance(name, str) and name != self.settings.theme:
            self.settings = self.settings._replace(theme=name)
            try:
                remember("theme", name)
            except SettingsError as err:
                self.say(f"Could not remember the theme: {err}", "warning")

    async def on_event(self, event: events.Event) -> None:
        if not isinstance(event, events.Key):
            await super().on_event(event)
            return
        # Keys typed while a letter loads would act on it unseen: dropped until it is painted.
        # Keys typed ahead after a key that was refused would act on a state the person did
        # not expect (`a2` with `a` refused would set a category): dropped too.
        if (
            not self._letter_painted()
            or self._drop_if_after_refusal(event)
            or (self._keep_for_dialog(event))
        ):
            event.stop()
            event.prevent_default()
            return
        if not event.is_forwarded:
            self._keys_received.append(event)
        outer, self._key_in_hand = self._key_in_hand, event
        try:
            await super().on_event(event)
        finally:
            self._key_in_hand = outer

    def _keep_for_dialog(self, key: events.Key) -> bool:
        """Keys typed after one that opens a dialog belong to the dialog, not the letter: they
        come back here from the letter's screen (which had them before the dialog opened)
        and are kept for the dialog."""
        opening = self._opening_dialog
        if opening is None:
            return False
        if opening.takes_early_keys:
            opening.keep_early(key)
            return True
        self._opening_dialog = None
        return False

    def _drop_if_after_refusal(self, key: events.Key) -> bool:
        for i, waiting in enumerate(self._keys_to_drop):
            if waiting is key:
                del self._keys_to_drop[i]
                self._keys_dropped.append(display_key(key.key))
                n = len(self._keys_dropped)
                with contextlib.suppress(LookupError):
                    self.review_screen.controller.show_flash(
                        f"Dropped {n} key{'' if n == 1 else 's'} typed after a refused one: "
                        + " ".join(self._keys_dropped)
                    )
                return True
        return False

    def refused(self) -> None:
        """The key being acted on was refused: the keys received after it (typed ahead,
        before the refusal could be seen) are dropped as they come up; keys received from
        now on count."""
        key = self._key_in_hand
        if key is None:
            return
        received = list(self._keys_received)
        after = next((i + 1 for i, k in enumerate(received) if k is key), len(received))
        self._keys_to_drop = received[after:]
        self._keys_dropped = []
        self._keys_received.clear()

    def push_screen(self, screen: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(screen, Dialog):
            self._opening_dialog = screen
        return super().push_screen(screen, *args, **kwargs)

    def _letter_painted(self) -> bool:
        try:
            return self.review_screen.painted
        except LookupError:
            return False

    # -- helpers ------------------------------------------------------------------------

    def say(self, message: str, severity: str = "information") -> None:
        """Tell the person something; a warning or error while a key is acted on means
        that key was refused (see `refused`)."""
        if severity in ("warning", "error"):
            self.refused()
        clean = sanitize(message)
        self.said.append(clean)
        self.notify(clean, severity=severity, markup=False)  # type: ignore[arg-type]

    def keys_for(self, binding_id: str) -> str:
        return ", ".join(display_key(k) for k in split_keys(self.keymap.get(binding_id, "")))

    async def run_named_action(self, action: str) -> None:
        """Run an action chosen by name (the palette): the app's own, or the letter's."""
        name = action.split("(")[0]
        if any(a.action == action for a in APP_ACTIONS) or not hasattr(
            self.review_screen, f"action_{name}"
        ):
            await self.run_action(action)
        else:
            await self.run_action(action, self.review_screen)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if isinstance(self.screen, ModalScreen) and action in (
            *QUEUE_ACTIONS,
            "queue_overview",
            "help",
            "quit",
        ):
            return False  # answer the dialog first
        if action in QUEUE_ACTIONS:
            return self.queue is not None
        return True

    def on_app_blur(self) -> None:
        # the terminal lost focus: the reviewer may be about to close it
        with contextlib.suppress(LookupError):
            if self.review_screen.journal_pending:
                self.review_screen.write_journal()

    def action_suspend_process(self) -> None:
        with contextlib.suppress(LookupError):
            if self.review_screen.journal_pending:
                self.review_screen.write_journal()
        super().action_suspend_process()

    # -- the queue --------------------------------------------------------------------------

    def action_next_letter(self) -> None:
        self.go_letter(+1)

    def action_previous_letter(self) -> None:
        self.go_letter(-1)

    def action_queue_overview(self) -> None:
        from reviewer.tui.screens.overview import OverviewScreen  # when first opened

        if self.queue is None:
            self.say(NO_QUEUE)
            return

        def done(chosen: int | None) -> None:
            if chosen is not None:
                self.go_to(chosen)

        self.push_screen(OverviewScreen(self.queue), done)

    def go_letter(self, step: int) -> None:
        """Leave this letter for the next (+1) or previous (-1), saving it first."""
        q = self.queue
        if q is None:
            return
        target = q.index + step
        if not 0 <= target < len(q):
            self.say(f"This is the {'last' if step > 0 else 'first'} letter of the queue")
            return
        self.go_to(target, step=step, where="next" if step > 0 else "previous")

    def go_to(self, target: int, *, step: int = 0, where: str = "chosen") -> None:
        """Leave this letter for the queue's letter `target`: saved first when it has
        unsaved work (asking only if that fails, or if the settings say ask). A letter that
        cannot be opened is skipped in `step`'s direction; with step 0 the reviewer stays."""
        q = self.queue
        if q is None or not 0 <= target < len(q) or target == q.index:
            return

        def go() -> None:
            self.run_worker(self.switch_letter(target, step), exclusive=True)

        s = self.session
        if not s.dirty or s.read_only:
            go()
            return

        def done(answer: str | None) -> None:
            if answer == "save":
                self.review_screen.save_review(then=go)
            elif answer == "discard":
                go()

        if self.settings.save_on_move and self.review_screen.save_review(then=go, ask=False):
            return
        # asking is the setting, or the save failed: the reviewer decides, nothing is lost
        from reviewer.tui.screens.confirm import leave_question

        self.push_screen(leave_question(where), done)

    async def switch_letter(self, target: int, step: int = 1) -> bool:
        """Open the queue's letter `target` (or, if it cannot be opened, the next one that
        can, going in `step`'s direction; none with step 0) in place of this one; False if
        none could."""
        q = self.queue
        assert q is not None
        tries = range(target, len(q) if step > 0 else -1, step) if step else [target]
        new: ReviewSession | None = None
        for i in tries:
            item = q.items[i]
            try:
                new = self._open_session(item.letter)
                break
            except OPEN_ERRORS as err:
                item.error = str(err).splitlines()[0]
                self.say(
                    f"{'Skipped' if step else 'Cannot open'} letter {i + 1}: {item.error}", "error"
                )
        if new is None:
            if step:
                self.say("No other letter could be opened; staying on this one", "warning")
            return False
        old, old_index = self.session, q.index
        if new.scheme != old.scheme:
            try:
                self._load_keymap(new)
            except KeymapError as err:
                new.close()
                self._load_keymap(old)
                self.say(str(err), "error")
                return False
        self.review_screen.cancel_journal()
        was_dirty = old.dirty and not old.read_only
        old.close(clean=True)
        if was_dirty:
            q.reread(old_index)  # left without saving: the file's own progress counts
        self.session, q.index = new, i
        self.set_keymap(keymap_overrides(self.keymap, self.actions))
        self._review_screen = screen_class(new.scheme)(new, q)
        await self.switch_screen(self._review_screen)
        name = sanitize_line(new.letter.path.name)
        self.say(f"Letter {i + 1} of {len(q)}: {name}")
        return True

    # -- help, keymaps, quitting --------------------------------------------------------------

    def action_help(self) -> None:
        from reviewer.tui.screens.help import HelpModal  # when first opened

        rows = [(a.id, self.keys_for(a.id), a.help) for a in self.actions]
        self.push_screen(HelpModal(rows, self.keymap_name))

    def use_keymap(self, name_or_path: str | Path) -> None:
        """Switch to another keymap (the user's keymap still applies on top)."""
        self.keymap = load_keymap(name_or_path, self.session.scheme, user=self._user_keymap)
        self._keymap_spec = name_or_path
        self.keymap_name = Path(str(name_or_path)).stem
        self.set_keymap(keymap_overrides(self.keymap, self.actions))

    async def action_quit(self) -> None:
        s = self.session
        if not s.dirty or s.read_only:
            self.finish()
            return

        def done(answer: str | None) -> None:
            if answer == "save":
                self.review_screen.save_review(then=self.finish)
            elif answer == "discard":
                self.finish()

        if self.settings.save_on_move and self.review_screen.save_review(
            then=self.finish, ask=False
        ):
            return
        from reviewer.tui.screens.confirm import quit_question

        self.push_screen(quit_question(), done)

    def finish(self) -> None:
        self._clean_exit = True
        self.exit()

    def on_unmount(self) -> None:
        with contextlib.suppress(LookupError):
            screen = self.review_screen
            if self._clean_exit:
                screen.cancel_journal()
            elif screen.journal_pending:
                screen.write_journal()  # an unclean end: keep the very last change for recovery
        self.session.close(clean=self._clean_exit)

    def run(self, *args: Any, **kwargs: Any) -> Any:
        """Run, forgetting keys typed while the letter was being opened (they would act on
        it unseen) and, after, those the app did not read (they would go to the shell)."""
        _discard_typed_input()
        try:
            return super().run(*args, **kwargs)
        finally:
            _discard_typed_input()


def _discard_typed_input() -> None:
    try:
        import termios
    except ImportError:  # not a POSIX terminal
        return
    with contextlib.suppress(OSError, ValueError, termios.error):
        if sys.stdin.isatty():
            termios.tcflush(sys.stdin.fileno(), termios.TCIFLUSH)


__all__ = ["OPEN_ERRORS", "ReviewApp", "ReviewCommands", "queue_progress"]
