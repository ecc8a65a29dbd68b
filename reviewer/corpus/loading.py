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
