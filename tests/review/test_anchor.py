"""Tests for reviewer.anchor: findings are found again after the letter text changes."""

from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reviewer.review.anchor import (
    CHANGED,
    MOVED,
    ORPHAN,
    UNCHANGED,
    Anchor,
    Placement,
    clean_text,
    normalise,
    reanchor,
)
from reviewer.review.annotation import context_of

LETTER = """\
Dear Ms Bailey

Annual unannounced inspection of contact, referral and assessment arrangements
within Northdale County Council children's services

This letter summarises the findings of the recent unannounced inspection of
contact, referral and assessment arrangements. I would like to thank all of the
staff we met for their assistance in undertaking this inspection.

Strengths

- Child protection concerns are responded to promptly by all agencies working
  with children, and strategy meetings are well attended.
- Assessments of children's needs are consistently of high quality and are
  updated promptly to reflect changing circumstances.

The service meets the requirements of statutory guidance in the following areas

- Initial assessments are completed within the timescales set out in statutory
  guidance.
- Children are seen, and where appropriate seen alone, as part of their assess-
  ments, and their views are recorded on file.

Areas for development

- Case files do not consistently show that management oversight has taken place.
- Written feedback to referring agencies is not routinely provided, and some
  partner agencies did not know the outcome of their referral.

These areas for development will be followed up at the next inspection.

Yours sincerely

Aileen Marchbank
Her Majesty's Inspector
"""

FINDINGS = [
    "Child protection concerns are responded to promptly by all agencies working\n"
    "  with children, and strategy meetings are well attended.",
    "Assessments of children's needs are consistently of high quality and are\n"
    "  updated promptly to reflect changing circumstances.",
    "Children are seen, and where appropriate seen alone, as part of their assess-\n"
    "  ments, and their views are recorded on file.",
    "Case files do not consistently show that management oversight has taken place.",
    "Written feedback to referring agencies is not routinely provided, and some\n"
    "  partner agencies did not know the outcome of their referral.",
]


def cleaned(raw: str) -> str:
    """What the segmenter stores as finding text: one line, line-end hyphens joined."""
    return " ".join(raw.replace("-\n  ", "").split())


def anchor_at(text: str, raw: str, occurrence: int = 0) -> Anchor:
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(raw, start + 1)
    end = start + len(raw)
    before, after = context_of(text, start, end)
    return Anchor(cleaned(raw), start, end, before, after)


@pytest.fixture
def anchors() -> list[Anchor]:
    return [anchor_at(LETTER, raw) for raw in FINDINGS]


def assert_found(anchors: list[Anchor], placements: list[Placement], new: str) -> None:
    assert len(placements) == len(anchors)
    for a, p in zip(anchors, placements, strict=True):
        assert p.status in (UNCHANGED, MOVED), (a.text, p)
        assert p.score == 100.0
        assert p.new_text is None
        assert normalise(new[p.start : p.end]) == normalise(a.text)


def test_context_of() -> None:
    text = "abcdefghij"
    assert context_of(text, 4, 6, width=3) == ("bcd", "ghi")
    assert context_of(text, 1, 9, width=3) == ("a", "j")
    assert context_of(text, 0, 10) == ("", "")


def test_normalise_folds_layout() -> None:
    assert normalise("  a\n\tb  ") == "a b"
    assert normalise("assess-\n  ments") == normalise("assessments")
    assert normalise("multi-\nagency") == normalise("multi-agency") == normalise("multiagency")
    assert normalise("\u2022 one\n\u25aa two - three") == "one two three"
    assert normalise("children\u2019s \u201cviews\u201d") == 'children\'s "views"'
    assert normalise("a | b") == "a b"
    assert normalise("well-") == "well-"


def test_clean_text() -> None:
    assert clean_text("- Children are seen,\n  as part of their assess-\n  ments.") == (
        "Children are seen, as part of their assessments."
    )
    assert clean_text("the multi-\nagency plan", frozenset({"multi-agency"})) == (
        "the multi-agency plan"
    )


def test_same_letter_all_unchanged(anchors: list[Anchor]) -> None:
    placements = reanchor(anchors, LETTER)
    assert [p.status for p in placements] == [UNCHANGED] * 5
    assert [(p.start, p.end) for p in placements] == [(a.start, a.end) for a in anchors]


