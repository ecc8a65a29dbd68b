"""The annotation file, schema version 1: build it, write it (tomli-w), read and validate it.

Other tools consume this file, so reading is strict: every problem names the key.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reviewer import __version__
from reviewer.errors import ReviewerError
from reviewer.model import FINDING_STATUSES, Document, Finding
from reviewer.review.findings_toml import FINDINGS_HEADER, parse_review_toml, table_toml
from reviewer.sanitize import sanitize_line
from reviewer.segment import letter_keys
from reviewer.settings import load_or_defaults
from reviewer.tomlfile import TomlFileError, read_text

SCHEMA_VERSION = 1
REVIEW_STATUSES = ("auto", "in_progress", "complete")
REVIEW_SUFFIX = ".review.toml"
ANCHOR_STATES = ("", "moved", "changed", "orphan")
# The type of each known `[letter]` key, from the one table of them.
LETTER_KEYS: dict[str, type] = {k.key: k.type for k in letter_keys.KEYS}


class AnnotationError(ReviewerError):
    """A review file that cannot be trusted; the message is one line naming the key.

    Values quoted from the file may hold newlines or control characters; they are made
    visible so the message stays one line and inert in a terminal.
    """

    def __init__(self, message: str) -> None:
        super().__init__(sanitize_line(message))


@dataclass
class Review:
    """Everything a review file holds, in memory."""

    source_path: str
    sha256: str
    encoding: str
    scheme: str
    letter: dict[str, Any]
    findings: list[Finding]
    reviewer: str = ""
    status: str = "auto"
    created: dt.datetime | None = None
    updated: dt.datetime | None = None
    tool: str = f"reviewer {__version__}"
    position: str = ""
    note: str = ""
    text_path: str = ""
    text_sha256: str = ""
    extractor: str = ""
    machine_findings: int = 0
    extra: dict[str, Any] = field(default_factory=dict)  # unknown top-level keys, kept
    review_extra: dict[str, Any] = field(default_factory=dict)  # unknown [review] keys
    source_extra: dict[str, Any] = field(default_factory=dict)  # unknown [source] keys


def review_path_for(letter_path: str | Path) -> Path:
    """`letter.txt` -> `letter.review.toml` beside it (also what `segment --out-dir` writes)."""
    p = Path(letter_path)
    return p.with_name(p.stem + REVIEW_SUFFIX)


def source_path_for(letter: Path, review_folder: Path) -> str:
    """The letter's path as the review file records it: relative to the review's folder when
    the letter lies below it (so the pair can move together), else absolute."""
    try:
        return str(letter.resolve().relative_to(review_folder.resolve()))
    except ValueError:
        return str(letter.resolve())


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def default_reviewer() -> str:
    """The name on a new review: the settings' reviewer, else the login name."""
    settings, _problem = load_or_defaults()  # a broken settings file is the app's to say
    return settings.reviewer_name


def from_document(
    doc: Document, source_path: str, sha256: str, encoding: str, *, reviewer: str | None = None
) -> Review:
    """A new machine review of the document. `reviewer` is the name on it; without it, the
    settings' (`default_reviewer`, which reads the settings file: a batch reads it once
    and gives the name to every letter).

    The document's findings become the review's, each given its themes and the letter
    around it; they are not copied: a document is segmented for the one review made of it."""
    from reviewer.segment.topics import load_taxonomy

    tag = load_taxonomy().tag
    text = doc.text
    for f in doc.findings:
        f.themes = tag(f.text)
        f.context_before, f.context_after = context_of(text, f.start, f.end)
    stamp = now()
    return Review(
        source_path=source_path,
        sha256=sha256,
        encoding=encoding,
        scheme=doc.scheme,
        letter=dict(doc.metadata),
        findings=list(doc.findings),
        reviewer=default_reviewer() if reviewer is None else reviewer,
        created=stamp,
        updated=stamp,
        machine_findings=len(doc.findings),
    )


CONTEXT = 40


def context_of(text: str, start: int, end: int, width: int = CONTEXT) -> tuple[str, str]:
    """The raw ``width`` characters before ``start`` and after ``end``: the little of the
    letter a finding keeps around it, to be found again if the letter changes."""
    return text[max(0, start - width) : max(0, start)], text[end : end + width]


