"""A queue of letters reviewed one after another: which letters, how far each has got.

Pure: no Textual import. The status of each letter comes from its review file alone (read
by the one review-file reader, never segmenting the letter), so a folder of hundreds of
letters opens at once. What a letter without a review is (its family, authority and date)
takes reading and segmenting it: `describe` does that, for the UI to call off its thread.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reviewer.errors import ReviewerError
from reviewer.review import annotation
from reviewer.review.annotation import AnnotationError, review_path_for
from reviewer.review.council import UNKNOWN as UNKNOWN_COUNCIL
from reviewer.review.council import council_of, document_date
from reviewer.segment.families import segment_auto
from reviewer.segment.scheme import SchemeError, load_scheme
from reviewer.sources.read import read_letter

LETTER_SUFFIXES = (".txt", ".pdf")
SKIP_SUFFIX = ".extracted.txt"  # text pulled from a PDF and kept beside its review

COMPLETE = "complete"
IN_PROGRESS = "in_progress"
NOT_STARTED = "not_started"


class QueueError(ReviewerError):
    """Paths that make no queue; the message is one line naming the path."""


@dataclass(slots=True)
class QueueItem:
    """One letter of the queue and what its review file says."""

    letter: Path
    review: Path
    status: str = NOT_STARTED
    findings: int = 0
    reviewed: int = 0
    error: str = ""  # why the letter or its review could not be read, if it could not
    family: str = ""  # the scheme's short label ("Focused visit")
    authority: str = ""  # the register's council, else the name the document writes
    date: str = ""  # the letter's date, ISO (sorts as it reads)
    described: bool = False  # family, authority and date are known (or cannot be)

    @property
    def finished(self) -> bool:
        return self.status == COMPLETE


def _is_letter(path: Path) -> bool:
    name = path.name.lower()
    return name.endswith(LETTER_SUFFIXES) and not name.endswith(SKIP_SUFFIX)


def _folder_letters(folder: Path) -> list[Path]:
    """Letters in a folder and its subfolders, sorted; hidden folders and files are skipped."""
    found: list[Path] = []
    for path in sorted(folder.iterdir()):
        if path.name.startswith("."):
            continue
        if path.is_dir():
            found.extend(_folder_letters(path))
        elif path.is_file() and _is_letter(path):
            found.append(path)
    return found


def collect_letters(paths: Iterable[str | Path]) -> list[Path]:
    """The letters named, in order: files as given, folders expanded; duplicates once."""
    out: list[Path] = []
    seen: set[Path] = set()
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            found = _folder_letters(p)
        elif p.exists():
            found = [p]
        else:
            raise QueueError(f"{p}: no such file or folder")
        for f in found:
            key = f.resolve()
            if key not in seen:
                seen.add(key)
                out.append(f)
    return out


def read_item(letter: Path, review: Path | None = None) -> QueueItem:
    """A letter's progress as its review file records it; a broken file is "in progress"."""
    rpath = review or review_path_for(letter)
    item = QueueItem(letter, rpath)
    if not rpath.exists():
        return item
    try:
        saved = annotation.load(rpath)
    except AnnotationError as err:
        item.status = IN_PROGRESS
        item.error = f"{rpath.name}: cannot be read ({err})"
        return item
    status = saved.status
    _describe_from(item, saved.scheme, saved.letter)
    item.findings = len(saved.findings)
    item.reviewed = sum(1 for f in saved.findings if f.status != "auto")
    if status == COMPLETE:
        item.status = COMPLETE
    elif status == IN_PROGRESS or item.reviewed:
        item.status = IN_PROGRESS
    return item


def family_of(scheme_id: str) -> str:
    """A scheme's short label; the id itself for a scheme this program does not have."""
    try:
        return load_scheme(scheme_id).short
    except SchemeError:
        return scheme_id


