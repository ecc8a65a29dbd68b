"""The corrections of a review's findings and metadata, and the queries they rest on.

:class:`Corrections` is the part of :class:`reviewer.review.session.ReviewSession` that knows
what a correction does to a review: each change is a method marked ``@change`` (see
:mod:`reviewer.review.changes`), which checks its arguments (SessionError with a one-line
reason), calls ``self._checkpoint("label for undo")`` once before it alters anything, then
alters the review (``self._replace(i, field=value)`` for a finding, ``self._reshaping()``
just before findings are inserted or deleted, or assigns ``self.review.<field>`` and sets
``self.dirty``). The session supplies the undo checkpoint,
the guarded replace and the journal; the queries here (which finding is at an offset, the
paragraph under the cursor, the segmenter's view of the letter) change nothing.
"""

from __future__ import annotations

import bisect
import dataclasses
import re
from collections.abc import Callable
from typing import Any

from reviewer.model import Finding, finding_id
from reviewer.review import annotation
from reviewer.review.annotation import context_of
from reviewer.review.changes import SessionError, change
from reviewer.review.state import SessionState
from reviewer.segment.letter_keys import COUNCIL_KEYS

# Compiled at the first split (re's own cache keeps it), not for the first screen.
_SENTENCE_END = r"[.!?][\"”’)]?\s+(?=[A-Z“\"‘(])"


