"""Many review files at once: find them in folders, load them, report the broken ones."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from reviewer.review import annotation
from reviewer.review.annotation import AnnotationError, Review


@dataclass(frozen=True, slots=True)
class Loaded:
    path: Path
    review: Review


def review_files(paths: Iterable[str | Path]) -> tuple[list[Path], list[str]]:
    """Review files named or found (recursively) in folders; problems as one-line messages."""
    files: list[Path] = []
    problems: list[str] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            found = sorted(p.rglob(f"*{annotation.REVIEW_SUFFIX}"))
            if not found:
                problems.append(
                    f"{p}: no review files (*{annotation.REVIEW_SUFFIX}) in this folder"
                )
            files.extend(found)
        elif p.is_file():
            files.append(p)
        else:
            problems.append(f"{p}: no such file or folder")
    return files, problems


def load_reviews(paths: Iterable[str | Path]) -> tuple[list[Loaded], list[str]]:
    """Load every review it can; a broken file is reported and the rest are still loaded."""
    files, problems = review_files(paths)
    loaded = []
    for f in files:
        try:
            loaded.append(Loaded(f, annotation.load(f)))
        except AnnotationError as err:
            problems.append(str(err))
    return loaded, problems


_STATUS_RANK = {"complete": 2, "in_progress": 1}


def one_per_document(loaded: Iterable[Loaded]) -> tuple[list[Loaded], list[str]]:
    """One review per document (the same sha256 is the same document), so a document reviewed
    twice counts once; a warning names the files. The review kept is the most finished
    (complete, then in progress, then the machine's), then the latest saved, then the first
    by path; the reviews keep their order."""
    items = list(loaded)
    groups: dict[str, list[Loaded]] = {}
    for item in items:
        groups.setdefault(item.review.sha256 or str(item.path), []).append(item)
    kept: set[int] = set()
    warnings: list[str] = []
    for same in groups.values():
        best = max(same, key=_preference)
        kept.add(id(best))
        if len(same) > 1:
            others = " and ".join(str(i.path) for i in same if i is not best)
            warnings.append(
                f"{best.path} and {others} review the same document (sha256 "
                f"{best.review.sha256[:12]}); counted once, from {best.path}"
            )
    return [i for i in items if id(i) in kept], warnings


def _preference(item: Loaded) -> tuple[int, str, str]:
    """Higher is kept: the more finished review, then the later saved, then the first path."""
    updated = item.review.updated.isoformat() if item.review.updated else ""
    inverted_path = "".join(chr(0x10FFFF - ord(c)) for c in str(item.path))
    return _STATUS_RANK.get(item.review.status, 0), updated, inverted_path
