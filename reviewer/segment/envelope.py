"""The letter's envelope: sender, date, recipient, salutation, title, signature, copy list.

A reader the engine runs when a scheme says `segment.envelope = "letter"`. The salutation
("Dear ...") splits the top of the letter from its body: above it the sender's address,
the letter's date and the recipient's block; after it the title (the first paragraph).
The closing ("Yours sincerely") splits the body from the signature and the copy list.
The reader marks those lines as segments, fills their metadata and gives the engine the
lines of the body, where the lists of findings are.
"""

from __future__ import annotations

import re

from reviewer.dates import is_date_line, parse_date_line
from reviewer.model import Segment
from reviewer.segment import metadata as meta
from reviewer.segment.letter_keys import ENVELOPE_KEYS
from reviewer.segment.lines import Line
from reviewer.segment.reading import Reading

_SALUTATION = re.compile(r"^\s*Dear\s+\S", re.IGNORECASE)
_CLOSING = re.compile(r"^\s*Yours\s+(?:sincerely|faithfully|truly)\b[,.]?", re.IGNORECASE)
_COPY = re.compile(r"^\s*(?:copy(?:\s+to)?|cc)\s*:\s*", re.IGNORECASE)
_TITLE_END = re.compile(r"(?:children['’]s\s+services|services\s+for\s+children)\s*$", re.I)

# The letter's keys in the order a letter gives them (the scheme's own keys fill the gaps).
ORDER = ENVELOPE_KEYS


def read_letter_envelope(engine: Reading) -> range:
    """Mark and read the envelope; the lines of the body between salutation and closing."""
    return _Envelope(engine).read()


class _Envelope:
    def __init__(self, engine: Reading) -> None:
        self.engine = engine
        self.lines = engine.lines
        self.metadata: dict = {}
        self.recipient = ""

    def read(self) -> range:
        lines = self.lines
        n = len(lines)
        limit = max(1, int(n * 0.7)) if n > 10 else n
        sal = next((i for i in range(min(n, limit)) if _SALUTATION.match(lines[i].text)), None)
        close = next(
            (i for i in range(n - 1, -1, -1) if _CLOSING.match(lines[i].text)),
            None,
        )
        if close is not None and sal is not None and close < sal:
            close = None
        body_from = 0
        title = ""
        if sal is not None:
            self._header(sal)
            self._add(lines[sal], "salutation")
            title_lines = self._title_lines(sal + 1, close if close is not None else n)
            if title_lines:
                tl = [lines[i] for i in title_lines]
                joined = " ".join(ln.stripped for ln in tl)
                if len(joined) <= 300 and not joined.lower().startswith("this letter"):
                    title = " ".join(joined.split())
                    self.engine.segments.append(
                        Segment("title", tl[0].start + _lead(tl[0].text), tl[-1].end)
                    )
                    body_from = title_lines[-1] + 1
                else:
                    body_from = sal + 1
            else:
                body_from = sal + 1
        body_to = close if close is not None else n
        if close is not None:
            self._closing(close)
        self._metadata(sal, title)
        return range(body_from, body_to)

    def _title_lines(self, i: int, stop: int) -> list[int]:
        """The title's lines: the first paragraph, cut after "...children's services" when the
        extraction ran the title into the text that follows it."""
        lines = self._first_paragraph(i, stop)
        for k, idx in enumerate(lines):
            if _TITLE_END.search(self.lines[idx].text) and k + 1 < len(lines):
                return lines[: k + 1]
        return lines

    def _first_paragraph(self, i: int, stop: int) -> list[int]:
        while i < stop and (self.lines[i].blank or i in self.engine.noise):
            i += 1
        out = []
        while i < stop and not self.lines[i].blank:
            out.append(i)
            i += 1
        return out

    def _add(self, line: Line, kind: str) -> None:
        s = line.start + _lead(line.text)
        self.engine.segments.append(Segment(kind, s, line.start + len(line.text.rstrip())))

    def _header(self, sal: int) -> None:
        lines = self.lines[:sal]
        date_at = next((i for i, ln in enumerate(lines) if is_date_line(ln.text)), None)
        recipient: list[Line] = []
        for i, ln in enumerate(lines):
            if ln.blank or i in self.engine.noise:
                continue
            if i == date_at:
                self._add(ln, "date")
                self.metadata["letter_date"] = parse_date_line(ln.text)
            elif date_at is not None and i > date_at:
                self._add(ln, "recipient")
                recipient.append(ln)
            else:
                self._add(ln, "sender")
        self.recipient = "\n".join(ln.text for ln in recipient)

    def _closing(self, close: int) -> None:
        lines = self.lines
        ln = lines[close]
        m = _CLOSING.match(ln.text)
        assert m is not None  # the caller found the closing line with this pattern
        segments = self.engine.segments
        segments.append(Segment("closing", ln.start + _lead(ln.text), ln.start + m.end()))
        sig: list[str] = []
        copy: list[str] = []
        rest = ln.text[m.end() :]
        if rest.strip():
            lead = len(rest) - len(rest.lstrip())
            segments.append(
                Segment("signature", ln.start + m.end() + lead, ln.start + len(ln.text.rstrip()))
            )
            sig.append(rest)
        in_copy = False
        for i in range(close + 1, len(lines)):
            ln = lines[i]
            if ln.blank or i in self.engine.noise:
                continue
            cm = _COPY.match(ln.text)
            if cm:
                in_copy = True
                segments.append(
                    Segment("copy", ln.start + _lead(ln.text), ln.start + len(ln.text.rstrip()))
                )
                copy.append(ln.text[cm.end() :])
            elif in_copy:
                self._add(ln, "copy")
                copy.append(ln.text)
            else:
                self._add(ln, "signature")
                sig.append(ln.text)
        self.metadata.update(meta.parse_signature("\n".join(sig)))
        copies = meta.parse_copy_list("\n".join(copy))
        if copies:
            self.metadata["copy_to"] = copies

    def _metadata(self, sal: int | None, title: str) -> None:
        md = self.metadata
        if sal is not None:
            md.update(meta.parse_recipient(self.recipient, self.lines[sal].text, title))
        if title:
            md["inspection_title"] = title
        if "authority" not in md and title:
            named = meta.authority_from_title(title)
            if named:
                md["authority"] = named
        for key in ORDER:
            if md.get(key) not in (None, "", []):
                self.engine.metadata[key] = md[key]


def _lead(s: str) -> int:
    return len(s) - len(s.lstrip())
