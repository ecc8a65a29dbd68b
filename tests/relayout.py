"""Lay a document out again as other extractions and inspection teams do (seeded).

Each layout changes only how the document is printed, never what it says: headings in
capitals or with their colon toggled, a heading set directly under the last line of a
wrapped bullet, lines hard-wrapped as a PDF prints them (a bullet's wrapped lines hung
under its words), hanging indents, a page break with a page number and a running header
that cuts a finding in two, other bullet glyphs, numbered items, Windows-1252 with CRLF.
A segmenter that reads the kind of document, not one printing of it, gives the same
findings, categories and metadata for every layout.
"""

from __future__ import annotations

import random
import re

from reviewer.model import Document
from reviewer.segment.lines import BULLET

LAYOUTS = (
    "caps_headings",
    "colon_toggle",
    "heading_under_item",
    "hard_wrap",
    "hanging_indent",
    "page_break_in_item",
    "other_glyphs",
    "numbered",
    "cp1252_crlf",
    "all_at_once",
)
GLYPHS = ("•", "▪", "-", "*", "◦", "–", "►")
# Glyphs Windows-1252 cannot hold, printed as its own bullet.
_NOT_CP1252 = str.maketrans({c: "•" for c in "◼▪●◦‣∙►▶◆❖➢✓✔■□\uf0b7\uf0a7\uf06e\uf0d8\uf0fc"})


def relayout(text: str, doc: Document, layout: str, seed: int = 0) -> bytes:
    """The document's bytes laid out again; `doc` is its segmentation as printed."""
    rng = random.Random(f"{seed}:{layout}")
    text = text.replace("\r\n", "\n")
    if layout == "all_at_once":
        steps = [name for name in LAYOUTS[:-2] if name != "numbered" and rng.random() < 0.7]
        steps = steps or ["caps_headings"]
    else:
        steps = [layout]
    encode = layout in ("cp1252_crlf", "all_at_once")
    if "page_break_in_item" in steps:
        # Offsets move with every other change, so the page break goes in first.
        text = _page_break_in_item(text, doc, rng)
        steps.remove("page_break_in_item")
    headings = {f.section.strip() for f in doc.findings if f.section.strip()}
    lines = text.split("\n")
    for step in steps:
        lines = STEPS[step](lines, headings, rng)
    out = "\n".join(lines)
    if encode:
        out = out.translate(_NOT_CP1252).replace("\n", "\r\n")
        return out.encode("cp1252", errors="strict")
    return out.encode("utf-8")


def _is_heading(line: str, headings: set[str]) -> bool:
    return line.strip() in headings or line.strip().rstrip(":").strip() in headings


def _caps(lines: list[str], headings: set[str], rng: random.Random) -> list[str]:
    return [ln.upper() if _is_heading(ln, headings) else ln for ln in lines]


def _colon(lines: list[str], headings: set[str], rng: random.Random) -> list[str]:
    out = []
    for ln in lines:
        if _is_heading(ln, headings):
            st = ln.rstrip()
            ln = st[:-1].rstrip() if st.endswith(":") else st if st.endswith("?") else st + ":"
        out.append(ln)
    return out


def _under_item(lines: list[str], headings: set[str], rng: random.Random) -> list[str]:
    """A heading after a list loses the blank lines above it: it sits right under the
    last line of the list's last (wrapped) item."""
    out: list[str] = []
    in_item = item_above = False
    for ln in lines:
        if _is_heading(ln, headings) and item_above:
            while out and not out[-1].strip() and "\f" not in out[-1]:
                out.pop()
        if ln.strip():
            in_item = bool(BULLET.match(ln)) or (in_item and not _is_heading(ln, headings))
            item_above = in_item
        else:
            in_item = False
        out.append(ln)
    return out


def _hanging(lines: list[str], headings: set[str], rng: random.Random) -> list[str]:
    """A bullet's wrapped lines are indented to where its words start."""
    out, indent = [], 0
    for ln in lines:
        m = BULLET.match(ln)
        if m:
            indent = m.end()
        elif not ln.strip() or _is_heading(ln, headings) or "\f" in ln:
            indent = 0
        elif indent:
            ln = " " * (indent + rng.randint(0, 1)) + ln.lstrip()
        out.append(ln)
    return out


