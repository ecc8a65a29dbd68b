"""Re-anchoring: a saved review's findings found again in a letter that has changed.

:mod:`reviewer.review.anchor` finds each finding's words in the new text (unchanged, moved,
changed or orphan); this module applies that to a review: a finding gets its new span,
words and context, a finding whose item grew in the letter is snapped to the whole item the
segmenter finds there, and one found nowhere is kept with ``anchor = "orphan"`` at offsets
0..0 (never dropped). The findings are then in letter order, orphans last.
"""

from __future__ import annotations

from reviewer.review.annotation import Review, context_of
from reviewer.review.state import OpenReport
from reviewer.segment.lines import clean_span
from reviewer.segment.scheme import load_scheme
from reviewer.sources.letter import Letter


def _snap_to_item(
    start: int, end: int, items: list[tuple[int, int, str]]
) -> tuple[int, int, str] | None:
    """The whole item the segmenter finds where a fuzzy match landed.

    A fuzzy match is as long as the old text; when the letter's sentence grew, the item
    around it says where the finding really ends.
    """
    best, best_overlap = None, 0
    for a, b, text in items:
        overlap = min(b, end) - max(a, start)
        if overlap > best_overlap:
            best, best_overlap = (a, b, text), overlap
    if best is None or best_overlap < 0.5 * (end - start):
        return None
    return best


def words(text: str) -> str:
    """The text with every run of whitespace one space."""
    return " ".join(text.split())


def reanchor_review(review: Review, letter: Letter, report: OpenReport) -> None:
    """Find a review's findings in a changed letter: each placed anew (and snapped to the
    whole item where it grew) or kept as an orphan at offsets 0..0; counted in ``report``."""
    # anchor (its patterns) loads only when a letter has changed under its review, which
    # opening an unchanged or unreviewed letter never needs
    from reviewer.review.anchor import Anchor, reanchor

    anchors = [
        Anchor(f.letter_text or f.text, f.start, f.end, f.context_before, f.context_after)
        for f in review.findings
    ]
    placements = reanchor(anchors, letter.text, clean=lambda raw: clean_span(raw, letter.text))
    items = None
    kept = []
    # What used to surround each finding: new words right beside it mean the item grew.
    old_context = {
        id(f): (words(f.context_before)[-20:], words(f.context_after)[:20]) for f in review.findings
    }
    for f, p in zip(review.findings, placements, strict=True):
        if p.status == "orphan":
            report.orphans += 1
            f.anchor = "orphan"
            f.start = f.end = 0
        else:
            if p.status == "moved":
                report.moved += 1
            start, end = p.start, p.end
            if p.status == "changed":
                report.changed += 1
                if p.new_text and f.letter_text:
                    f.letter_text = p.new_text  # the reviewer's own wording stays
                elif p.new_text:
                    f.text = p.new_text
            f.start, f.end = start, end
            f.anchor = p.status if p.status != "unchanged" else ""
            f.context_before, f.context_after = context_of(letter.text, p.start, p.end)
        kept.append(f)
    for f in kept:
        if f.anchor == "orphan":
            continue
        before, after = old_context[id(f)]
        grew = (
            words(letter.text[max(0, f.start - 60) : f.start])[-20:] != before
            or words(letter.text[f.end : f.end + 60])[:20] != after
        )
        if f.anchor != "changed" and not grew:
            continue
        if items is None:
            from reviewer.segment.families import segment_text

            doc = segment_text(letter.text, load_scheme(review.scheme))
            items = [(g.start, g.end, g.text) for g in doc.findings]
        snapped = _snap_to_item(f.start, f.end, items)
        if snapped is None:
            continue
        a, b, text = snapped
        if f.anchor != "changed" and not (a < f.start or b > f.end):
            continue  # the item is no longer than the finding: nothing grew into it
        clash = any(g is not f and g.anchor != "orphan" and g.start < b and a < g.end for g in kept)
        if not clash:
            if f.anchor != "changed":
                report.moved -= f.anchor == "moved"
                report.changed += 1
                f.anchor = "changed"
            f.start, f.end = a, b
            if f.letter_text:
                f.letter_text = text  # the reviewer's own wording stays; only its anchor moves
            else:
                f.text = text
            f.context_before, f.context_after = context_of(letter.text, a, b)
    kept.sort(key=lambda f: (f.anchor == "orphan", f.start))
    review.findings = kept
    review.sha256 = letter.sha256
    review.encoding = letter.encoding
