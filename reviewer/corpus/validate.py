"""`reviewer validate`: check review files against the schema and against their letters."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz

from reviewer.review import annotation
from reviewer.review.annotation import AnnotationError
from reviewer.sanitize import sanitize_line
from reviewer.segment import authorities
from reviewer.segment.check import slice_holds
from reviewer.segment.scheme import SchemeError, load_scheme
from reviewer.sources.letter import InputError
from reviewer.sources.read import read_letter


def problems_of(path: Path) -> list[str]:
    """Every problem with one review file, one line each; an empty list means it is sound."""
    return checked(path)[0]


def checked(path: Path) -> tuple[list[str], list[str]]:
    """The problems and the warnings of one review file, one line each, from one reading."""
    try:
        review = annotation.load(path)
    except AnnotationError as err:
        return [sanitize_line(str(err))], []
    problems = [sanitize_line(p) for p in _problems(path, review)]
    warnings = [sanitize_line(f"{path}: warning: {w}") for w in council_warnings(review.letter)]
    return problems, warnings


def _problems(path: Path, review: annotation.Review) -> list[str]:
    try:
        scheme = load_scheme(review.scheme)
    except SchemeError as err:
        return [f"{path}: [review] scheme: {err}"]
    out = annotation.check_categories(review, set(scheme.by_id), str(path))
    letter_path = Path(review.source_path)
    if not letter_path.is_absolute():
        letter_path = path.parent / letter_path
    try:
        letter = read_letter(letter_path)
    except InputError as err:
        return out + [f"{path}: [source] path: {err}"]
    if letter.encoding == "pdf":
        from reviewer.review.extracted import saved_text, text_sha256

        if review.text_path:
            saved = path.parent / review.text_path
            try:
                digest = text_sha256(saved.read_bytes().decode("utf-8"))
            except (OSError, UnicodeDecodeError):
                out.append(f"{path}: [source] text_path: {saved.name} is missing or unreadable")
            else:
                if digest != review.text_sha256:
                    out.append(
                        f"{path}: [source] text_sha256: {saved.name} has changed since the "
                        "review was saved; its offsets no longer index it"
                    )
        letter = saved_text(letter, path, review)  # the offsets index the text saved with it
    out += annotation.check_against_letter(review, letter.text, letter.sha256, str(path))
    if review.sha256 == letter.sha256:
        n = len(letter.text)
        prev = 0
        for i, f in enumerate(review.findings):
            if f.anchor == "orphan" or f.end > n:
                continue
            if f.start < prev:
                out.append(f"{path}: findings[{i}] ({f.id}): overlaps the finding before it")
            prev = max(prev, f.end)
            if not _holds(letter.text[f.start : f.end], f):
                out.append(
                    f"{path}: findings[{i}] ({f.id}): the letter at {f.start}-{f.end} does not "
                    "hold the finding's text"
                )
    return out


def warnings_of(path: Path) -> list[str]:
    """What a person should look at in a sound review file, one line each: the council it
    is of is unknown, or its codes contradict the register. Not problems: the file is
    still valid, so the exit status does not change."""
    return checked(path)[1]


def council_warnings(letter: dict[str, Any]) -> list[str]:
    """The `[letter]` council keys checked against the register."""
    la_code = _text(letter, "la_code")
    name = _text(letter, "authority_name")
    written = _text(letter, "authority")
    if not la_code:
        if authorities.match(n for n in (name, written) if n) is None:
            said = f'"{written}"' if written else "no authority"
            return [
                f"[letter] authority: {said} names no council in the register, so la_code, "
                "gss_code and region are empty; choose the council in the metadata form"
            ]
        return []
    out = []
    if not any(a.la_code == la_code for a in authorities.register()):
        out.append(f'[letter] la_code: "{la_code}" is no council\'s LA code in the register')
    if name:
        found = authorities.find(name)
        if found is None:
            out.append(f'[letter] authority_name: "{name}" is no council in the register')
        elif found.authority.la_code != la_code:
            out.append(
                f'[letter] la_code: "{la_code}" disagrees with the register, which gives '
                f'{found.authority.name} the code "{found.authority.la_code}"'
            )
    meant = authorities.find(written) if written else None
    if not out and meant is not None and meant.authority.la_code != la_code:
        out.append(
            f'[letter] authority: "{written}" is {meant.authority.name} in the register '
            f'(LA code "{meant.authority.la_code}"), but la_code is "{la_code}"; '
            "choose the council in the details form"
        )
    return out


def _text(letter: dict[str, Any], key: str) -> str:
    value = letter.get(key)
    return value.strip() if isinstance(value, str) else ""


def _holds(piece: str, f) -> bool:
    """A reviewer may reword a finding (fix an extraction slip, say); its span must still be
    about the same words, not somewhere else in the letter."""
    if slice_holds(piece, f.letter_text or f.text):
        return True  # a rewritten finding's span holds the letter's words it records
    if f.status in ("corrected", "added"):
        return fuzz.token_set_ratio(piece.lower(), f.text.lower()) >= 60
    return False


def validate_files(paths: list[Path]) -> int:
    """Print one line per problem and per warning; exit status 1 when any file has a
    problem, whatever the warnings."""
    bad = 0
    for p in paths:
        if p.is_dir():
            files = sorted(p.rglob(f"*{annotation.REVIEW_SUFFIX}"))
            if not files:
                print(f"{p}: no review files in this folder", file=sys.stderr)
                bad += 1
            for f in files:
                bad += _report(f)
        else:
            bad += _report(p)
    return 1 if bad else 0


def _report(path: Path) -> int:
    if not path.exists():
        print(f"{path}: no such file", file=sys.stderr)
        return 1
    found, warnings = checked(path)
    for line in found + warnings:
        print(line)
    if not found:
        print(f"{path}: ok")
    return 1 if found else 0
