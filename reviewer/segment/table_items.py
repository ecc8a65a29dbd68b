"""The items stage for a two-column table of who acts and what (`items = "responsible_table"`;
the area SEND reports' "Responsible body | Areas for priority action" table).

Extracted text gives each row as the responsible body's lines (a narrow column of
capitalised words: "Derbyshire County Council", "and NHS Derby and", "Board") followed by
the action's lines. A page break can fall inside either column: the rest of the body then
comes first on the next page, and the action carries on after it. The body is kept apart
from the action's words, in the finding's `responsible` field. A body cell that wraps
beside the action comes out with its lines between the action's: they go to the body,
never into the action's text.
"""

from __future__ import annotations

import re

from reviewer.segment.items import PAGE, Entry, Item, is_terminal
from reviewer.segment.lines import BULLET

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


def body_goes_on(body: list[str], complete: re.Pattern[str], beside: bool) -> bool:
    """Whether a name line carries on the row's body cell rather than opening the next
    row: the body so far ends in a connector or a comma ("Leaders, NHS Nottingham and"),
    or it is no whole name yet and the line stands `beside` the action (its wrapped
    lines printed between the action's, or after a page break)."""
    name = " ".join(body).strip()
    if not name:
        return False
    last = name.split()[-1]
    if last.endswith(",") or last.lower() in _CONNECTORS:
        return True
    return beside and not complete.search(name)


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
            ended = is_terminal(text[cur.pieces[-1][0] : cur.pieces[-1][1]])
            if body_goes_on(cur.responsible, complete, paged or not ended):
                cur.responsible.append(line)
                continue
            if paged or ended:
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
