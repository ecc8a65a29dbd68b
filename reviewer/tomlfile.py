"""Reading a TOML file with one rule everywhere: a bad file is one line that names it.

Review files, schemes, keymaps and the topic list are all TOML a person may have edited by
hand: a byte-order mark (as Windows editors write it) is accepted, and a file that is not
UTF-8, not TOML, or nested so deep that reading it would exhaust the stack is refused with a
one-line :class:`TomlFileError` instead of a traceback.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from reviewer.errors import ReviewerError

__all__ = ["MAX_DEPTH", "TomlFileError", "load_toml", "parse_toml"]

# Far deeper than any file of ours; shallow enough that no reader or writer recurses too far.
MAX_DEPTH = 64
_BOM = "\ufeff"


class TomlFileError(ReviewerError):
    """A TOML file that cannot be read; the message is one line starting with its name."""


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def _depth(data: Any) -> int:
    """How deeply tables and arrays nest, walked without recursion."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > deepest:
            deepest = depth
        if depth > MAX_DEPTH:
            break
        if isinstance(value, dict):
            stack.extend((v, depth + 1) for v in value.values())
        elif isinstance(value, list):
            stack.extend((v, depth + 1) for v in value)
    return deepest


def parse_toml(text: str, source: str) -> dict[str, Any]:
    """Parse TOML text read from ``source`` (a name for messages)."""
    text = text.removeprefix(_BOM)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise TomlFileError(f"{source}: not valid TOML: {_one_line(str(err))}") from None
    except RecursionError:
        raise TomlFileError(
            f"{source}: nested too deeply to read (more than {MAX_DEPTH} levels); "
            "is this the right file?"
        ) from None
    if _depth(data) > MAX_DEPTH:
        raise TomlFileError(
            f"{source}: nested too deeply to read (more than {MAX_DEPTH} levels); "
            "is this the right file?"
        )
    return data


def read_text(path: str | Path) -> str:
    """A TOML file's text: UTF-8, with or without a byte-order mark."""
    p = Path(path)
    try:
        raw = p.read_bytes()
    except FileNotFoundError:
        raise TomlFileError(f"{p}: no such file") from None
    except IsADirectoryError:
        raise TomlFileError(f"{p}: is a folder, not a file") from None
    except OSError as err:
        raise TomlFileError(f"{p}: cannot read ({_one_line(err.strerror or str(err))})") from None
    try:
        # As the "utf-8-sig" codec reads it (a leading byte-order mark left out), without
        # loading that codec for the first screen.
        return raw.removeprefix(b"\xef\xbb\xbf").decode("utf-8")
    except UnicodeDecodeError:
        raise TomlFileError(f"{p}: not UTF-8 text; is this the right file?") from None


def load_toml(path: str | Path) -> dict[str, Any]:
    """Read and parse a TOML file; :class:`TomlFileError` names the file in one line."""
    return parse_toml(read_text(path), str(path))


def tables(data: dict, key: str, source: str, error: type[Exception]) -> Iterator[tuple[str, dict]]:
    """Each table of the list `data[key]` with where it stands (`source: key[i]`), for
    messages; `error` names a value that is no list, or an entry that is no table."""
    raw = data.get(key, [])
    if not isinstance(raw, list):
        raise error(f"{source}: '{key}' must be a list of tables")
    for i, entry in enumerate(raw):
        where = f"{source}: {key}[{i}]"
        if not isinstance(entry, dict):
            raise error(f"{where} must be a table")
        yield where, entry