def _describe_from(item: QueueItem, scheme_id: str, letter: Mapping[str, Any]) -> None:
    item.family = family_of(scheme_id) if scheme_id else ""
    # The council as stats, history and export name it: the register's name when the
    # document's council is recognised, else the name as written (none: empty).
    council = council_of(letter)
    item.authority = "" if council.name == UNKNOWN_COUNCIL else council.name
    # A document is dated as its scheme says (a report by the last day of its inspection).
    date = document_date(letter, scheme_id)
    item.date = date.isoformat() if date is not None else ""
    item.described = True


def describe(item: QueueItem) -> QueueItem:
    """The item with its family, authority and date, reading and segmenting the letter when
    its review does not say them (slow for a PDF: call it off the UI's thread)."""
    out = dataclasses.replace(item)
    if out.described:
        return out
    try:
        letter = read_letter(out.letter)
        doc, _note = segment_auto(letter.text)
    except ReviewerError as err:
        out.error = out.error or str(err).splitlines()[0]
        out.described = True
        return out
    _describe_from(out, doc.scheme, doc.metadata)
    if not out.review.exists():
        out.findings = len(doc.findings)  # what the machine will propose
    return out


class LetterQueue:
    """Letters in order, with the one being reviewed and the progress of all."""

    def __init__(self, items: list[QueueItem]) -> None:
        if not items:
            raise QueueError("no letters to review (looked for *.txt and *.pdf)")
        self.items = items
        self.index = 0

    @classmethod
    def from_paths(cls, paths: Iterable[str | Path]) -> LetterQueue:
        given = list(paths)
        letters = collect_letters(given)
        if not letters:
            shown = ", ".join(str(p) for p in given)
            raise QueueError(f"{shown}: no letters found (*.txt or *.pdf)")
        return cls([read_item(p) for p in letters])

    def __len__(self) -> int:
        return len(self.items)

    @property
    def current(self) -> QueueItem:
        return self.items[self.index]

    def first_unfinished(self) -> int:
        """Where to resume: the first letter whose review is not complete (else the first)."""
        return next((i for i, item in enumerate(self.items) if not item.finished), 0)

    def record(
        self,
        index: int,
        status: str,
        findings: int,
        reviewed: int,
        letter: Mapping[str, Any] | None = None,
        scheme: str = "",
    ) -> None:
        """What the open review of a letter now says (its file may not be saved yet): its
        progress and, given its letter keys and scheme, what it is."""
        item = self.items[index]
        if letter is not None:
            _describe_from(item, scheme, letter)
        item.status = COMPLETE if status == COMPLETE else (IN_PROGRESS if reviewed else status)
        if item.status not in (COMPLETE, IN_PROGRESS, NOT_STARTED):
            item.status = IN_PROGRESS
        item.findings = findings
        item.reviewed = reviewed

    def reread(self, index: int) -> None:
        """Read a letter's progress from its review file again (after leaving it unsaved)."""
        old = self.items[index]
        fresh = read_item(old.letter, old.review)
        fresh.error = old.error or fresh.error
        if not fresh.described and old.described:  # no file to say it: what was known stays
            fresh.family, fresh.authority, fresh.date = old.family, old.authority, old.date
            fresh.described = True
        self.items[index] = fresh

    def learn(self, index: int, found: QueueItem) -> bool:
        """Take what `describe` found for a letter, unless the item has since been
        described another way (the letter was opened); True if the item changed."""
        item = self.items[index]
        if item.described or item.letter != found.letter:
            return False
        item.family, item.authority, item.date = found.family, found.authority, found.date
        item.error = item.error or found.error
        if item.status == NOT_STARTED and not item.review.exists():
            item.findings = found.findings
        item.described = True
        return True

    @property
    def reviewed(self) -> int:
        return sum(item.reviewed for item in self.items)

    @property
    def completed(self) -> int:
        return sum(1 for item in self.items if item.finished)

    def progress(self) -> str:
        """The header's "letter 4 of 37 · 120 findings reviewed · 3 complete"."""
        return (
            f"letter {self.index + 1} of {len(self.items)} · "
            f"{self.reviewed} finding{'' if self.reviewed == 1 else 's'} reviewed · "
            f"{self.completed} complete"
        )