def _hard_wrap(lines: list[str], headings: set[str], rng: random.Random) -> list[str]:
    """Long lines wrapped at a column between 66 and 90, as a PDF prints them: a bullet's
    later lines hang under its words, a paragraph's start at the margin, and a heading
    sits straight under the wrapped bullet above it. Table rows, HTML lists and lines of
    several inline items are printed as they are."""
    width = rng.randint(66, 90)
    out: list[str] = []
    in_item = item_above = False
    for ln in lines:
        if _is_heading(ln, headings) and item_above:
            while out and not out[-1].strip() and "\f" not in out[-1]:
                out.pop()
        if ln.strip():
            in_item = bool(BULLET.match(ln)) or (in_item and not _is_heading(ln, headings))
            item_above = in_item
        else:
            in_item = False
        if len(ln) <= width or "|" in ln or "<" in ln or "▪" in ln or "\f" in ln:
            out.append(ln)
            continue
        m = BULLET.match(ln)
        lead = m.end() if m else len(ln) - len(ln.lstrip())
        hang = " " * lead if m else ln[:lead]
        row, fresh = ln[:lead], True
        for word in ln[lead:].split():
            if not fresh and len(row) + len(word) > width:
                out.append(row.rstrip())
                row = hang
            row, fresh = f"{row}{word} ", False
        if row.strip().isdigit() and out:  # a number alone on a line would be a page number
            out[-1] = f"{out[-1]} {row.strip()}"
        else:
            out.append(row.rstrip())
    return out


def _glyphs(lines: list[str], headings: set[str], rng: random.Random) -> list[str]:
    used = {m.group(0).strip() for ln in lines if (m := BULLET.match(ln))}
    choices = [g for g in GLYPHS if g not in used]
    glyph = rng.choice(choices)
    return [_reglyph(ln, glyph) for ln in lines]


def _reglyph(line: str, glyph: str) -> str:
    m = BULLET.match(line)
    if not m or re.match(r"\s*(?:\d|\(|[a-z]\)|[ivx]+\))", line):
        return line
    return f"{m.group(1)}{glyph} {line[m.end() :]}"


def _numbered(lines: list[str], headings: set[str], rng: random.Random) -> list[str]:
    """Bullets become "1." "2." ... (or "(a)" "(b)" ...), counted afresh under each heading."""
    style = rng.choice(("dot", "paren", "letter"))
    out, n = [], 0
    for ln in lines:
        if _is_heading(ln, headings):
            n = 0
        m = BULLET.match(ln)
        if m:
            n += 1
            mark = {
                "dot": f"{n}.",
                "paren": f"{n})",
                "letter": f"({'abcdefghjkmnpqrstuwxyz'[(n - 1) % 22]})",
            }[style]
            ln = f"{m.group(1)}{mark} {ln[m.end() :]}"
        out.append(ln)
    return out


def _identity(lines: list[str], headings: set[str], rng: random.Random) -> list[str]:
    return lines


STEPS = {
    "caps_headings": _caps,
    "colon_toggle": _colon,
    "heading_under_item": _under_item,
    "hanging_indent": _hanging,
    "hard_wrap": _hard_wrap,
    "other_glyphs": _glyphs,
    "numbered": _numbered,
    "cp1252_crlf": _identity,
}

_HEADER = "Inspection letter: Example area children’s services, reference 4021"


def _page_break_in_item(text: str, doc: Document, rng: random.Random) -> str:
    """A page ends inside a finding: a page number, a form feed, a running header.

    The same header opens every page, as a running header does (a page break is added
    before the findings when the document has too few), so it is page furniture and not
    part of any finding.
    """
    cuts = [
        f.start + m.start()
        for f in doc.findings
        for m in re.finditer(r"\n", text[f.start : f.end])
        if re.search(r"\w", text[f.start + m.start() : f.end])
    ]
    if not cuts:
        return text
    cut = rng.choice(cuts)
    feeds = [m.start() for m in re.finditer("\f", text)]
    extra: list[int] = []
    if len(feeds) < 2:
        head = doc.findings[0]
        heading_at = text.rfind(head.section, 0, head.start) if head.section else -1
        before = text.rfind("\n", 0, heading_at if heading_at > 0 else head.start)
        after = text.find("\n", doc.findings[-1].end)
        extra = [p for p in (before, after) if p > 0 and p != cut]
    edits = [(at, "\f") for at in feeds] + [(at, "\n") for at in {cut, *extra}]
    for n, (at, kind) in enumerate(sorted(edits, reverse=True)):
        if kind == "\f":  # a page break the document has: the header opens the page
            text = f"{text[: at + 1]}{_HEADER}\n{text[at + 1 :]}"
        else:
            text = f"{text[:at]}\n{len(edits) - n}\n\f{_HEADER}\n{text[at + 1 :]}"
    return text