def test_lines_inserted_before_all(anchors: list[Anchor]) -> None:
    extra = "Ofsted\nPiccadilly Gate\nManchester M1 2WD\n\n"
    new = extra + LETTER
    placements = reanchor(anchors, new)
    assert_found(anchors, placements, new)
    assert [p.status for p in placements] == [MOVED] * 5
    for a, p in zip(anchors, placements, strict=True):
        assert (p.start, p.end) == (a.start + len(extra), a.end + len(extra))
        assert new[p.start : p.end] == LETTER[a.start : a.end]


def test_lines_inserted_between_findings(anchors: list[Anchor]) -> None:
    cut = LETTER.index("Areas for development")
    extra = "A new paragraph added by the inspector\nafter moderation.\n\n"
    new = LETTER[:cut] + extra + LETTER[cut:]
    placements = reanchor(anchors, new)
    assert_found(anchors, placements, new)
    assert [p.status for p in placements] == [UNCHANGED] * 3 + [MOVED] * 2
    for a, p in zip(anchors[3:], placements[3:], strict=True):
        assert p.start == a.start + len(extra)


def test_lines_appended(anchors: list[Anchor]) -> None:
    new = LETTER + "\nCopy: Chief Executive\nChair, Local Safeguarding Children Board\n"
    placements = reanchor(anchors, new)
    assert [p.status for p in placements] == [UNCHANGED] * 5


def test_finding_edited(anchors: list[Anchor]) -> None:
    old = (
        "Initial assessments are completed within the timescales set out in statutory\n  guidance."
    )
    new_words = (
        "Initial assessments are nearly always completed within the timescales set out in\n"
        "  statutory guidance."
    )
    edited = FINDINGS[:2] + [old] + FINDINGS[2:]
    anchors = [anchor_at(LETTER, raw) for raw in edited]
    new = LETTER.replace(old, new_words)
    placements = reanchor(anchors, new)
    changed = placements[2]
    assert changed.status == CHANGED
    assert 80 <= changed.score < 100
    assert changed.new_text == " ".join(new_words.split())
    assert new[changed.start : changed.end] == new_words
    others = placements[:2] + placements[3:]
    assert_found(anchors[:2] + anchors[3:], others, new)


def test_changed_span_is_trimmed_to_words(anchors: list[Anchor]) -> None:
    old = FINDINGS[3]
    new = LETTER.replace(
        old, "Case files do not always show that managers' oversight has taken place."
    )
    placement = reanchor(anchors, new)[3]
    assert placement.status == CHANGED
    raw = new[placement.start : placement.end]
    assert raw == raw.strip()
    assert raw.startswith("Case files") and raw.endswith("taken place.")
    assert (
        placement.new_text
        == "Case files do not always show that managers' oversight has taken place."
    )


def test_custom_cleaner_is_used_for_new_text(anchors: list[Anchor]) -> None:
    new = LETTER.replace("management oversight", "managerial oversight")
    placement = reanchor(anchors, new, clean=lambda raw: "<" + raw + ">")[3]
    assert placement.status == CHANGED
    assert placement.new_text == "<" + new[placement.start : placement.end] + ">"


def test_finding_deleted(anchors: list[Anchor]) -> None:
    line = "- Case files do not consistently show that management oversight has taken place.\n"
    new = LETTER.replace(line, "")
    placements = reanchor(anchors, new)
    assert placements[3] == Placement(ORPHAN, -1, -1, 0.0, None)
    assert_found(anchors[:3] + anchors[4:], placements[:3] + placements[4:], new)


def test_min_score_decides_between_changed_and_orphan(anchors: list[Anchor]) -> None:
    new = LETTER.replace("management oversight has taken place", "leaders check the work")
    assert reanchor(anchors, new)[3].status == ORPHAN
    assert reanchor(anchors, new, min_score=50)[3].status == CHANGED


def test_rewrapped_text(anchors: list[Anchor]) -> None:
    new = LETTER.replace(
        "responded to promptly by all agencies working\n  with children,",
        "responded to\n  promptly by all agencies working with children,",
    ).replace(
        "as part of their assess-\n  ments, and their views",
        "as part of their assessments,\n  and their views",
    )
    placements = reanchor(anchors, new)
    assert_found(anchors, placements, new)
    assert placements[0].status == UNCHANGED  # same length, same offsets
    assert placements[2].status == MOVED  # the hyphen and two spaces went