def to_dict(review: Review, findings: bool = True) -> dict[str, Any]:
    """The review as the file's tables; without ``findings`` (for the head of the file)."""
    review_table: dict[str, Any] = {
        "reviewer": review.reviewer,
        "status": review.status,
        "created": review.created or now(),
        "updated": review.updated or now(),
        "tool": review.tool,
        "scheme": review.scheme,
    }
    review_table["machine_findings"] = review.machine_findings
    if review.position:
        review_table["position"] = review.position
    if review.note:
        review_table["note"] = review.note
    for k, v in review.review_extra.items():
        review_table.setdefault(k, v)
    source: dict[str, Any] = {
        "path": review.source_path,
        "sha256": review.sha256,
        "encoding": review.encoding,
    }
    if review.text_path:
        source["text_path"] = review.text_path
        source["text_sha256"] = review.text_sha256
    if review.extractor:
        source["extractor"] = review.extractor
    for k, v in review.source_extra.items():
        source.setdefault(k, v)
    out: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "source": source,
        "review": review_table,
        "letter": {k: v for k, v in review.letter.items() if v is not None},
    }
    if findings:
        out["findings"] = [_finding_dict(f) for f in review.findings]
    for k, v in review.extra.items():
        out.setdefault(k, v)
    return out


def _finding_dict(f: Finding) -> dict[str, Any]:
    d: dict[str, Any] = {
        "id": f.id,
        "category": f.category,
        "auto_category": f.auto_category or "",
        "section": f.section,
        "text": f.text,
        "start": f.start,
        "end": f.end,
        "confidence": f.confidence,
        "status": f.status,
        "note": f.note,
    }
    if f.context_before:
        d["context_before"] = f.context_before
    if f.context_after:
        d["context_after"] = f.context_after
    if f.anchor:
        d["anchor"] = f.anchor
    if f.responsible:
        d["responsible"] = f.responsible
    if f.letter_text:
        d["letter_text"] = f.letter_text
    if f.split_from:
        d["split_from"] = f.split_from
    d["themes"] = list(f.themes)
    for k, v in f.extra.items():
        d.setdefault(k, v)
    return d


def dumps(review: Review, cache: dict[int, tuple[Finding, str]] | None = None) -> str:
    """The review as TOML text.

    With a `cache`, each finding's TOML is kept and reused while the finding object is the
    same (corrections replace findings rather than change them), so saving a review of
    thousands of findings after one correction formats one finding, not all of them.
    """
    if not review.findings:
        import tomli_w  # writing only: loaded at the first write

        return tomli_w.dumps(to_dict(review))  # says `findings = []`
    head, chunks = dumps_parts(review, {} if cache is None else cache)
    return join_parts(head, chunks)


def head_toml(review: Review) -> str:
    """Everything of the file but its findings, as TOML."""
    import tomli_w  # writing only: loaded at the first write

    return tomli_w.dumps(to_dict(review, findings=False))


def finding_toml(f: Finding) -> str:
    """One finding's table, as TOML without its ``[[findings]]`` line.

    Formatted as an element of the array, so a table kept among its unknown keys is
    written as ``[findings.x]`` and stays inside the finding.
    """
    d = _finding_dict(f)
    if any(isinstance(v, dict) for v in d.values()):
        import tomli_w  # writing only: loaded at the first write

        return tomli_w.dumps({"findings": [d]}).removeprefix("[[findings]]\n")
    return table_toml(d)  # tomli_w's text, without it trying the array inline


def dumps_parts(review: Review, cache: dict[int, tuple[Finding, str]]) -> tuple[str, list[str]]:
    """The file's head and each finding's TOML (see :func:`join_parts`), reusing `cache`."""
    chunks = findings_toml(review.findings, cache)
    assert chunks is not None  # never stopped
    return head_toml(review), chunks


# Findings formatted between two asks of `stopped` (a thread formatting 178,000 findings
# stops within a few milliseconds of being told to).
STOP_EVERY = 1024


def findings_toml(
    findings: Sequence[Finding],
    cache: dict[int, tuple[Finding, str]],
    stopped: Callable[[], bool] | None = None,
) -> list[str] | None:
    """Each finding's TOML, taken from `cache` where the finding object is the one cached;
    the cache then holds these findings' (other threads may read it meanwhile: an entry is
    used only for the very finding it was made of). None, the cache untouched, when
    `stopped` says so (asked every `STOP_EVERY` findings and at the end)."""
    chunks = []
    fresh: dict[int, tuple[Finding, str]] = {}
    for n, f in enumerate(findings):
        if stopped is not None and n % STOP_EVERY == 0 and stopped():
            return None
        hit = cache.get(id(f))
        chunk = hit[1] if hit is not None and hit[0] is f else finding_toml(f)
        fresh[id(f)] = (f, chunk)
        chunks.append(chunk)
    if stopped is not None and stopped():
        return None
    cache.clear()
    cache.update(fresh)
    return chunks


def join_parts(head: str, chunks: list[str]) -> str:
    """A whole review file from its head and its findings' TOML; a file this program
    wrote splits back at ``FINDINGS_HEADER`` (no value of ours holds a raw line break)."""
    return head + "".join(FINDINGS_HEADER + c for c in chunks)


def loads(text: str, source: str = "review file", categories: set[str] | None = None) -> Review:
    try:
        data = parse_review_toml(text, source)
    except TomlFileError as err:
        raise AnnotationError(str(err)) from None
    return from_dict(data, source, categories)


