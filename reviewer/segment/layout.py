"""Lines of a letter with their offsets, and the small recognisers the segmenter uses.

Extracted letters break lines with LF, CRLF, CR or a form feed (a PDF page break);
offsets always index the decoded text, so each line keeps its own start and end.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

_LINE = re.compile(r"[^\r\n\f]*(?:\r\n|\r|\n|\f)?")

# A bullet glyph or list number at the start of a line, then the item's text.
BULLET = re.compile(
    r"^(\s*)(?:[-•*▪●◦‣∙·–—■□➢✓✔►▶◆❖→»o\uf0b7\uf0a7\uf06e\uf0d8\uf0fc◼]|\d{1,2}[.)]|\(\d{1,2}\)|[a-z]\)|\([a-z]\)"
    r"|[ivx]{1,4}\))(?=\s)\s+(?=\S)"
)
INLINE_BULLET = re.compile(r"[▪•◼\uf0b7\uf0a7\uf06e]")
HTML_TAG = re.compile(r"</?(?:ul|ol|li|p|br|div|span)\b[^>]*>", re.IGNORECASE)
TABLE_ROW = re.compile(r"^\s*\|.*\|\s*$")
TABLE_RULE = re.compile(r"^\s*\|?(?:\s*:?-{2,}:?\s*\|)+\s*:?-*:?\s*\|?\s*$")
PAGE_MARK = re.compile(
    r"^\s*(?:-\s*)?(?:page\s+)?\d{1,3}(?:\s*(?:of|/)\s*\d{1,3})?(?:\s*-)?\s*$", re.IGNORECASE
)
LOGO_LINES = {
    "investor in people",
    "investors in people",
    "ofsted",
    "raising standards improving lives",
    "raising standards, improving lives",
    "office for standards in education",
}
TERMINAL = ".!?"


@dataclass(slots=True)
class Line:
    start: int
    end: int
    text: str
    page_break_before: bool = False

    @property
    def stripped(self) -> str:
        return self.text.strip()

    @property
    def blank(self) -> bool:
        return not self.text.strip()


def split_lines(text: str) -> list[Line]:
    lines: list[Line] = []
    pos = 0
    form_feed = False
    n = len(text)
    while pos < n:
        m = _LINE.match(text, pos)
        if m is None:  # pragma: no cover - the pattern matches the empty string anywhere
            break
        body_end = m.end()
        ending = m.group(0)
        if ending.endswith("\r\n"):
            body_end -= 2
        elif ending[-1:] in ("\r", "\n", "\f"):
            body_end -= 1
        lines.append(Line(pos, body_end, text[pos:body_end], form_feed))
        form_feed = ending.endswith("\f")
        if m.end() == pos:  # pragma: no cover - the pattern always advances past a break
            break
        pos = m.end()
    return lines


_TAGS_ONLY = re.compile(r"(?:</?(?:ul|ol|li|p|div)[^>]*>\s*)+", re.IGNORECASE)


def is_noise_line(stripped: str) -> bool:
    if len(stripped) > 45 and stripped[:1].isalpha() and stripped[:1] not in "pP":
        return False  # longer than any logo, and no page mark, table rule or tag
    low = stripped.lower().strip(" .")
    return (
        bool(PAGE_MARK.match(stripped))
        or low in LOGO_LINES
        or bool(TABLE_RULE.match(stripped))
        or bool(_TAGS_ONLY.fullmatch(stripped))
    )


def running_lines(lines: list[Line]) -> set[str]:
    """Lines repeated on several pages (running headers and footers) are noise."""
    counts = Counter(
        ln.stripped
        for ln in lines
        if ln.stripped and len(ln.stripped) <= 100 and not BULLET.match(ln.text)
    )
    return {
        s
        for s, c in counts.items()
        if c >= 2 and not s.endswith((".", ":")) and len(s.split()) >= 2
    }


def wrap_width(lines: list[Line]) -> int:
    """The width a hard-wrapped letter was wrapped at, or 0 when lines are paragraphs."""
    lengths = sorted(len(ln.text.rstrip()) for ln in lines if ln.stripped)
    if len(lengths) < 8:
        return 0
    p90 = lengths[int(len(lengths) * 0.9)]
    longest = lengths[-1]
    if p90 <= 100 and longest <= 120:
        return p90
    return 0


_HYPHEN_KEEP = {
    "multi", "cross", "inter", "non", "self", "well", "co", "child", "long", "short", "full",
    "part", "pre", "post", "anti", "semi", "high", "low", "out", "up", "day", "after", "front",
    "case", "decision", "over", "step", "young", "good", "time", "sub", "ex", "age", "in", "on",
    "off", "follow", "sign", "re", "e", "year", "one", "two", "three", "four", "first", "second",
    "third", "top", "mid", "under", "end", "key", "user", "risk", "team", "child's", "fast",
}  # fmt: skip


def join_parts(parts: list[str], text: str = "") -> str:
    """Join the wrapped lines of one item: single spaces, and word breaks undone.

    A hyphen at a line end is dropped ("assess-/ments") unless the word is a compound
    that keeps it ("multi-/agency"); the letter itself is asked first.
    """
    out = ""
    for part in parts:
        part = " ".join(part.split())
        if not part:
            continue
        if not out:
            out = part
            continue
        m = re.search(r"([^\W\d_][\w'’]*)-$", out)
        tail_m = re.match(r"[^\W\d_][\w'’]*", part)
        if m and tail_m:
            head = m.group(1)
            tail = tail_m.group(0)
            joined_hyphen = f"{head}-{tail}"
            joined = head + tail
            if text and joined_hyphen in text:
                out = out + part
            elif text and joined in text:
                out = out[:-1] + part
            elif head.lower() in _HYPHEN_KEEP or part[:1].isupper():
                out = out + part
            else:
                out = out[:-1] + part
        else:
            out = f"{out} {part}"
    return out


def clean_span(raw: str, text: str = "", running: set[str] | frozenset[str] = frozenset()) -> str:
    """The finding text a reviewer means when they select raw letter text: layout removed.

    `running` holds the letter's running header and footer lines, left out like page numbers.
    """
    parts = []
    for line in re.split(r"\r\n|\r|\n|\f", HTML_TAG.sub(" ", raw)):
        st = line.strip()
        if not st or is_noise_line(st) or st in running:
            continue
        m = BULLET.match(line)
        if m:
            line = line[m.end() :]
        line = INLINE_BULLET.sub(" ", line).replace("|", " ")
        parts.append(line)
    return join_parts(parts, text)


_TRAILING_NUMBER = re.compile(r"(?:^|\s)(\d{1,3})\s*$")


def pages(lines: list[Line]) -> list[range]:
    """The line ranges of the document's pages (a form feed starts a new page)."""
    starts = [0] + [i for i, ln in enumerate(lines) if ln.page_break_before and i]
    return [range(a, b) for a, b in zip(starts, [*starts[1:], len(lines)], strict=True)]