def test_crlf_and_back(anchors: list[Anchor]) -> None:
    crlf = LETTER.replace("\n", "\r\n")
    placements = reanchor(anchors, crlf)
    assert_found(anchors, placements, crlf)
    assert {p.status for p in placements} == {MOVED}
    for a, p in zip(anchors, placements, strict=True):
        assert p.start == a.start + LETTER.count("\n", 0, a.start)

    crlf_anchors = [anchor_at(crlf, raw.replace("\n", "\r\n")) for raw in FINDINGS]
    back = reanchor(crlf_anchors, LETTER)
    assert [(p.start, p.end) for p in back] == [(a.start, a.end) for a in anchors]


DUPLICATED = """\
Strengths

Partner agencies share information promptly and appropriately.
Managers know their teams well.

Areas for development

Partner agencies share information promptly and appropriately.
Supervision is not always recorded.
"""
SENTENCE = "Partner agencies share information promptly and appropriately."


def test_duplicate_text_resolved_by_context() -> None:
    first, second = anchor_at(DUPLICATED, SENTENCE, 0), anchor_at(DUPLICATED, SENTENCE, 1)
    # Swap the two sections: proximity now points the wrong way, context does not.
    head, tail = DUPLICATED.split("Areas for development\n\n")
    new = "Areas for development\n\n" + tail + "\n" + head
    p1, p2 = reanchor([first, second], new)
    assert p1.status == p2.status == MOVED
    assert new[: p1.start].rstrip().endswith("Strengths")
    assert new[: p2.start].rstrip().endswith("Areas for development")


def test_duplicate_text_with_inserted_lines() -> None:
    first, second = anchor_at(DUPLICATED, SENTENCE, 0), anchor_at(DUPLICATED, SENTENCE, 1)
    new = "Intro\n\n" + DUPLICATED
    p1, p2 = reanchor([first, second], new)
    assert (p1.start, p2.start) == (first.start + 7, second.start + 7)


def test_deleted_duplicate_is_orphan() -> None:
    first, second = anchor_at(DUPLICATED, SENTENCE, 0), anchor_at(DUPLICATED, SENTENCE, 1)
    new = DUPLICATED.replace("Strengths\n\n" + SENTENCE + "\n", "Strengths\n\n")
    p1, p2 = reanchor([first, second], new)
    assert p1.status == ORPHAN
    assert p2.status == MOVED
    assert new[: p2.start].rstrip().endswith("Areas for development")


def test_same_finding_twice_may_share_its_span() -> None:
    a = anchor_at(DUPLICATED, "Managers know their teams well.")
    p1, p2 = reanchor([a, a], "Intro\n\n" + DUPLICATED)
    assert p1 == p2
    assert p1.status == MOVED


def test_placements_do_not_overlap() -> None:
    text = "One two three four five six seven eight nine ten eleven twelve thirteen fourteen."
    a = anchor_at(text, "One two three four five six seven")
    b = anchor_at(text, "eight nine ten eleven twelve thirteen fourteen.")
    new = "One two three four five six seven eight nine ten eleven twelve thirteen fourteen!"
    pa, pb = reanchor([a, b], new)
    assert pa.status == UNCHANGED
    assert pb.status == CHANGED
    assert pb.start >= pa.end


PAGED = """\
Strengths

- Senior managers have a detailed knowledge of performance in the referral and
  assessment teams, and regular case audits are used effectively to drive

Page 1 of 3

Northdale County Council - unannounced inspection

  improvement in practice.
- Case records are up to date.
"""
PAGED_FINDING = (
    "Senior managers have a detailed knowledge of performance in the referral and assessment "
    "teams, and regular case audits are used effectively to drive improvement in practice."
)


def test_page_break_inside_finding_is_still_exact() -> None:
    start = PAGED.index("Senior")
    end = PAGED.index("practice.") + len("practice.")
    anchor = Anchor(PAGED_FINDING, start, end, *context_of(PAGED, start, end))
    assert reanchor([anchor], PAGED) == [Placement(UNCHANGED, start, end, 100.0, None)]
    new = "Dear Sir\n\n" + PAGED
    assert reanchor([anchor], new) == [Placement(MOVED, start + 10, end + 10, 100.0, None)]