def load(path: str | Path, categories: set[str] | None = None) -> Review:
    """The one reader of review files: every command and the reviewer read them here."""
    return load_with_text(path, categories)[0]


def load_with_text(path: str | Path, categories: set[str] | None = None) -> tuple[Review, str]:
    """:func:`load`, with the text the review was read from (read once)."""
    p = Path(path)
    if not p.exists() and not p.is_symlink():
        raise AnnotationError(f"{p}: no such review file")
    try:
        text = read_text(p)
    except TomlFileError as err:
        raise AnnotationError(
            str(err).replace("this the right file", "this a review file")
        ) from None
    return loads(text, str(p), categories), text


def check_categories(review: Review, categories: set[str], source: str) -> list[str]:
    """Every category of a review that its scheme does not have, one line each."""
    problems = []
    names = ", ".join(sorted(categories))
    for i, f in enumerate(review.findings):
        if f.category not in categories:
            problems.append(
                f"{source}: findings[{i}] ({f.id}): key 'category' has unknown category "
                f"'{f.category}' (not in scheme); use one of {names}"
            )
        if f.auto_category and f.auto_category not in categories:
            problems.append(
                f"{source}: findings[{i}] ({f.id}): key 'auto_category' has "
                f"unknown auto_category '{f.auto_category}'; use one of {names}"
            )
    return problems


_ABSENT = object()


def _get(table: dict, key: str, kind, where: str, required: bool = True, default=None):
    value = table.get(key, _ABSENT)
    if type(value) is kind:  # the common case, first: 50,000 findings make a million calls
        return value
    if value is _ABSENT:
        if required:
            raise AnnotationError(f"{where}: missing key '{key}'")
        return default
    if kind is float and isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    if kind is int and isinstance(value, bool):
        raise AnnotationError(f"{where}: key '{key}' must be an integer")
    if not isinstance(value, kind):
        name = kind.__name__ if isinstance(kind, type) else "/".join(k.__name__ for k in kind)
        raise AnnotationError(f"{where}: key '{key}' must be {name}, not {type(value).__name__}")
    return value


