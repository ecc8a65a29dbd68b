"""`reviewer export`: one row per finding, with the letter's metadata, as CSV or JSON Lines."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterator
from typing import Any

from reviewer.corpus.loading import Loaded

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
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def judgement_columns(loaded: list[Loaded]) -> list[str]:
    """One column per judgement any report in the set has (`judgement.overall_effectiveness`...)."""
    keys: dict[str, None] = {}
    for item in loaded:
        judgements = item.review.letter.get("judgements")
        if isinstance(judgements, dict):
            keys.update(dict.fromkeys(judgements))
    return [f"judgement.{k}" for k in keys]


def rows(loaded: list[Loaded]) -> Iterator[dict[str, Any]]:
    columns = judgement_columns(loaded)
    for item in loaded:
        r = item.review
        letter = r.letter
        dates = [d for d in letter.get("inspection_dates", []) if isinstance(d, dt.date)]
        found = letter.get("judgements")
        judgements: dict = found if isinstance(found, dict) else {}
        graded = {c: judgements.get(c.removeprefix("judgement."), "") for c in columns}
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
                **graded,
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
        fieldnames=COLUMNS + judgement_columns(loaded),
        lineterminator="\r\n" if excel else "\n",
        quoting=csv.QUOTE_MINIMAL,
    )
    writer.writeheader()
    for row in rows(loaded):
        out = {}
        for k, v in row.items():
            if isinstance(v, list):
                v = "; ".join(v)
            if excel and isinstance(v, str) and v.startswith(_FORMULA):
                v = "'" + v
            out[k] = v
        writer.writerow(out)
    return ("\ufeff" if excel else "") + buf.getvalue()


def to_jsonl(loaded: list[Loaded]) -> str:
    return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows(loaded))
