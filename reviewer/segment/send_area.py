"""Area SEND reports: the "Responsible body | Areas for priority action" table.

Extracted text gives each row as the responsible body's lines (a narrow column of
capitalised words: "Derbyshire County Council", "and NHS Derby and", "Board") followed by
the action's lines. A page break can fall inside either column: the rest of the body then
comes first on the next page, and the action carries on after it. The body is kept apart
from the action's words, in the finding's `responsible` field.
"""

from __future__ import annotations

import re

from reviewer.segment.items import PAGE, Entry, Item, is_terminal
from reviewer.segment.layout import BULLET

_CONNECTORS = {"and", "of", "the", "for", "&", "upon", "on", "in", "with"}
_WORD = re.compile(r"[^\s,]+")


def is_name_line(text: str) -> bool:
    """A line of an organisation's name: capitalised words and connectors only."""
    t = text.strip()
    if not t or len(t) > 60 or is_terminal(t) or t.endswith(":"):
        return False
    words = _WORD.findall(t)
    capital = [w for w in words if w[:1].isupper() or w[:1] == "("]
    rest = [w for w in words if w not in capital]
    return bool(capital) and all(w.lower() in _CONNECTORS for w in rest)


def table_items(
    entries: list[Entry], text: str, header: re.Pattern[str], complete: re.Pattern[str]
) -> list[Item]:
    """One item per row: the action's lines as pieces, the body's words as `responsible`.

    `header` matches the table's column header line; `complete` matches the end of a whole
    body name ("... Integrated Care Board"), which tells a body cut by a page break from the
    next row's body.
    """
    items: list[Item] = []
    body: list[str] = []
    cur: Item | None = None
    paged = False
    for entry in entries:
        line = entry.text
        if header.search(line):
            continue
        paged = paged or entry.gap == PAGE
        if is_name_line(line):
            if cur is None:
                body.append(line)
                continue
            if paged and not complete.search(" ".join(cur.responsible)):
                cur.responsible.append(line)
                continue
            if paged or is_terminal(text[cur.pieces[-1][0] : cur.pieces[-1][1]]):
                cur, body, paged = None, [line], False
                continue
        if cur is None:
            cur = Item(responsible=body)
            items.append(cur)
            body = []
        m = BULLET.match(entry.line.text)
        cur.add(entry.line, m.end() if m else -1, entry.gap)
        paged = False
    return items
