"""`reviewer export`: one row per finding, with the letter's metadata, as CSV or JSON Lines."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterator
from typing import Any

from reviewer.corpus.loading import Loaded
from reviewer.corpus.spreadsheet import guard_formula, line_end, with_mark

COLUMNS = [
    "file",
    "authority",
    "letter_date",
    "inspection_start",
    "inspection_end",
    "inspection_dates",
    "inspector_name",
    "inspector_role",
    "review_status",
    "reviewer",
    "review_note",
    "finding_id",
    "position",
    "category",
    "auto_category",
    "section",
    "status",
    "themes",
    "note",
    "confidence",
    "start",
    "end",
    "text",
]


# Letter keys with a column of their own above; every other [letter] key gets one too.
_SHOWN = {"authority", "letter_date", "inspection_dates", "inspector_name", "inspector_role"}
_TABLE_PREFIX = {"judgements": "judgement"}  # `judgement.leaders`, as the column was named


def _table_prefix(key: str) -> str:
    return _TABLE_PREFIX.get(key, key)


def letter_columns(loaded: list[Loaded]) -> list[str]:
    """A column for every [letter] key any review in the set has, in a stable order: the
    keys of the file format in its order, then others alphabetically; a table's keys become
    `<table>.<key>` columns (`judgement.overall_effectiveness`...)."""
    from reviewer.review.annotation import LETTER_KEYS

    plain: dict[str, None] = {}
    tables: dict[str, dict[str, None]] = {}
    for item in loaded:
        for key, value in item.review.letter.items():
            if isinstance(value, dict):
                tables.setdefault(key, {}).update(dict.fromkeys(value))
            elif key not in _SHOWN:
                plain.setdefault(key, None)
    order = {k: i for i, k in enumerate(LETTER_KEYS)}

    def rank(key: str) -> tuple[int, str]:
        return order.get(key, len(order)), key

    columns = [f"letter.{k}" if k in COLUMNS else k for k in sorted(plain, key=rank)]
    for key in sorted(tables, key=rank):
        columns += [f"{_table_prefix(key)}.{sub}" for sub in tables[key]]
    return columns


def judgement_columns(loaded: list[Loaded]) -> list[str]:
    """One column per judgement any report in the set has (`judgement.overall_effectiveness`...)."""
    return [c for c in letter_columns(loaded) if c.startswith("judgement.")]


def _cell(value: Any) -> Any:
    if isinstance(value, list):
        return [_cell(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return json.dumps({k: _cell(v) for k, v in value.items()}, ensure_ascii=False)
    return value


def _letter_cells(letter: dict[str, Any], columns: list[str]) -> dict[str, Any]:
    out = {}
    tables = {_table_prefix(k): v for k, v in letter.items() if isinstance(v, dict)}
    for column in columns:
        key = column.removeprefix("letter.")
        if key in letter and not isinstance(letter[key], dict):
            out[column] = _cell(letter[key])
            continue
        table, _, sub = column.partition(".")
        if sub and isinstance(tables.get(table), dict):
            out[column] = _cell(tables[table].get(sub, ""))
        else:
            out[column] = [] if column in _LIST_KEYS else ""
    return out


_LIST_KEYS = {"copy_to", "recipients"}


def columns_for(loaded: list[Loaded]) -> list[str]:
    """Every column of an export of these reviews, in order."""
    return COLUMNS + ["scheme", "responsible"] + letter_columns(loaded)


def rows(loaded: list[Loaded]) -> Iterator[dict[str, Any]]:
    columns = letter_columns(loaded)
    for item in loaded:
        r = item.review
        letter = r.letter
        dates = [d for d in letter.get("inspection_dates", []) if isinstance(d, dt.date)]
        extra = _letter_cells(letter, columns)
        for n, f in enumerate(r.findings, 1):
            yield {
                "file": str(item.path),
                "authority": letter.get("authority", ""),
                "letter_date": _iso(letter.get("letter_date")),
                "inspection_start": _iso(min(dates)) if dates else "",
                "inspection_end": _iso(max(dates)) if dates else "",
                "inspection_dates": [_iso(d) for d in dates],
                "inspector_name": letter.get("inspector_name", ""),
                "inspector_role": letter.get("inspector_role", ""),
                "review_status": r.status,
                "reviewer": r.reviewer,
                "review_note": r.note,
                "finding_id": f.id,
                "position": n,
                "category": f.category,
                "auto_category": f.auto_category or "",
                "section": f.section,
                "status": "orphan" if f.anchor == "orphan" else f.status,
                "themes": list(f.themes),
                "note": f.note,
                "confidence": f.confidence,
                "start": f.start,
                "end": f.end,
                "text": f.text,
                "scheme": r.scheme,
                "responsible": f.responsible,
                **extra,
            }


def _iso(value) -> str:
    return (
        value.isoformat() if isinstance(value, dt.date) else ("" if value is None else str(value))
    )


def to_csv(loaded: list[Loaded], excel: bool = False) -> str:
    """CSV with a header row; `excel` adds a byte-order mark, CRLF, and guards formulas.

    A spreadsheet runs a cell that starts with "=", "+", "-" or "@" as a formula; with
    `excel` such cells get a leading apostrophe, which the spreadsheet shows as text.
    """
    buf = io.StringIO()
    writer = csv.DictWriter(
        buf,
        fieldnames=columns_for(loaded),
        lineterminator=line_end(excel),
        quoting=csv.QUOTE_MINIMAL,
    )
    writer.writeheader()
    for row in rows(loaded):
        out = {}
        for k, v in row.items():
            if isinstance(v, list):
                v = "; ".join(str(x) for x in v)
            out[k] = guard_formula(v) if excel else v
        writer.writerow(out)
    return with_mark(buf.getvalue(), excel)


def to_jsonl(loaded: list[Loaded]) -> str:
    return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows(loaded))
