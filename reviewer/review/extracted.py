"""A PDF's extracted text, saved beside its review: the text the review's offsets index.

It is reused while it matches its hash, so a re-extraction cannot move a saved offset.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from reviewer.sources.letter import Letter, sha256_of

if TYPE_CHECKING:
    from reviewer.review.annotation import Review

TEXT_SUFFIX = ".extracted.txt"


def text_path_for(review_path: Path) -> Path:
    """`x.review.toml` -> `x.extracted.txt`: the text the review's offsets index."""
    name = review_path.name
    stem = name[: -len(".review.toml")] if name.endswith(".review.toml") else review_path.stem
    return review_path.with_name(stem + TEXT_SUFFIX)


def text_sha256(text: str) -> str:
    return sha256_of(text.encode("utf-8"))


def saved_text(letter: Letter, review_path: Path, review: Review | None) -> Letter:
    """A PDF's text as saved beside its review, when it is still the text of this PDF.

    Offsets index the saved text; re-extracting with another extractor, or another version
    of one, could move them.
    """
    if review is None or not review.text_path or review.sha256 != letter.sha256:
        return letter
    path = review_path.parent / review.text_path
    try:
        text = path.read_bytes().decode("utf-8")  # bytes: keep every line ending as saved
    except (OSError, UnicodeDecodeError):
        return letter
    if text_sha256(text) != review.text_sha256:
        return letter
    return Letter(letter.path, text, letter.encoding, letter.sha256, review.extractor)


def reextracted(letter: Letter, review: Review) -> bool:
    """Whether a PDF review's offsets index another text than the one just extracted
    (its saved text is gone, or was made by another extractor)."""
    return bool(
        letter.encoding == "pdf"
        and review.text_sha256
        and review.sha256 == letter.sha256
        and text_sha256(letter.text) != review.text_sha256
    )