def page_furniture(lines: list[Line], top: int = 4) -> set[int]:
    """Running headers and page numbers told by where they stand, not by repetition.

    A page's furniture is the lines from its top down to its page number: the number
    stands alone or ends a header line ("3 to 7 November 2025 2") among the first `top`
    lines with text, and counts pages in step with the document's other pages (the same
    offset from the page's position, so a report numbered from its second page is read
    right; at least two pages must agree). A bare page number at a page's foot is
    furniture too, and on a page of a few lines whose last line is its number, only that
    line is. Lines elsewhere are
    content however often they repeat: grade lines, headings, table cells.
    """
    spans = pages(lines)
    found: list[tuple[int, int, int]] = []  # (page, line, offset of its number)
    for k, span in enumerate(spans):
        texts = [i for i in span if lines[i].stripped][:top]
        for i in texts:
            st = lines[i].stripped
            m = _TRAILING_NUMBER.search(st)
            if m and len(st) <= 110 and not BULLET.match(lines[i].text):
                found.append((k, i, int(m.group(1)) - (k + 1)))
                break
    offsets = Counter(off for _, _, off in found)
    if not offsets or offsets.most_common(1)[0][1] < 2:
        return _edge_repeats(lines, spans)  # one page's number proves nothing
    usual = offsets.most_common(1)[0][0]
    furniture: set[int] = set()
    numbered: set[int] = set()
    for k, i, off in found:
        if off == usual:
            last = max(j for j in spans[k] if lines[j].stripped)
            furniture.update([i] if i == last else (j for j in spans[k] if j <= i))
            numbered.add(k)
    furniture |= _edge_repeats(lines, spans)
    for k, span in enumerate(spans):
        if k in numbered:
            continue
        texts = [i for i in span if lines[i].stripped]
        if texts:
            m = PAGE_MARK.match(lines[texts[-1]].stripped)
            digits = re.findall(r"\d+", lines[texts[-1]].stripped)
            if m and digits and int(digits[0]) - (k + 1) == usual:
                furniture.add(texts[-1])
    return furniture


def _edge_repeats(lines: list[Line], spans: list[range], edge: int = 2) -> set[int]:
    """Lines that open or close at least three pages (and a third of them) with the same
    words, numbers aside: a running header or footer of a document without page numbers.
    Only a page's first and last `edge` lines with text are looked at."""
    if len(spans) < 3:
        return set()
    slots: dict[str, list[int]] = {}
    for span in spans:
        texts = [i for i in span if lines[i].stripped]
        seen: set[str] = set()
        for i in [*texts[:edge], *texts[-edge:]]:
            key = re.sub(r"\d+", "#", lines[i].stripped)
            if BULLET.match(lines[i].text) or len(key) > 110 or key in seen:
                continue
            seen.add(key)
            slots.setdefault(key, []).append(i)
    need = max(3, len(spans) // 3)
    return {i for found in slots.values() if len(found) >= need for i in found}
