"""Show a hard-wrapped letter as flowing paragraphs, without moving any offset.

PDFs and many text letters break every line at the page's width; in a pane narrower than
the page, each of those lines wraps again and the letter reads ragged. A line break that only
wraps a paragraph is shown as a space instead: one character for one, so offsets into the
shown text are offsets into the letter.
"""

from __future__ import annotations

from reviewer.segment.furniture import furniture as page_furniture
from reviewer.segment.lines import BULLET, TERMINAL, Line, is_noise_line, split_lines, wrap_width

# A line this much shorter than the wrap width ended its paragraph (the next word would
# have fitted), so its break is kept. Proportional fonts make extracted line lengths vary.
_FULL_LINE = 0.72
_OPENERS = "\"'“‘(["


def _wraps_on(
    line: Line, after: Line, width: int, furniture: set[str], *, starts_block: bool
) -> bool:
    """Whether the break between two lines only wraps one paragraph onto the next line.

    `starts_block`: the line begins a paragraph or heading (its own break before was kept).
    """
    body, nxt = line.text.rstrip(), after.text.strip()
    if not body.strip() or not nxt or after.page_break_before:
        return False
    if len(body) < _FULL_LINE * width or len(line.text) > width * 1.5:
        return False
    if BULLET.match(after.text) or nxt in furniture or body.strip() in furniture:
        return False
    if is_noise_line(nxt) or is_noise_line(body.strip()):
        return False
    # A sentence that ends at the line's end, then one that starts on the next, may as well
    # be two paragraphs: the letter's own layout is kept, not guessed.
    first = nxt.lstrip(_OPENERS)[:1]
    capital = first.isupper() or first.isdigit()
    if body[-1] in TERMINAL + ":" and capital:
        return False
    # A long title ("Focused visit to X children's services") ends without punctuation
    # before a paragraph that starts with a capital.
    return not (starts_block and body[-1].isalnum() and capital)


def soft_breaks(text: str) -> list[int]:
    """Offsets of the characters (LF, CR, or both of a CRLF) of each line break that only
    wraps a paragraph."""
    lines = split_lines(text)
    width = wrap_width(lines)
    if not width:
        return []
    # Page furniture (running headers and footers, page numbers) stays on its own lines:
    # the engine's one detector says which lines they are.
    furniture = {lines[i].stripped for i in page_furniture(lines)}
    out: list[int] = []
    starts_block = True
    for line, after in zip(lines, lines[1:], strict=False):
        ending = text[line.end : after.start]
        soft = ending in ("\n", "\r", "\r\n") and _wraps_on(
            line, after, width, furniture, starts_block=starts_block
        )
        if soft:
            out.extend(range(line.end, after.start))
        starts_block = not soft
    return out


def reflow(text: str) -> tuple[str, list[int]]:
    """The text with each soft line break shown as spaces (the same length as `text`), and
    the offsets of those spaces a pane draws with no width, so that a wrapped paragraph
    reads with one space between its words: a break after a space or a hyphen that ends
    the line ("social work ", "decision-"), and the second character of a CRLF."""
    breaks = soft_breaks(text)
    if not breaks:
        return text, []
    chars = list(text)
    quiet = []
    for at in breaks:
        chars[at] = " "
        before = text[at - 1 : at]
        hyphen = before == "-" and text[at - 2 : at - 1].isalnum()  # not a spaced dash
        if before in (" ", "\t", "\r") or hyphen:
            quiet.append(at)
    return "".join(chars), quiet
