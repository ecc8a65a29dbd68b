"""`reviewer export`: the reviews as tables an analyst opens, at two levels that join.

- **finding** (the default): one row per finding, with its document's metadata;
- **document**: one row per document, findings or none: its family, dates, council (as
  written and as the register knows it: name, DfE LA code, ONS GSS code, Ofsted URN,
  region), a column per graded judgement of its family, its findings per category, and
  the review's status.

Both levels carry `document_key` (the document's sha256), so they join. Rows hold typed
values (dates as dates, years as integers, codes as text, None for a missing value);
each format writes them its own way: CSV as text, JSON Lines with `null`, and a workbook
(`.xlsx`, a sheet per level) with date cells and text cells for codes.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from reviewer.corpus.loading import Loaded
from reviewer.corpus.spreadsheet import guard_formula, line_end, with_mark
from reviewer.review.council import council_of, document_date, inspection_days
from reviewer.segment import letter_keys
from reviewer.segment.scheme import Scheme, SchemeError, load_scheme

LEVELS = ("finding", "document")

COLUMNS = [
    "document_key",
    "file",
    "source_document",
    "family",
    "year",
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
COUNCIL_COLUMNS = ["authority_name", "la_code", "gss_code", "urn", "region"]
DOCUMENT_COLUMNS = [
    "document_key",
    "file",
    "source_document",
    "family",
    "scheme",
    "year",
    "letter_date",
    "inspection_start",
    "inspection_end",
    "authority",
    *COUNCIL_COLUMNS,
    "inspector_name",
    "inspector_role",
]
DOCUMENT_TAIL = ["findings", "review_status", "reviewer", "review_note"]
# Columns that hold codes: text, whatever they look like, so no leading zero is lost.
CODE_COLUMNS = frozenset({"la_code", "gss_code", "urn", "document_key"})


# Letter keys with a column of their own above; every other [letter] key gets one too.
_SHOWN = letter_keys.COLUMN_KEYS
_TABLE_PREFIX = {"judgements": "judgement"}  # `judgement.leaders`, as the column was named
_LIST_KEYS = letter_keys.LIST_KEYS


@dataclass(frozen=True, slots=True)
class Table:
    """One level of the export: its columns in order and its rows of typed values."""

    level: str
    columns: list[str]
    rows: list[dict[str, Any]]


def _table_prefix(key: str) -> str:
    return _TABLE_PREFIX.get(key, key)


@functools.cache
def scheme_of(scheme_id: str) -> Scheme | None:
    """The scheme of that id, or None when this program has no such scheme."""
    try:
        return load_scheme(scheme_id)
    except SchemeError:
        return None


def family_of(scheme_id: str) -> str:
    """The family's short name (from its scheme file); the scheme id for an unknown one."""
    scheme = scheme_of(scheme_id)
    return scheme.short if scheme is not None else scheme_id


def letter_columns(loaded: list[Loaded]) -> list[str]:
    """A column for every [letter] key any review in the set has, in a stable order: the
    keys of the file format in its order, then others alphabetically; a table's keys become
    `<table>.<key>` columns (`judgement.overall_effectiveness`...)."""
    plain: dict[str, None] = {}
    tables: dict[str, dict[str, None]] = {}
    for item in loaded:
        for key, value in item.review.letter.items():
            if isinstance(value, dict):
                tables.setdefault(key, {}).update(dict.fromkeys(value))
            elif key not in _SHOWN:
                plain.setdefault(key, None)
    for key in COUNCIL_COLUMNS:
        plain.setdefault(key, None)
    order = {k.key: i for i, k in enumerate(letter_keys.KEYS)}

    def rank(key: str) -> tuple[int, str]:
        return order.get(key, len(order)), key

    taken = set(COLUMNS)
    columns = [f"letter.{k}" if k in taken else k for k in sorted(plain, key=rank)]
    for key in sorted(tables, key=rank):
        columns += [f"{_table_prefix(key)}.{sub}" for sub in tables[key]]
    return columns


