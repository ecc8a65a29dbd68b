"""Segment many letters into review files, in parallel across cores."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from reviewer.review import annotation
from reviewer.review.annotation import AnnotationError
from reviewer.review.extracted import text_path_for, text_sha256
from reviewer.review.store import Lock, StoreError, atomic_write, settle
from reviewer.segment.authorities import match
from reviewer.segment.families import segment_auto
from reviewer.segment.scheme import Scheme, bundled, load_scheme
from reviewer.sources.bounded import Exceeded, run_each
from reviewer.sources.letter import InputError
from reviewer.sources.pdf import load_pdfium, refusal
from reviewer.sources.read import read_letter


@dataclass(frozen=True, slots=True)
class Outcome:
    letter: str
    output: str | None
    findings: int
    error: str | None
    note: str = ""


def review_text(
    path: Path, scheme: Scheme | None, review_dir: Path | None = None, reviewer: str | None = None
) -> tuple[str, int, str]:
    """The annotation TOML for one letter, its number of findings, and a note for the user.

    Without a scheme, the document's own family decides it (an old letter or a report).
    `reviewer` is the name on the review (the settings' when not given).

    For a PDF, the extracted text (which the offsets index) is saved beside the review in
    `review_dir` (made durable by `store.settle`, as the batch's other files are); printing
    to stdout writes no file at all.
    """
    letter = read_letter(path)
    doc, note = segment_auto(letter.text, scheme)
    source = path.name if review_dir is None else annotation.source_path_for(path, review_dir)
    review = annotation.from_document(
        doc, source, letter.sha256, letter.encoding, reviewer=reviewer
    )
    review.extractor = letter.extractor
    if letter.encoding == "pdf" and review_dir is not None:
        target = text_path_for(review_dir / (path.stem + annotation.REVIEW_SUFFIX))
        atomic_write(target, letter.text, backup=False, settle_later=True)
        review.text_path = target.name
        review.text_sha256 = text_sha256(letter.text)
    return annotation.dumps(review), len(doc.findings), note


def kept_review(target: Path) -> str | None:
    """Why an existing review file must not be replaced by fresh machine output, if it must not.

    A review a person has worked on (any status but "auto") or one open in the reviewer
    (a live lock) is kept; only a machine-made review is replaced (its old copy kept as .bak).
    """
    if not target.exists():
        return None
    if Lock(target).held_elsewhere():
        return "is open in the reviewer"
    try:
        status = annotation.load(target).status
    except AnnotationError:
        return "exists and cannot be read as a review"
    if status != "auto":
        return f"holds a person's review (status {status})"
    return None


# A letter of a batch: its path, the folder of the reviews, the scheme's name ("": each
# letter's own family), --force, and the name on the reviews (read once for the batch).
Job = tuple[str, str, str, bool, str]


def _one(job: Job) -> Outcome:
    path, out_dir, scheme_name, force, reviewer = job
    try:
        target = Path(out_dir) / (Path(path).stem + annotation.REVIEW_SUFFIX)
        why = None if force else kept_review(target)
        if why:
            return Outcome(
                path, None, 0, f"{target}: {why}; not replaced (use --force to replace it)"
            )
        scheme = _scheme_cache(scheme_name) if scheme_name else None
        text, n, note = review_text(Path(path), scheme, Path(out_dir), reviewer)
        atomic_write(target, text, settle_later=True)
        return Outcome(path, str(target), n, None, note)
    except (InputError, StoreError) as err:
        return Outcome(path, None, 0, str(err))


_SCHEMES: dict[str, Scheme] = {}


def _scheme_cache(name: str) -> Scheme:
    if name not in _SCHEMES:
        _SCHEMES[name] = load_scheme(name)
    return _SCHEMES[name]


def segment_many(
    paths: Iterable[Path],
    out_dir: Path,
    scheme_name: str | None,
    workers: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    force: bool = False,
) -> list[Outcome]:
    """Write `<stem>.review.toml` for each letter; failures are reported, never fatal.

    The files are made durable together once all are written (`store.settle`); a folder
    that cannot be flushed is reported as each letter's failure. The name on the reviews
    is the settings' reviewer, read once for the batch."""
    reviewer = annotation.default_reviewer()
    jobs = [(str(p), str(out_dir), scheme_name or "", force, reviewer) for p in paths]
    return _settled(_written(jobs, workers, progress))


def _settled(outcomes: list[Outcome]) -> list[Outcome]:
    written = [Path(o.output) for o in outcomes if o.output]
    written += [t for t in map(text_path_for, written) if t.exists()]
    try:
        settle(written)
    except StoreError as err:
        return [o if not o.output else Outcome(o.letter, None, 0, str(err)) for o in outcomes]
    return outcomes


def _written(
    jobs: list[Job],
    workers: int | None,
    progress: Callable[[int, int], None] | None,
) -> list[Outcome]:
    workers = workers or os.cpu_count() or 1
    results: list[Outcome] = []
    if len(jobs) >= 2 and any(job[0].lower().endswith(".pdf") for job in jobs):
        # Two PDFs or more: bounded workers, forked once each, whatever the number of
        # cores (read here, each PDF would fork a bounded child of its own: a hundredth
        # of a second a document).
        return _one_by_one(jobs, min(workers, len(jobs)), progress)
    if workers <= 1 or len(jobs) < 8:
        for i, job in enumerate(jobs, 1):
            results.append(_one(job))
            if progress:
                progress(i, len(jobs))
        return results
    # Loaded here, for text letters alone: a batch of PDFs does without it (a sixtieth of
    # a second before its workers start).
    from concurrent.futures import ProcessPoolExecutor

    chunk = max(1, min(64, len(jobs) // (workers * 4)))
    with ProcessPoolExecutor(max_workers=workers) as pool:
        for i, outcome in enumerate(pool.map(_one, jobs, chunksize=chunk), 1):
            results.append(outcome)
            if progress:
                progress(i, len(jobs))
    return results


def _one_by_one(
    jobs: list[Job],
    workers: int,
    progress: Callable[[int, int], None] | None,
) -> list[Outcome]:
    """PDFs vary from 4 pages to 100: each is its own task, the biggest started first, so
    one slow document holds up one core and no other document; results keep their order.

    Each worker process is bounded in memory and processor time once (`bounded.run_each`),
    the PDF-bomb defence, instead of forking a bounded child for every PDF; a document that
    goes over a bound is that document's one-line failure, and the batch goes on."""

    def size(job: Job) -> int:
        try:
            return os.stat(job[0]).st_size
        except OSError:
            return 0

    order = sorted(range(len(jobs)), key=lambda i: size(jobs[i]), reverse=True)
    results: list[Outcome | None] = [None] * len(jobs)
    _warm(jobs[0][2])
    each = run_each(_one, [(jobs[i],) for i in order], workers)
    for done, (k, answer) in enumerate(each, 1):
        path = jobs[order[k]][0]
        if isinstance(answer, Exceeded):
            answer = Outcome(path, None, 0, str(refusal(path, answer)))
        elif isinstance(answer, BaseException):
            raise answer
        results[order[k]] = answer
        if progress:
            progress(done, len(jobs))
    return [r for r in results if r is not None]


def _warm(scheme_name: str) -> None:
    """What every worker's first document would load, loaded once here before the workers
    are forked, so they share it instead of each loading it again: PDFium, the schemes,
    a report's grade reader and the register of councils (its index is built by a first
    look-up)."""
    load_pdfium()
    schemes = [_scheme_cache(scheme_name)] if scheme_name else bundled()
    for scheme in schemes:
        _ = scheme.segment  # the engine's patterns, compiled at a scheme's first use
        if scheme.segment.grades:
            import reviewer.segment.grades  # noqa: F401 - loaded at the first report otherwise
    match(["Ofsted"])


def progress_bar(stream=sys.stderr) -> Callable[[int, int], None]:
    """A one-line progress bar, redrawn in place; only used when stderr is a terminal."""

    def draw(done: int, total: int) -> None:
        width = 30
        filled = int(width * done / total) if total else width
        stream.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} letters")
        if done == total:
            stream.write("\n")
        stream.flush()

    return draw
