"""A review file's findings, written and read fast: line by line, in the form this program
writes; anything else by the standard TOML writer and parser.

The standard parser reads a string one character at a time in Python, so a review of
50,000 findings (45 MB) took about 10 s to parse. A review file this program wrote is its
head, then one ``[[findings]]`` table per finding whose lines are each ``key = value``:
a one-line string, an integer, a float, a boolean, or an array of those (one element a
line). Those lines are matched by regular expressions (the scanning happens in C) and give
exactly what the TOML parser gives. If any line of any finding is of another form (a
comment, a table, a multi-line string, a date, a repeated key...), the whole file goes to
the TOML parser instead, so what it accepts, refuses and says stays the TOML parser's.

Formatting is the same story: tomli_w escapes a string one character at a time, so
formatting 50,000 findings (done when a review opens, for the crash journal) took about
10 s. `table_toml` writes the same text tomli_w writes, with `str.translate`, for a table
of strings, numbers, booleans and arrays of them, and leaves anything else to tomli_w.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from typing import Any

from reviewer.tomlfile import TomlFileError, parse_toml

FINDINGS_HEADER = "\n[[findings]]\n"  # before each finding, as `annotation.join_parts` writes

_PLAIN = r'[^"\\\x00-\x08\x0a-\x1f\x7f]*'  # characters a basic string holds as they are
_STRING = rf'"{_PLAIN}(?:\\(?:[btnfr"\\]|u[0-9A-Fa-f]{{4}}|U[0-9A-Fa-f]{{8}}){_PLAIN})*"'
_INTEGER = r"-?(?:0|[1-9][0-9]*)"
_FLOAT = r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+(?:e[+-]?[0-9]+)?|e[+-]?[0-9]+)"
_SCALAR = (
    f"(?P<string>{_STRING})|(?P<float>{_FLOAT})|(?P<integer>{_INTEGER})|(?P<boolean>true|false)"
)


@functools.cache
def _reading() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """The reader's patterns: a line `key = value`, an array's element line, and an escape
    in a string; compiled when the first review file is read (a new letter's first screen
    reads none)."""
    return (
        re.compile(rf"(?P<key>[A-Za-z0-9_-]+) = (?:{_SCALAR}|(?P<empty>\[\])|(?P<open>\[))"),
        re.compile(rf"    (?:{_SCALAR}),"),
        re.compile(r"\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))"),
    )


_SIMPLE_ESCAPES = {"b": "\b", "t": "\t", "n": "\n", "f": "\f", "r": "\r", '"': '"', "\\": "\\"}


class _NotSimple(Exception):
    """A line this reader does not take; the TOML parser reads the file."""


def parse_review_toml(text: str, source: str) -> dict[str, Any]:
    """The review file's TOML as a dict, as `parse_toml` gives it (and its errors)."""
    body = text.removeprefix("\ufeff")
    head, found, rest = body.partition(FINDINGS_HEADER)
    if not found:
        return parse_toml(text, source)
    try:
        findings = [_table(chunk) for chunk in rest.split(FINDINGS_HEADER)]
    except _NotSimple:
        return parse_toml(text, source)
    try:
        data = parse_toml(head, source)
    except TomlFileError:  # the head alone may not be TOML; the whole file says why
        return parse_toml(text, source)
    if "findings" in data:  # the head has findings of its own: the TOML parser judges
        return parse_toml(text, source)
    data["findings"] = findings
    return data


def _table(chunk: str) -> dict[str, Any]:
    table: dict[str, Any] = {}
    lines = iter(chunk.split("\n"))
    key_value = _reading()[0].fullmatch
    for line in lines:
        if not line:
            continue
        m = key_value(line)
        if m is None:
            raise _NotSimple
        key = m["key"]
        if key in table:
            raise _NotSimple
        if m["open"] is not None:
            table[key] = _array(lines)
        elif m["empty"] is not None:
            table[key] = []
        else:
            table[key] = _scalar(m)
    return table


def _array(lines: Iterator[str]) -> list[Any]:
    items: list[Any] = []
    element = _reading()[1].fullmatch
    for line in lines:
        if line == "]":
            return items
        m = element(line)
        if m is None:
            raise _NotSimple
        items.append(_scalar(m))
    raise _NotSimple  # the array never closed


def _scalar(m: re.Match[str]) -> Any:
    if (s := m["string"]) is not None:
        inner = s[1:-1]
        return _unescape(inner) if "\\" in inner else inner
    if (f := m["float"]) is not None:
        return float(f)
    if (i := m["integer"]) is not None:
        return int(i)
    return m["boolean"] == "true"


def _unescape(s: str) -> str:
    return _reading()[2].sub(_one_escape, s)


def _one_escape(m: re.Match[str]) -> str:
    code = m[1] or m[2]
    if code is None:
        return _SIMPLE_ESCAPES[m[3]]
    value = int(code, 16)
    if 0xD800 <= value <= 0xDFFF or value > 0x10FFFF:
        raise _NotSimple  # not a Unicode scalar value: the TOML parser says so
    return chr(value)


# tomli_w's escapes: the short ones, else \uXXXX in lower case; a tab stays as it is.
_ESCAPES = {chr(c): f"\\u{c:04x}" for c in [*range(0x20), 0x7F] if c != 0x09}
_ESCAPES.update({"\b": "\\b", "\n": "\\n", "\f": "\\f", "\r": "\\r", '"': '\\"', "\\": "\\\\"})
_ESCAPE_TABLE = str.maketrans(_ESCAPES)
_NEEDS_ESCAPE = re.compile(r'[\x00-\x08\x0a-\x1f\x7f"\\]')  # the keys of _ESCAPES
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


def table_toml(table: dict[str, Any]) -> str:
    """The table's ``key = value`` lines, exactly as `tomli_w.dumps` writes them."""
    lines = []
    for key, value in table.items():
        text = _literal(value)
        if text is None or _BARE_KEY.fullmatch(key) is None:
            import tomli_w  # writing only: loaded at the first write

            return tomli_w.dumps(table)
        lines.append(f"{key} = {text}\n")
    return "".join(lines)


def _literal(value: Any) -> str | None:
    """A value as tomli_w writes it, or None for a kind left to tomli_w."""
    if isinstance(value, str):
        if _NEEDS_ESCAPE.search(value) is None:
            return '"' + value + '"'  # most strings: nothing to escape, nothing to translate
        return '"' + value.translate(_ESCAPE_TABLE) + '"'
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, list | tuple):
        if not value:
            return "[]"
        items = []
        for item in value:
            if isinstance(item, list | tuple | dict):
                return None
            text = _literal(item)
            if text is None:
                return None
            items.append(f"    {text},\n")
        return "[\n" + "".join(items) + "]"
    return None
