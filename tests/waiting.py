"""Waiting in pilot tests for what a user would wait for, however slow the machine.

A fixed pause passes on an idle machine and fails on a busy one: timers fire late and worker
threads get the processor late. `wait_until` waits for the condition the test means instead,
and fails with what it was waiting for if that never comes.
"""

from __future__ import annotations

import time
from collections.abc import Callable

# Far longer than anything takes on a loaded machine; reached only when the app is wrong.
TIMEOUT = 60.0
POLL = 0.02


async def wait_until(
    pilot,
    predicate: Callable[[], object],
    what: str,
    timeout: float = TIMEOUT,
    found: Callable[[], object] | None = None,
) -> None:
    """Let the app run until `predicate()` is true; after `timeout` s fail naming `what`
    (and what `found()` says is there instead, if given)."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            instead = f"; found {found()!r}" if found is not None else ""
            raise AssertionError(f"waited {timeout:g} s for {what}{instead}")
        await pilot.pause(POLL)
    await pilot.pause()  # and for the screen to show it


async def started(pilot) -> None:
    """Wait until the letter's screen has painted its first finding, as a user would."""

    def painted() -> bool:
        try:
            return pilot.app.review_screen.painted
        except LookupError:  # the letter's screen is not there yet
            return False

    await wait_until(pilot, painted, "the letter's first paint")


async def letter_opened(pilot, index: int) -> None:
    """Wait until the queue's letter `index` is open and painted (a move between letters
    opens the next one in a worker)."""
    app = pilot.app

    def opened() -> bool:
        screen = app.review_screen
        return (
            app.queue.index == index
            and app.screen is screen
            and screen.session is app.session
            and screen.painted
        )

    await wait_until(pilot, opened, f"letter {index + 1} of the queue to open")


async def steady(pilot) -> None:
    """Stop every text cursor on screen blinking, leaving it shown: a snapshot then does not
    depend on how long the machine took to reach it (a blink lasts half a second)."""
    for screen in pilot.app.screen_stack:
        for widget in screen.query("Input, TextArea"):
            widget.cursor_blink = False
    await pilot.pause()