def judgement_columns(loaded: list[Loaded]) -> list[str]:
    """A column per graded judgement of the families in the set (in their scheme's order),
    then any other judgement a review records."""
    keys: dict[str, None] = {}
    for item in loaded:
        scheme = scheme_of(item.review.scheme)
        if scheme is not None:
            keys.update(dict.fromkeys(j.id for j in scheme.judgements))
    for item in loaded:
        grades = item.review.letter.get("judgements")
        if isinstance(grades, dict):
            keys.update(dict.fromkeys(grades))
    return [f"judgement.{k}" for k in keys]


def category_columns(loaded: list[Loaded]) -> list[str]:
    """A `findings.<category>` column per category of the families in the set."""
    cats: dict[str, None] = {}
    for item in loaded:
        cats.update(dict.fromkeys(_categories(item)))
    return [f"findings.{c}" for c in cats]


def _categories(item: Loaded) -> list[str]:
    """The categories of the review's family, then any other its findings use."""
    scheme = scheme_of(item.review.scheme)
    own = [c.id for c in scheme.categories] if scheme is not None else []
    return list(dict.fromkeys([*own, *(f.category for f in item.review.findings)]))


def _value(value: Any) -> Any:
    """A [letter] value as a typed cell: dates stay dates, an empty text is missing."""
    if isinstance(value, list):
        return [_value(v) for v in value]
    if isinstance(value, dict):
        return json.dumps({k: _plain(v) for k, v in value.items()}, ensure_ascii=False)
    if isinstance(value, str) and not value.strip():
        return None
    return value