def test_numbered_items_inside_finding_are_layout() -> None:
    text = "Actions\n1. Improve the recording of supervision.\n2. Audit the case files monthly.\n"
    start = text.index("Improve")
    end = text.index("monthly.") + len("monthly.")
    finding = "Improve the recording of supervision. Audit the case files monthly."
    anchor = Anchor(finding, start, end, *context_of(text, start, end))
    new = "Intro\n" + text
    assert reanchor([anchor], new) == [Placement(MOVED, start + 6, end + 6, 100.0, None)]


def test_word_inserted_at_line_end_is_a_change() -> None:
    text = "The plans are clear and\nthe reviews are timely and well recorded by staff.\n"
    anchor = anchor_at(text, text.strip())
    new = "The plans are clear and mostly\nthe reviews are timely and well recorded by staff.\n"
    [placement] = reanchor([anchor], new)
    assert placement.status == CHANGED
    assert "mostly" in (placement.new_text or "")


def test_empty_and_out_of_range_anchors() -> None:
    text = "Alpha beta gamma delta."
    ghost = Anchor("", 0, 0)
    lost = Anchor("gamma delta.", 500, 512)
    p_ghost, p_lost = reanchor([ghost, lost], text)
    assert p_ghost.status == ORPHAN
    assert p_lost.status == MOVED
    assert text[p_lost.start : p_lost.end] == "gamma delta."
    assert reanchor([], text) == []
    assert reanchor([lost], "")[0].status == ORPHAN


# --- property: text inserted outside findings never loses them --------------------------------

WORDS = [
    "children", "social", "care", "assessment", "referral", "agencies", "managers", "timely",
    "plans", "recorded", "supervision", "the", "of", "and", "are", "is", "with", "in", "their",
    "for", "staff", "partner", "decisions",
]  # fmt: skip
FILLER = st.text(alphabet=" \n\r\t.,;:0123456789-\u2022ZQ", max_size=40)


@st.composite
def letters(draw: st.DrawFn) -> tuple[str, list[tuple[int, int]]]:
    """A wrapped letter and the spans of up to five findings in it."""
    n_sentences = draw(st.integers(3, 14))
    findings = set(draw(st.lists(st.integers(0, n_sentences - 1), max_size=5)))
    text, spans = "", []
    for k in range(n_sentences):
        words = draw(st.lists(st.sampled_from(WORDS), min_size=3, max_size=14))
        if k in findings:
            words.insert(len(words) // 2, f"finding{k}")
        seps = [draw(st.sampled_from([" ", " ", "\n", "\n  ", "  "])) for _ in words[1:]]
        body = words[0].capitalize() + "".join(s + w for s, w in zip(seps, words[1:], strict=True))
        body += "."
        if draw(st.booleans()):
            text += draw(st.sampled_from(["- ", "\u2022 ", "1. "]))
        if k in findings:
            spans.append((len(text), len(text) + len(body)))
        text += body + draw(st.sampled_from([" ", "\n", "\n\n"]))
    return text, spans


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    letter=letters(),
    inserts=st.lists(st.tuples(st.floats(0, 1), FILLER), max_size=6),
)
def test_insertions_outside_findings_keep_every_finding(
    letter: tuple[str, list[tuple[int, int]]], inserts: list[tuple[float, str]]
) -> None:
    text, spans = letter
    anchors = [Anchor(" ".join(text[s:e].split()), s, e, *context_of(text, s, e)) for s, e in spans]
    positions = []
    for fraction, filler in inserts:
        at = int(fraction * len(text))
        for s, e in spans:
            if s < at < e:
                at = s
        positions.append((at, filler))
    new = text
    for at, filler in sorted(positions, reverse=True):
        new = new[:at] + filler + new[at:]

    placements = reanchor(anchors, new)
    for (s, e), a, p in zip(spans, anchors, placements, strict=True):
        assert p.status in (UNCHANGED, MOVED)
        assert normalise(a.text) in normalise(new[p.start : p.end])
        shift = sum(len(f) for at, f in positions if at <= s)
        assert (p.start, p.end) == (s + shift, e + shift)


# --- speed ------------------------------------------------------------------------------------


