"""Start-up without the cyclic garbage collector, until the first screen is shown.

Loading the program and reading a letter allocate many long-lived objects and free few;
the collector would walk them over and over for nothing (a tenth of the time to the first
screen). `reviewer`'s entry point holds collection (`hold`); what ends the start-up lets it
go (`release`): the review screen once it has painted the letter, every other command
once its arguments are read. The review screen also freezes what was made until then out
of later collections (the program and the letter, which live as long as the review), so
they only walk what the review makes as it goes.
"""

from __future__ import annotations

import gc

_held = False


def hold() -> None:
    """No cyclic collection until `release`."""
    global _held
    if gc.isenabled():
        gc.disable()
        _held = True


def release(*, freeze: bool = False) -> None:
    """Collection as usual again, if `hold` stopped it (otherwise nothing); `freeze` leaves
    every object made until now out of later collections."""
    global _held
    if _held:
        _held = False
        if freeze:
            gc.freeze()
        gc.enable()