def _plain(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _letter_cells(letter: dict[str, Any], columns: list[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    tables = {_table_prefix(k): v for k, v in letter.items() if isinstance(v, dict)}
    for column in columns:
        key = column.removeprefix("letter.")
        if key in letter and not isinstance(letter[key], dict):
            out[column] = _value(letter[key])
            continue
        table, _, sub = column.partition(".")
        if sub and isinstance(tables.get(table), dict):
            out[column] = _value(tables[table].get(sub))
        else:
            out[column] = [] if column in _LIST_KEYS else None
    return out


def _document_cells(item: Loaded) -> dict[str, Any]:
    """What both levels say of a document: its key, files, family, year, dates and council."""
    r = item.review
    letter = r.letter
    days = inspection_days(letter)
    council = council_of(letter)
    if council.registered is not None:
        codes = {
            "authority_name": council.name,
            "la_code": council.la_code,
            "gss_code": council.gss_code,
            "urn": council.urn,
            "region": council.region,
        }
    else:  # as the review records them
        codes = {k: _value(letter.get(k)) for k in COUNCIL_COLUMNS}
        codes = {k: v if isinstance(v, str) else None for k, v in codes.items()}
    when = document_date(letter, r.scheme)
    letter_date = letter.get("letter_date")
    return {
        "document_key": r.sha256,
        "file": str(item.path),
        "source_document": r.source_path,
        "family": family_of(r.scheme),
        "scheme": r.scheme,
        "year": when.year if when else None,
        "letter_date": letter_date if isinstance(letter_date, dt.date) else None,
        "inspection_start": days[0] if days else None,
        "inspection_end": days[-1] if days else None,
        "authority": _value(letter.get("authority")),
        **{k: v or None for k, v in codes.items()},
        "inspector_name": _value(letter.get("inspector_name")),
        "inspector_role": _value(letter.get("inspector_role")),
        "review_status": r.status,
        "reviewer": r.reviewer or None,
        "review_note": r.note or None,
    }


def finding_table(loaded: list[Loaded]) -> Table:
    """One row per finding, with its document's metadata."""
    extra_columns = letter_columns(loaded)
    columns = COLUMNS + ["scheme", "responsible"] + extra_columns
    out = []
    for item in loaded:
        r = item.review
        doc = _document_cells(item)
        extra = _letter_cells(r.letter, extra_columns)
        extra.update({k: doc[k] for k in COUNCIL_COLUMNS})
        for n, f in enumerate(r.findings, 1):
            row = {
                **{k: doc[k] for k in COLUMNS if k in doc},
                "inspection_dates": inspection_days(r.letter),
                "finding_id": f.id,
                "position": n,
                "category": f.category,
                "auto_category": f.auto_category or None,
                "section": f.section or None,
                "status": "orphan" if f.anchor == "orphan" else f.status,
                "themes": list(f.themes),
                "note": f.note or None,
                "confidence": f.confidence,
                "start": f.start,
                "end": f.end,
                "text": f.text,
                "scheme": r.scheme,
                "responsible": f.responsible or None,
                **extra,
            }
            out.append({c: row.get(c) for c in columns})
    return Table("finding", columns, out)


def document_table(loaded: list[Loaded]) -> Table:
    """One row per document, whether it has findings or not."""
    grades = judgement_columns(loaded)
    counts = category_columns(loaded)
    others = [
        c
        for c in letter_columns(loaded)
        if c not in COUNCIL_COLUMNS and not c.startswith("judgement.")
    ]
    columns = DOCUMENT_COLUMNS + grades + counts + DOCUMENT_TAIL + others
    out = []
    for item in loaded:
        r = item.review
        row = _document_cells(item)
        recorded = r.letter.get("judgements")
        recorded = recorded if isinstance(recorded, dict) else {}
        for column in grades:
            value = recorded.get(column.removeprefix("judgement."))
            row[column] = value if isinstance(value, str) and value.strip() else None
        own = set(_categories(item))
        for column in counts:
            cat = column.removeprefix("findings.")
            # a category of another family is no count of this document's, not zero
            row[column] = sum(1 for f in r.findings if f.category == cat) if cat in own else None
        row["findings"] = len(r.findings)
        row.update(_letter_cells(r.letter, others))
        out.append({c: row.get(c) for c in columns})
    return Table("document", columns, out)


def table(loaded: list[Loaded], level: str) -> Table:
    return document_table(loaded) if level == "document" else finding_table(loaded)


def columns_for(loaded: list[Loaded]) -> list[str]:
    """Every column of a finding export of these reviews, in order."""
    return finding_table(loaded).columns


def _text(value: Any) -> str:
    """A typed value as CSV text: dates in ISO form, lists joined, a missing value empty."""
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(_text(v) for v in value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def to_csv(t: Table, excel: bool = False) -> str:
    """CSV with a header row; `excel` adds a byte-order mark, CRLF, and guards formulas.

    A spreadsheet runs a cell that starts with "=", "+", "-" or "@" as a formula; with
    `excel` such cells get a leading apostrophe, which the spreadsheet shows as text.
    """
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator=line_end(excel))
    writer.writerow(t.columns)
    for row in t.rows:
        cells = []
        for column in t.columns:
            value = row[column]
            text = _text(value)
            if excel and isinstance(value, str | list):  # a number is no formula
                text = guard_formula(text)
            cells.append(text)
        writer.writerow(cells)
    return with_mark(buf.getvalue(), excel)


def to_jsonl(t: Table) -> str:
    """One JSON object a line, keys in column order; a missing value is `null`."""
    return "".join(
        json.dumps({c: _plain(row[c]) for c in t.columns}, ensure_ascii=False) + "\n"
        for row in t.rows
    )


# Characters XML 1.0 cannot hold (a workbook is XML): a document's stray control bytes.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
DATE_FORMAT = "yyyy-mm-dd"


def to_xlsx(tables: Iterable[Table]) -> bytes:
    """A workbook with a sheet per table (named `<level>s`): dates are date cells, codes
    and every text are text cells (never formulas), numbers are numbers; the header row
    is frozen and filters are on."""
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    book = Workbook()
    book.remove(book.active)
    for t in tables:
        sheet = book.create_sheet(f"{t.level}s")
        sheet.append(t.columns)
        for row in t.rows:
            sheet.append([None] * len(t.columns))
            r = sheet.max_row
            for i, column in enumerate(t.columns, 1):
                cell = sheet.cell(row=r, column=i)
                value = row[column]
                if value is None:
                    continue
                if isinstance(value, dt.date):
                    cell.value = value
                    cell.number_format = DATE_FORMAT
                elif isinstance(value, bool | int | float):
                    cell.value = value
                else:
                    cell.value = _NOT_XML.sub("", _text(value))
                    cell.data_type = "s"  # text, even when it starts with "="
                    if column in CODE_COLUMNS:
                        cell.number_format = "@"
        sheet.freeze_panes = "A2"
        if t.rows:
            sheet.auto_filter.ref = f"A1:{get_column_letter(len(t.columns))}{len(t.rows) + 1}"
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()
