"""A letter as read from disk: its decoded text and the hash a review is tied to."""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

from reviewer.errors import ReviewerError

MAX_BYTES = 20 * 1024 * 1024


class InputError(ReviewerError):
    """Bad input; its message is one line saying what is wrong and what to do."""


class Letter(NamedTuple):
    path: Path
    text: str
    encoding: str
    sha256: str
    extractor: str = ""  # for a PDF: the program and version that extracted the text


def sha256_of(data: bytes) -> str:
    import hashlib

    return hashlib.sha256(data).hexdigest()
