"""The register of changes a review session can make, and the error a change refuses with.

A change is a method marked :func:`change`: it is registered in :data:`CHANGES` by its
name, and calling it goes through :meth:`reviewer.review.session.ReviewSession.apply`, which
takes the undo step and journals what it altered before it returns.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, NamedTuple, TypeVar

from reviewer.errors import ReviewerError

_C = TypeVar("_C", bound=Callable[..., Any])

CHANGES: dict[str, Callable[..., Any]] = {}
"""Every change a session can make, by name (the method's own): what
:meth:`ReviewSession.apply` runs. Filled by :func:`change`; the tests run over all of it."""


class Changed(NamedTuple):
    """What the last change altered, for a view to repaint only that.

    `rows` are the findings replaced in place (same count, same order); None when findings
    came, went or were all replaced (split, merge, undo...): every row may differ. `head`
    tells whether the review's letter details, status or note changed.
    """

    rows: tuple[int, ...] | None
    head: bool


class SessionError(ReviewerError):
    """A correction that cannot be made; the message says why in one line."""


def change(method: _C) -> _C:
    """Register a method of the session as a change, and make calling it go through
    :meth:`ReviewSession.apply` (undo checkpoint allowed, journaled before it returns)."""
    name = method.__name__
    CHANGES[name] = method

    @functools.wraps(method)
    def through_apply(self: Any, *args: Any, **kwargs: Any) -> Any:
        return self.apply(name, *args, **kwargs)

    return through_apply  # type: ignore[return-value]