def from_dict(
    data: dict, source: str = "review file", categories: set[str] | None = None
) -> Review:
    """Validate a parsed review file; `categories` (the scheme's ids) checks every category."""
    version = _get(data, "schema_version", int, source)
    if version > SCHEMA_VERSION:
        raise AnnotationError(
            f"{source}: schema_version {version} is newer than this program reads "
            f"({SCHEMA_VERSION}); upgrade reviewer"
        )
    if version < 1:
        raise AnnotationError(f"{source}: schema_version {version} is not valid; expected 1")
    src = _get(data, "source", dict, source)
    rev = _get(data, "review", dict, source)
    letter = _get(data, "letter", dict, source, required=False, default={})
    where = f"{source}: [source]"
    path = _get(src, "path", str, where)
    sha = _get(src, "sha256", str, where)
    enc = _get(src, "encoding", str, where)
    where = f"{source}: [review]"
    status = _get(rev, "status", str, where)
    if status not in REVIEW_STATUSES:
        raise AnnotationError(
            f"{where}: status '{status}' must be one of {', '.join(REVIEW_STATUSES)}"
        )
    machine = _get(rev, "machine_findings", int, where, False, 0)
    if machine < 0:
        raise AnnotationError(
            f"{where}: key 'machine_findings' is {machine}; it counts findings, so it must be "
            "0 or more"
        )
    review = Review(
        source_path=path,
        sha256=sha,
        encoding=enc,
        scheme=_get(rev, "scheme", str, where),
        letter={},
        findings=[],
        reviewer=_get(rev, "reviewer", str, where, False, ""),
        status=status,
        created=_get(rev, "created", dt.datetime, where, False),
        updated=_get(rev, "updated", dt.datetime, where, False),
        tool=_get(rev, "tool", str, where, False, ""),
        position=_get(rev, "position", str, where, False, ""),
        note=_get(rev, "note", str, where, False, ""),
        machine_findings=machine,
        text_path=_get(src, "text_path", str, f"{source}: [source]", False, ""),
        text_sha256=_get(src, "text_sha256", str, f"{source}: [source]", False, ""),
        extractor=_get(src, "extractor", str, f"{source}: [source]", False, ""),
    )
    for key, value in letter.items():
        kind = LETTER_KEYS.get(key)
        if kind is not None and not isinstance(value, kind):
            name = kind.__name__
            raise AnnotationError(f"{source}: [letter] key '{key}' must be {name}")
        if key == "letter_date" and isinstance(value, dt.datetime):
            raise AnnotationError(
                f"{source}: [letter] key 'letter_date' must be a date, not a time"
            )
        if key == "inspection_dates" and not all(
            isinstance(d, dt.date) and not isinstance(d, dt.datetime) for d in value
        ):
            raise AnnotationError(
                f"{source}: [letter] key 'inspection_dates' must be a list of dates"
            )
        if key in letter_keys.LIST_KEYS and not all(isinstance(c, str) for c in value):
            raise AnnotationError(f"{source}: [letter] key '{key}' must be a list of strings")
    review.letter = dict(letter)
    raw = _get(data, "findings", list, source, required=False, default=[])
    seen: set[str] = set()
    for i, f in enumerate(raw):
        where = f"{source}: findings[{i}]"
        if not isinstance(f, dict):
            raise AnnotationError(f"{where} must be a table")
        fid = _get(f, "id", str, where)
        if fid in seen:
            raise AnnotationError(f"{where}: key 'id' repeats '{fid}'; ids must be unique")
        seen.add(fid)
        cat = _get(f, "category", str, where)
        auto = _get(f, "auto_category", str, where, False, "")
        fstatus = _get(f, "status", str, where)
        if fstatus not in FINDING_STATUSES:
            raise AnnotationError(
                f"{where}: key 'status' is '{fstatus}'; use one of {', '.join(FINDING_STATUSES)}"
            )
        start = _get(f, "start", int, where)
        end = _get(f, "end", int, where)
        if start < 0 or end < start:
            raise AnnotationError(
                f"{where}: keys 'start'/'end' ({start}, {end}) are not a valid span"
            )
        confidence = _get(f, "confidence", float, where, False, 1.0)
        if not (math.isfinite(confidence) and 0.0 <= confidence <= 1.0):
            raise AnnotationError(
                f"{where}: key 'confidence' is {confidence}; it must be a number from 0 to 1"
            )
        anchor = _get(f, "anchor", str, where, False, "")
        if anchor not in ANCHOR_STATES:
            raise AnnotationError(
                f"{where}: key 'anchor' is '{anchor}'; use one of moved, changed, orphan "
                "(or leave it out)"
            )
        review.findings.append(
            Finding(
                id=fid,
                category=cat,
                auto_category=auto,
                section=_get(f, "section", str, where, False, ""),
                text=_get(f, "text", str, where),
                start=start,
                end=end,
                confidence=confidence,
                status=fstatus,
                note=_get(f, "note", str, where, False, ""),
                context_before=_get(f, "context_before", str, where, False, ""),
                context_after=_get(f, "context_after", str, where, False, ""),
                anchor=anchor,
                responsible=_get(f, "responsible", str, where, False, ""),
                letter_text=_get(f, "letter_text", str, where, False, ""),
                split_from=_get(f, "split_from", str, where, False, ""),
                themes=_themes(f, where),
                extra={k: v for k, v in f.items() if k not in _FINDING_KEYS},
            )
        )
    known = {"schema_version", "source", "review", "letter", "findings"}
    review.extra = {k: v for k, v in data.items() if k not in known}
    review.review_extra = {k: v for k, v in rev.items() if k not in _REVIEW_KEYS}
    review.source_extra = {k: v for k, v in src.items() if k not in _SOURCE_KEYS}
    if categories is not None:
        wrong = check_categories(review, categories, source)
        if wrong:
            raise AnnotationError(wrong[0])
    return review


_REVIEW_KEYS = frozenset(
    ("reviewer", "status", "created", "updated", "tool", "scheme", "machine_findings")
    + ("position", "note")
)
_SOURCE_KEYS = frozenset(("path", "sha256", "encoding", "text_path", "text_sha256", "extractor"))
_FINDING_KEYS = frozenset(
    ("id", "category", "auto_category", "section", "text", "start", "end", "confidence")
    + ("status", "note", "context_before", "context_after", "anchor", "responsible")
    + ("letter_text", "split_from", "themes")
)


def _themes(f: dict, where: str) -> tuple[str, ...]:
    raw = _get(f, "themes", list, where, False, [])
    if not all(isinstance(t, str) for t in raw):
        raise AnnotationError(f"{where}: key 'themes' must be a list of strings")
    return tuple(raw)


def check_against_letter(review: Review, text: str, sha256: str, source: str) -> list[str]:
    """Problems that tie a review to its letter: changed hash, offsets outside the text."""
    problems = []
    if review.sha256 != sha256:
        problems.append(
            f"{source}: [source] sha256 does not match the letter; the letter has changed"
        )
    return problems + check_offsets(review, len(text), source)


def check_offsets(review: Review, n: int, source: str) -> list[str]:
    """Findings (orphans too) whose offsets lie past the end of a letter of ``n`` characters."""
    return [
        f"{source}: findings[{i}] ({f.id}): offsets {f.start}-{f.end} are outside the letter "
        f"({n} characters); fix or move the review file"
        for i, f in enumerate(review.findings)
        if f.end > n
    ]