class Corrections(SessionState):
    """What can be asked of a review's findings and every correction of them (a base of
    :class:`reviewer.review.session.ReviewSession`, which supplies the guarded steps below)."""

    # The session's guarded steps: an undo checkpoint and a finding replaced, only in apply.
    _checkpoint: Callable[[str], None]
    _replace: Callable[..., Finding]
    _reshaping: Callable[[], None]  # before findings are inserted or deleted

    # -- reading ---------------------------------------------------------------------------

    @property
    def findings(self) -> list[Finding]:
        return self.review.findings

    @property
    def reviewed_count(self) -> int:
        """How many findings a person has decided (status other than "auto"); counted once,
        then kept up to date by each finding replaced (see the session's ``_replace``)."""
        if self._reviewed is None:
            self._reviewed = sum(1 for f in self.review.findings if f.status != "auto")
        return self._reviewed

    def index_of(self, fid: str) -> int | None:
        for i, f in enumerate(self.review.findings):
            if f.id == fid:
                return i
        return None

    def finding_at(self, offset: int) -> int | None:
        """The finding whose span holds a letter offset (bisect over starts)."""
        starts = self._placed_starts()
        k = bisect.bisect_right(starts, offset) - 1
        if k >= 0:
            f = self.review.findings[k]
            if f.start <= offset < max(f.end, f.start + 1):
                return k
        return None

    def _placed_starts(self) -> list[int]:
        """Starts of the findings that have a place in the letter; orphans are kept last."""
        if self._starts is None:
            self._starts = [f.start for f in self.review.findings if f.anchor != "orphan"]
        return self._starts

    def next_unreviewed(self, after: int) -> int | None:
        """The first finding still "auto" after `after`, wrapping round; None when every
        finding is decided (known from the count, without a walk over them)."""
        fs = self.review.findings
        if self.reviewed_count >= len(fs):
            return None
        for j in range(after + 1, len(fs)):
            if fs[j].status == "auto":
                return j
        for j in range(0, min(after + 1, len(fs))):
            if fs[j].status == "auto":
                return j
        return None

    def _finding(self, i: int) -> Finding:
        if not 0 <= i < len(self.review.findings):
            raise SessionError("no finding is selected")
        return self.review.findings[i]

    def _status_for(self, f: Finding, **changed) -> str:
        """What a correction makes of a finding's status: back exactly as the machine had it
        (words, span and category) is "confirmed"; otherwise "corrected" ("added" stays)."""
        if f.status == "added":
            return "added"
        new = dataclasses.replace(f, **changed)
        if f.id not in self._machine_spans and self._segments is None:
            self._segment()
        same = self._machine_spans.get(f.id) == (new.text, new.start, new.end)
        return "confirmed" if same and new.category == new.auto_category else "corrected"

    @property
    def segments(self):
        """The segmenter's view of the letter (paragraphs, headings...), made when first asked."""
        if self._segments is None:
            self._segment()
        return self._segments

    def _segment(self) -> None:
        """Segment the letter again: its segments, and the machine's span of every finding
        not known from the open (those saved as corrected: the ids come from the words)."""
        from reviewer.segment.families import segment_text

        doc = segment_text(self.text, self.scheme)
        self._segments = doc.segments
        for g in doc.findings:
            self._machine_spans.setdefault(g.id, (g.text, g.start, g.end))

    def paragraph_at(self, offset: int):
        """The paragraph segment (not a finding) that holds a letter offset, if any."""
        for seg in self.segments:
            if seg.kind == "paragraph" and seg.start <= offset < seg.end:
                return seg
        return None

    # -- corrections -----------------------------------------------------------------------

    @change
    def set_category(self, i: int, category: str) -> None:
        """A finding's category; its section follows when the section named the old one."""
        f = self._finding(i)
        if category not in self.scheme.by_id:
            raise SessionError(f"unknown category '{category}'")
        self._checkpoint(f"category {self.scheme.label_of(category)}")
        self._replace(
            i,
            category=category,
            status=self._status_for(f, category=category),
            section=self._section_for(i, category),
        )

    def _section_for(self, i: int, category: str) -> str:
        """The section of finding i once it is of `category`: its own when that names no
        category or names this one; else the heading another finding of the category sits
        under, else the category's label."""
        section = self.review.findings[i].section
        if not section:
            return section
        named = self._categories_named(section)
        if not named or category in named:
            return section
        # The nearest such finding, looked for outwards from i: a key stops near it.
        fs = self.review.findings
        n = len(fs)
        for d in range(1, n):
            found = [
                g.section
                for j in (i - d, i + d)
                if 0 <= j < n
                and (g := fs[j]).category == category
                and g.section
                and category in self._categories_named(g.section)
            ]
            if found:
                return min(found)
            if i - d <= 0 and i + d >= n - 1:
                break
        return self.scheme.label_of(category)

    def _categories_named(self, heading: str) -> frozenset[str]:
        """The categories a section heading names (remembered: a letter has few headings,
        and a category key asks about every finding's)."""
        named = self._named.get(heading)
        if named is None:
            found, _ = self.scheme.match_heading(heading)
            named = frozenset(self.scheme.mentions(heading)) | ({found} if found else set())
            self._named[heading] = named
        return named

    @change
    def set_responsible(self, i: int, responsible: str) -> None:
        """Who must act on a finding (area SEND: the responsible body); "" removes it."""
        f = self._finding(i)
        if "responsible" not in self.scheme.details.finding_fields:
            raise SessionError(f"{self.scheme.label} findings have no responsible body to correct")
        responsible = " ".join(responsible.split())
        if responsible == f.responsible:
            return
        self._checkpoint("responsible body")
        status = "added" if f.status == "added" else "corrected"  # a person's correction
        self._replace(i, responsible=responsible, status=status)

    @change
    def confirm(self, i: int) -> int | None:
        """Accept the finding as it stands; returns the next finding still to review."""
        f = self._finding(i)
        if f.status == "auto":
            self._checkpoint("confirm")
            self._replace(i, status="confirmed")
        return self.next_unreviewed(i)

    @change
    def edit_text(self, i: int, text: str) -> None:
        f = self._finding(i)
        text = " ".join(text.split())
        if not text:
            raise SessionError("a finding needs some text; delete it instead")
        if text == f.text:
            return
        self._checkpoint("edit text")
        own = self._clean(f.start, f.end) if f.anchor != "orphan" else ""
        letter_text = f.letter_text or (own if own != text else "")
        if own == text:
            letter_text = ""
        self._replace(i, text=text, status=self._status_for(f, text=text), letter_text=letter_text)

    @change
    def set_note(self, i: int, note: str) -> None:
        f = self._finding(i)
        note = note.strip()
        if note == f.note:
            return
        self._checkpoint("note")
        self._replace(i, note=note)

    @change
    def toggle_theme(self, i: int, theme: str) -> None:
        """Add the theme to the finding, or take it away if it is there."""
        f = self._finding(i)
        self._checkpoint("theme")
        themes = tuple(t for t in f.themes if t != theme)
        if len(themes) == len(f.themes):
            themes = f.themes + (theme,)
        self._replace(i, themes=themes)

    @change
    def set_themes(self, i: int, themes: list[str]) -> None:
        """A finding's themes as chosen in one go (one undo step): those it keeps stay in
        their order, new ones follow in the order given."""
        f = self._finding(i)
        wanted = list(dict.fromkeys(themes))
        new = tuple(t for t in f.themes if t in wanted) + tuple(
            t for t in wanted if t not in f.themes
        )
        if new == f.themes:
            return
        self._checkpoint("themes")
        self._replace(i, themes=new)

    @change
    def delete(self, i: int) -> None:
        self._finding(i)
        self._checkpoint("delete")
        self._reshaping()
        del self.review.findings[i]
        self._starts = None
        self.dirty = True

    def heading_between(self, i: int) -> str:
        """The heading that separates finding ``i`` from the next one, or "" if none does."""
        a, b = self._finding(i), self._finding(i + 1)
        lo, hi = min(a.end, b.end), max(a.start, b.start)
        for seg in self.segments:
            if seg.kind == "heading" and lo <= seg.start < hi:
                return " ".join(self.text[seg.start : seg.end].split())
        if a.section != b.section:
            return b.section or "another heading"
        return ""

    @change
    def merge_next(self, i: int, across_heading: bool = False) -> None:
        """Merge a finding with the next one; the merged text is their two texts, never the
        letter between them. Findings under different headings are merged only when asked
        (``across_heading``), since one of the two categories is lost."""
        a = self._finding(i)
        if i + 1 >= len(self.review.findings):
            raise SessionError("there is no next finding to merge with")
        b = self.review.findings[i + 1]
        if "orphan" in (a.anchor, b.anchor):
            raise SessionError(
                "a finding not found in the letter cannot be merged; edit or delete it"
            )
        heading = "" if across_heading else self.heading_between(i)
        if heading:
            raise SessionError(
                f"the next finding is under another heading ({heading[:60]}); merging "
                "would lose one of the two categories, so it needs confirming"
            )
        self._checkpoint("merge")
        merged: dict[str, Any] = {
            "text": f"{a.text} {b.text}",
            "start": min(a.start, b.start),
            "end": max(a.end, b.end),
        }
        if a.letter_text or b.letter_text:
            merged["letter_text"] = f"{a.letter_text or a.text} {b.letter_text or b.text}"
        self._replace(
            i,
            **merged,
            status=self._status_for(a, **merged),
            note="; ".join(n for n in (a.note, b.note) if n),
            themes=a.themes + tuple(t for t in b.themes if t not in a.themes),
            context_after=b.context_after,
        )
        self._reshaping()
        del self.review.findings[i + 1]
        self._starts = None

    def split_point(self, i: int) -> int | None:
        """The letter offset of the sentence boundary nearest the middle of a finding."""
        f = self._finding(i)
        raw = self.text[f.start : f.end]
        cuts = [m.end() for m in re.finditer(_SENTENCE_END, raw)]
        if not cuts:
            return None
        mid = len(raw) / 2
        return f.start + min(cuts, key=lambda c: abs(c - mid))

    @change
    def split(self, i: int, at: int | None = None) -> None:
        """Split a finding in two at a letter offset, or at its middle sentence boundary."""
        f = self._finding(i)
        if at is None:
            at = self.split_point(i)
            if at is None:
                raise SessionError(
                    "this finding is one sentence; put the letter cursor where to split"
                )
        first_raw, second_raw = self.text[f.start : at], self.text[at : f.end]
        first, second = self._clean(f.start, at), self._clean(at, f.end)
        if not (f.start < at < f.end) or not first or not second:
            raise SessionError("the split point must lie inside the finding's text")
        first_end = f.start + len(first_raw.rstrip())
        second_start = at + len(second_raw) - len(second_raw.lstrip())
        self._checkpoint("split")
        status = "added" if f.status == "added" else "corrected"
        taken = {x.id for x in self.review.findings}
        new = dataclasses.replace(
            f,
            id=finding_id(second, taken),
            text=second,
            start=second_start,
            status=status,
            note="",
            context_before=context_of(self.text, second_start, second_start)[0],
            letter_text="",
            split_from=f.split_from or f.id,
        )
        self._replace(
            i,
            text=first,
            end=first_end,
            status=status,
            context_after=context_of(self.text, first_end, first_end)[1],
            letter_text="",
        )
        self._reshaping()
        self.review.findings.insert(i + 1, new)
        self._starts = None

    @change
    def add(self, start: int, end: int, category: str | None = None) -> int:
        """A new finding from a span of the letter; returns its index."""
        start, end = sorted((start, end))
        text = self._clean(start, end)
        if not text:
            raise SessionError("select some letter text first (shift+arrows in the letter)")
        start, end = self._trimmed(start, end)
        if self.overlapping(start, end):
            raise SessionError("the selection overlaps a finding; split or delete that one first")
        category = category or self.scheme.categories[0].id
        if category not in self.scheme.by_id:
            raise SessionError(f"unknown category '{category}'")
        self._checkpoint("add")
        taken = {x.id for x in self.review.findings}
        section = ""
        pos = bisect.bisect_left(self._placed_starts(), start)
        if pos > 0:
            section = self.review.findings[pos - 1].section
        before, after = context_of(self.text, start, end)
        new = Finding(
            id=finding_id(text, taken),
            category=category,
            auto_category="",
            section=section,
            text=text,
            start=start,
            end=end,
            confidence=1.0,
            status="added",
            context_before=before,
            context_after=after,
        )
        self._reshaping()
        self.review.findings.insert(pos, new)
        self._starts = None
        self.dirty = True
        return pos

    @change
    def rebound(self, start: int, end: int) -> int:
        """Give the finding that a letter selection overlaps exactly the selected span.

        This is how a boundary is moved without deleting the finding: its category, note
        and themes stay; its text becomes the selected words. Returns the finding's index.
        """
        start, end = sorted((start, end))
        if not self._clean(start, end):
            raise SessionError("select the finding's new extent in the letter first")
        start, end = self._trimmed(start, end)
        hits = self.overlapping(start, end)
        if not hits:
            raise SessionError("the selection touches no finding; press a to add it as one")
        if len(hits) > 1:
            raise SessionError("the selection overlaps several findings; merge them first")
        i = hits[0]
        self._set_span(i, start, end, "boundaries")
        return i

    def _set_span(self, i: int, start: int, end: int, label: str) -> bool:
        """Give finding `i` the letter's words at start..end as one undo step; False (and no
        step) when that is its span already. Back on the machine's own span, the machine's
        words and status come back with it (see `_status_for`)."""
        f = self.review.findings[i]
        if (f.start, f.end) == (start, end):
            return False
        text = self._clean(start, end)
        if not text:
            raise SessionError("a finding needs some text; delete it instead")
        self._checkpoint(label)
        before, after = context_of(self.text, start, end)
        self._replace(
            i,
            start=start,
            end=end,
            text=text,
            status=self._status_for(f, start=start, end=end, text=text),
            context_before=before,
            context_after=after,
            letter_text="",
        )
        self._starts = None
        return True

    def _placed(self, i: int) -> Finding:
        f = self._finding(i)
        if f.anchor == "orphan":
            raise SessionError("this finding was not found in the letter; edit or delete it")
        return f

    def overlapping(self, start: int, end: int) -> list[int]:
        """The findings with a place in the letter that start..end overlaps."""
        return [
            k
            for k, f in enumerate(self.review.findings)
            if f.anchor != "orphan" and f.start < end and start < f.end
        ]

    def _trimmed(self, start: int, end: int) -> tuple[int, int]:
        """start..end without the whitespace at either side."""
        raw = self.text[start:end]
        start += len(raw) - len(raw.lstrip())
        return start, start + len(raw.strip())

    def _neighbour_in(self, i: int, start: int, end: int) -> int | None:
        """Another finding with a place in the letter that start..end runs into, if any."""
        return next((k for k in self.overlapping(start, end) if k != i), None)

    @change
    def move_edge(self, i: int, edge: str, unit: str, step: int) -> int:
        """Move finding `i`'s start or end one word or sentence forward (1) or back (-1).

        One undo step; its category, note and themes stay. Raises SessionError when the edge
        cannot move (the finding would be empty, the letter ends) or would run into another
        finding. Returns the new offset of the moved edge.
        """
        f = self._placed(i)
        from reviewer.review.boundaries import moved_edge

        new = moved_edge(self.text, f.start, f.end, edge, unit, step)
        way = "on" if step > 0 else "back"
        if new is None:
            if (edge == "end") == (step > 0):
                where = "the letter ends" if edge == "end" else "the letter starts"
                raise SessionError(f"the finding's {edge} cannot move {way}: {where} there")
            raise SessionError(
                f"the finding's {edge} cannot move {way} a {unit}: the finding would be empty"
            )
        start, end = (f.start, new) if edge == "end" else (new, f.end)
        k = self._neighbour_in(i, start, end)
        if k is not None:
            raise SessionError(
                f"moving the {edge} {way} a {unit} runs into finding {k + 1}; merge the two instead"
            )
        self._set_span(i, start, end, f"{edge} {way} a {unit}")
        return new

    def snap_span(self, i: int) -> tuple[int, int] | None:
        """The paragraphs or list items the finding touches, as one span; None if none."""
        f = self._placed(i)
        parts = [
            seg
            for seg in self.segments
            if seg.kind in ("paragraph", "finding") and seg.start < f.end and f.start < seg.end
        ]
        if not parts:
            return None
        return self._trimmed(min(p.start for p in parts), max(p.end for p in parts))

    @change
    def snap(self, i: int) -> int:
        """Give finding `i` the whole paragraph or list item under it (the union of those it
        touches) as one undo step; returns its index. SessionError when there is none, when
        it covers that already, or when another finding is in it."""
        span = self.snap_span(i)
        if span is None:
            raise SessionError("no paragraph or list item lies under this finding")
        f = self.review.findings[i]
        if span == (f.start, f.end):
            raise SessionError("the finding already covers its whole paragraph")
        k = self._neighbour_in(i, *span)
        if k is not None:
            raise SessionError(
                f"the paragraph holds finding {k + 1} as well; merge the two instead"
            )
        self._set_span(i, *span, "snap to the paragraph")
        return i

    @change
    def set_metadata(self, values: dict[str, Any]) -> None:
        """Replace letter metadata; keys given as None or "" are removed.

        A new written authority given without the council's keys takes the council the
        register finds for it (or none): its codes are never left on another council.
        """
        written = values.get("authority")
        if (
            isinstance(written, str)
            and written != self.review.letter.get("authority")
            and not any(k in values for k in COUNCIL_KEYS)
        ):
            from reviewer.review.details import written_council_keys

            values = {**values, **written_council_keys(written)}
        merged = dict(self.review.letter)
        for k, v in values.items():
            if v in (None, "", []):
                merged.pop(k, None)
            else:
                merged[k] = v
        if merged == self.review.letter:
            return
        self._checkpoint("metadata")
        self.review.letter = merged
        self.dirty = True

    @change
    def set_review_note(self, note: str) -> None:
        """The reviewer's note on the whole letter (`[review].note`); "" removes it."""
        note = note.strip()
        if note == self.review.note:
            return
        self._checkpoint("letter note")
        self.review.note = note
        self.dirty = True

    @change
    def set_review_status(self, status: str) -> None:
        if status not in annotation.REVIEW_STATUSES:
            raise SessionError(f"unknown review status '{status}'")
        if status == self.review.status:
            return
        self._checkpoint(f"mark {status}")
        self.review.status = status
        self.dirty = True

    @change
    def promote(self, offset: int, category: str | None = None) -> int:
        """Make the paragraph under the letter cursor a finding; returns its index."""
        seg = self.paragraph_at(offset)
        if seg is None:
            raise SessionError("the letter cursor is not on a paragraph that can become a finding")
        i = self.add(seg.start, seg.end, category)
        if seg.section:
            self._replace(i, section=seg.section)
        return i
