"""Questions with a few answers, each with its own key (quit, leave the letter, restore).

A question is answered by its keys only: the answers are shown with their keys but are not
buttons, so a stray click (in a browser, the click that gives the page the keyboard) or a
stray enter never answers one. Most of these questions decide what happens to unsaved work.
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Static

from reviewer.tui.screens.modal import Dialog


class QuestionModal(Dialog):
    """A question with a few answers, each with a key; escape gives None. Clicks and enter
    answer nothing."""

    def __init__(self, question: str, answers: Iterable[tuple[str, str, str]]) -> None:
        # answers: (value, key, label)
        super().__init__(classes="dialog-screen")
        self._question = question
        self._answers = list(answers)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text(self._question), classes="dialog-question")
            with Horizontal(classes="dialog-answers"):
                for value, key, label in self._answers:
                    yield Static(
                        Text.assemble((f" {key} ", "reverse bold"), f" {label}"),
                        id=f"answer-{value}",
                        classes="dialog-answer",
                    )

    def on_key(self, event: events.Key) -> None:
        for value, key, _ in self._answers:
            if event.key == key:
                event.stop()
                self.dismiss(value)
                return


def quit_question() -> QuestionModal:
    return QuestionModal(
        "There are unsaved changes. Save them before quitting?",
        [
            ("save", "s", "Save and quit"),
            ("discard", "d", "Quit without saving"),
            ("cancel", "c", "Cancel"),
        ],
    )


def leave_question(where: str) -> QuestionModal:
    """Asked before going to another letter of the queue with unsaved changes."""
    return QuestionModal(
        f"There are unsaved changes. Save them before going to the {where} letter?",
        [
            ("save", "s", "Save and go"),
            ("discard", "d", "Go without saving"),
            ("cancel", "c", "Cancel"),
        ],
    )


def journal_question() -> QuestionModal:
    return QuestionModal(
        "Unsaved work from a session that ended unexpectedly was found. Restore it?",
        [("yes", "y", "Restore"), ("no", "n", "Start from the saved review")],
    )


def merge_across_question(heading: str, lost: str) -> QuestionModal:
    """Merging two findings under different headings loses the second one's category."""
    shown = heading if len(heading) <= 60 else heading[:59].rstrip() + "…"
    return QuestionModal(
        f"The next finding is under another heading ({shown}). Merge them anyway? "
        f"The merged finding keeps the first one's category; {lost} is lost.",
        [("merge", "y", "Merge"), ("cancel", "n", "Cancel")],
    )


def take_over_question(owner: str) -> QuestionModal:
    """Taking another reviewer's lock: safe only when that reviewer is gone."""
    return QuestionModal(
        f"Take over the lock held by {owner}? If that reviewer is still working, one of you "
        "will lose work.",
        [("yes", "y", "Take over"), ("no", "n", "Cancel")],
    )