def big_letter(rng: random.Random, size: int) -> str:
    parts, length = [], 0
    while length < size:
        words = [rng.choice(WORDS) for _ in range(rng.randint(8, 30))]
        words.insert(rng.randrange(len(words)), f"w{rng.randrange(10**6)}")
        sentence = " ".join(words).capitalize() + "."
        sentence += "\n" if rng.random() < 0.3 else " "
        parts.append(sentence)
        length += len(sentence)
    return "".join(parts)


def test_2000_anchors_in_200kb_all_placed() -> None:
    rng = random.Random(7)
    text = big_letter(rng, 200_000)
    starts = sorted(rng.sample(range(0, len(text) - 200), 2000))
    anchors = []
    for s in starts:
        s = text.rfind(" ", 0, s) + 1
        e = text.find(" ", s + 60)
        anchors.append(Anchor(" ".join(text[s:e].split()), s, e, *context_of(text, s, e)))
    new = "Inserted heading\n\n" + text[:100_000] + "\nA new paragraph.\n" + text[100_000:]
    placements = reanchor(anchors, new)
    assert all(p.status in (UNCHANGED, MOVED, CHANGED) for p in placements)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    letter=letters(),
    edits=st.lists(
        st.tuples(st.floats(0, 1), st.integers(0, 30), st.text(" \n-abcXYZ.\u2022", max_size=30)),
        max_size=6,
    ),
    extra=st.lists(st.tuples(st.integers(0, 400), st.integers(0, 400)), max_size=3),
)
def test_any_edit_gives_well_formed_placements(
    letter: tuple[str, list[tuple[int, int]]],
    edits: list[tuple[float, int, str]],
    extra: list[tuple[int, int]],
) -> None:
    text, spans = letter
    spans = spans + [(min(a, b), max(a, b)) for a, b in extra]  # arbitrary, even out of range
    anchors = [Anchor(" ".join(text[s:e].split()), s, e, *context_of(text, s, e)) for s, e in spans]
    new = text
    for fraction, cut, insert in edits:
        at = int(fraction * len(new))
        new = new[:at] + insert + new[at + cut :]

    for a, p in zip(anchors, reanchor(anchors, new), strict=True):
        if p.status == ORPHAN:
            assert (p.start, p.end, p.score, p.new_text) == (-1, -1, 0.0, None)
            continue
        assert 0 <= p.start < p.end <= len(new)
        if p.status == UNCHANGED:
            assert (p.start, p.end) == (a.start, a.end)
        else:  # found by search: trimmed to the words
            assert not new[p.start].isspace() and not new[p.end - 1].isspace()
        if p.status == CHANGED:
            assert 80.0 <= p.score < 100.0
            assert p.new_text is not None
        else:
            assert p.score == 100.0 and p.new_text is None


def test_one_paragraph_repeated_moves_each_copy_to_its_own_place() -> None:
    """A letter of the same finding over and over, a heading inserted at the top: each
    finding is the copy nearest to where it was, all moved by the heading's length, and
    the work grows with the copies, not with their square (a few seconds at 200 copies
    took minutes at 19 MB)."""
    para = "- Child protection concerns are responded to promptly by all agencies."
    old = "Dear Ms Bailey\n\nStrengths\n\n" + "\n".join([para] * 400) + "\n\nYours sincerely\n"
    found = [anchor_at(old, para[2:], k) for k in range(400)]
    shift = "Inspection findings\n\n"
    new = shift + old
    placed = reanchor(found, new)
    assert [p.status for p in placed] == [MOVED] * 400
    assert [p.start for p in placed] == [a.start + len(shift) for a in found]


@given(
    st.text(alphabet="ab -xy\n", min_size=0, max_size=60),
    st.text(alphabet="ab -xy", min_size=1, max_size=12),
)
@settings(max_examples=300, deadline=None)
def test_occurrences_from_the_word_index_are_every_occurrence(letter: str, part: str) -> None:
    """The word index finds a finding's words where a search of the whole letter would:
    overlapping copies, words at its edges that run on in the letter, and none at all."""
    from reviewer.review.anchor import _Matcher

    matcher = _Matcher([], letter, 80.0, None)
    text = matcher.doc.text
    every = [k for k in range(len(text)) if text.startswith(part, k)]
    assert matcher.starts_of(part) == every
    assert matcher.starts_of(part, 2) == every[:2]
