"""A new letter read and segmented in a child process while the review screen loads.

`reviewer open` on a letter without a review spends its start on two things that need
nothing from each other: loading the terminal interface (Textual), and reading and
segmenting the letter (the segmenter's patterns, the register, the themes). With two
cores they can run at once. :meth:`HeadStart.begin` forks a child, bounded as a PDF's
reading is (:mod:`reviewer.sources.bounded`), that makes the new review
(:func:`reviewer.review.opening.new_review`) and sends it back; the open takes it when the
screen has loaded (:meth:`HeadStart.take`, for ``ReviewSession.open(..., made=)``).

The child only reads: it takes no lock and writes no file, and the session is opened from
what it sends exactly as from a letter read here. A letter's own fault (not found, not a
letter, a scheme that cannot be used) is the same error from the child as here. Whatever
else goes wrong (a bound, a child that died, a review file that appeared meanwhile) the
letter is read and segmented here, as without a head start.

Not begun where it cannot help: without `fork`, on one core, with a review file already
there (it is resumed, not segmented), or for a text letter over `TEXT_LIMIT` bytes, whose
review takes longer to send between processes than the interface takes to load.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from reviewer.errors import ReviewerError
from reviewer.sources import bounded
from reviewer.sources.read import is_pdf

if TYPE_CHECKING:
    from reviewer.review.opening import NewReview

TEXT_LIMIT = 1 << 20  # bytes of a text letter; a PDF's text is far smaller than its file


@dataclass
class HeadStart:
    """A new review being made in a child process, for the open to take."""

    letter_path: Path
    review_path: Path
    scheme: str | None
    pending: bounded.Pending | None

    @classmethod
    def begin(
        cls, letter_path: str | Path, review_path: str | Path | None = None, scheme=None
    ) -> HeadStart | None:
        """Start making the letter's new review in a child; None where that cannot help."""
        letter = Path(letter_path)
        rpath = _review_path(letter, review_path)
        if not isinstance(scheme, str | None) or not _two_cores() or not bounded.can_bound():
            return None
        try:
            if rpath.exists() or not letter.is_file():
                return None  # resumed, or an error the open says in one line
            if letter.stat().st_size > TEXT_LIMIT:
                with letter.open("rb") as f:
                    if not is_pdf(f.read(1024)):
                        return None
        except OSError:
            return None
        pending = bounded.start_bounded(_new_review, letter, rpath, scheme)
        return cls(letter, rpath, scheme, pending)

    def take(
        self, letter_path: str | Path, review_path: str | Path | None = None, scheme=None
    ) -> NewReview | None:
        """The new review the child made of this letter (waiting for it), for
        ``ReviewSession.open(..., made=)``; None when it has none to give (or was begun for
        another letter), so the open makes it itself. Raises the letter's own fault (a
        ReviewerError) as the open would."""
        pending, self.pending = self.pending, None
        if pending is None:
            return None
        letter = Path(letter_path)
        if (self.letter_path, self.review_path, self.scheme) != (
            letter,
            _review_path(letter, review_path),
            scheme,
        ):
            pending.cancel()
            return None
        try:
            made = pending.result()
        except ReviewerError:
            raise
        except Exception:  # noqa: BLE001 - a bound, a child that died: the open reads it here
            return None
        from reviewer.review.opening import NewReview

        return made if isinstance(made, NewReview) else None

    def cancel(self) -> None:
        """Not taken: the child is ended and its answer dropped."""
        pending, self.pending = self.pending, None
        if pending is not None:
            pending.cancel()


def _new_review(letter: Path, rpath: Path, scheme: str | None) -> NewReview:
    """The child's work; the open's modules load here, not before the fork."""
    from reviewer.review.opening import new_review

    return new_review(letter, rpath, scheme)


def _review_path(letter: Path, review_path: str | Path | None) -> Path:
    """The review file the open will use: the one asked for, else the letter's own."""
    if review_path:
        return Path(review_path)
    from reviewer.review.annotation import review_path_for

    return review_path_for(letter)


def _two_cores() -> bool:
    try:
        return len(os.sched_getaffinity(0)) > 1
    except (AttributeError, OSError):
        return (os.cpu_count() or 1) > 1
