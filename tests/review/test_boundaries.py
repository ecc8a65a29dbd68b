"""Word and sentence edges of a letter's text (pure: no session, no UI)."""

from __future__ import annotations

import pytest

from reviewer.review.boundaries import (
    moved_edge,
    next_sentence_end,
    next_sentence_start,
    next_word_end,
    next_word_start,
    previous_sentence_end,
    previous_sentence_start,
    previous_word_end,
    previous_word_start,
    sentence_gaps,
)
from reviewer.review.session import ReviewSession
from tests.conftest import SAMPLES

# Shaped like the letters: abbreviations, a number after "No.", decimals, initials, a list
# of bullets on one line (as PDF extraction leaves it), a blank line, a numbered item.
LETTER = (
    "Inspectors met Mr. J. Smith, the service manager, on 15 February 2011. "
    "Caseloads are manageable, e.g. 12 to 15 children, i.e. within the target set by "
    "No. 3 team. Staff said 2.5 days of training (etc.) were offered.\n"
    "Strengths\n"
    "▪ Child protection concerns are responded to promptly. Managers act on \u201crisk\u201d. "
    "▪ Assessments are of high quality.\n"
    "\n"
    "Areas for development\n"
    "1. Ensure that supervision is recorded on every file.\n"
    "2. Review the quality of plans\n"
)


def at(text: str, words: str) -> int:
    """The offset just after `words` in the text."""
    return text.index(words) + len(words)


def sentence_ends(text: str) -> list[str]:
    """The last 12 characters of each sentence, to read the gaps by eye."""
    return [text[: g.end][-12:] for g in sentence_gaps(text, 0, len(text))]


def test_abbreviations_initials_and_decimals_do_not_end_a_sentence():
    ends = sentence_ends(LETTER)
    assert ends[:3] == ["bruary 2011.", " No. 3 team.", "ere offered."]
    for inside in ("Mr.", "J.", "e.g.", "i.e.", "No.", "2.5", "(etc.)"):
        assert not any(e.endswith(inside) for e in ends), inside


def test_a_sentence_ends_before_a_closing_quote_and_at_a_bullet():
    ends = sentence_ends(LETTER)
    assert "t on \u201crisk\u201d." in ends  # the quote comes with the full stop
    assert "to promptly." in ends
    gaps = sentence_gaps(LETTER, 0, len(LETTER))
    after_risk = next(g for g in gaps if LETTER[: g.end].endswith("\u201crisk\u201d."))
    assert LETTER[after_risk.start :].startswith("Assessments")  # the bullet is skipped


def test_a_heading_line_a_blank_line_and_a_numbered_item_end_sentences():
    starts = [LETTER[g.start : g.start + 12] for g in sentence_gaps(LETTER, 0, len(LETTER))]
    assert "Ensure that " in starts  # past the "1." of the item
    assert "Review the q" in starts
    assert "Areas for de" in starts  # after the blank line
    unfinished = at(LETTER, "plans")
    assert next_sentence_end(LETTER, at(LETTER, "Review the")) == unfinished  # the letter's end


def test_words_take_their_punctuation_and_skip_list_markers():
    end = at(LETTER, "responded to promptly.")
    assert next_word_end(LETTER, end) == at(LETTER, "Managers")
    assert previous_word_end(LETTER, end) == at(LETTER, "responded to")
    risk = at(LETTER, "\u201crisk\u201d.")
    assert next_word_end(LETTER, risk) == at(LETTER, "▪ Assessments")  # not the lone "▪"
    start = LETTER.index("Assessments")
    assert previous_word_start(LETTER, start) == LETTER.index("\u201crisk")
    assert next_word_start(LETTER, start) == LETTER.index("are of high")


def test_sentence_edges_from_inside_and_from_the_edge():
    first = LETTER.index("Caseloads")
    mid = at(LETTER, "Caseloads are")
    team = at(LETTER, "No. 3 team.")
    assert next_sentence_end(LETTER, mid) == team  # the rest of the sentence
    assert next_sentence_end(LETTER, team) == at(LETTER, "were offered.")  # the next one
    assert previous_sentence_end(LETTER, at(LETTER, "were offered.")) == team
    assert previous_sentence_end(LETTER, mid) == at(LETTER, "2011.")
    assert previous_sentence_start(LETTER, first) == 0
    assert previous_sentence_start(LETTER, mid) == first
    assert next_sentence_start(LETTER, first) == LETTER.index("Staff said")


@pytest.mark.parametrize(
    ("edge", "unit", "step", "begins", "ends"),
    [
        ("end", "word", 1, "Caseloads are", "children, i.e. within"),
        ("end", "word", -1, "Caseloads are", "15 children,"),
        ("start", "word", 1, "are manageable", "children, i.e."),
        ("start", "word", -1, "2011. Caseloads", "children, i.e."),
        ("end", "sentence", 1, "Caseloads are", "i.e. within the target set by No. 3 team."),
        ("start", "sentence", -1, "Inspectors met Mr. J. Smith", "children, i.e."),
    ],
)
def test_moved_edge_by_one_unit(edge, unit, step, begins, ends):
    start = LETTER.index("Caseloads")
    end = at(LETTER, "children, i.e.")
    new = moved_edge(LETTER, start, end, edge, unit, step)
    assert new is not None
    a, b = (start, new) if edge == "end" else (new, end)
    span = LETTER[a:b]
    assert span.startswith(begins) and span.endswith(ends)
    assert span == span.strip()


def test_a_span_is_never_made_empty():
    start = LETTER.index("Assessments")
    end = at(LETTER, "Assessments")
    assert moved_edge(LETTER, start, end, "end", "word", -1) is None
    assert moved_edge(LETTER, start, end, "start", "word", 1) is None
    one = at(LETTER, "high quality.")
    assert moved_edge(LETTER, start, one, "end", "sentence", -1) is None
    assert moved_edge(LETTER, start, one, "start", "sentence", 1) is None
    assert moved_edge(LETTER, 0, len(LETTER.rstrip()), "end", "word", 1) is None
    assert moved_edge(LETTER, 0, 10, "start", "sentence", -1) is None
    with pytest.raises(ValueError):
        moved_edge(LETTER, 0, 10, "middle", "word", 1)


def test_the_sentences_of_a_real_letter_are_the_machines_items():
    """In the Hartlepool letter every list item ends a sentence: going on a sentence at a
    time from an item's first sentence reaches the item's end exactly."""
    text = (SAMPLES / "hartlepool_2011-03_ucra.txt").read_text(encoding="utf-8")
    start = text.index("Child protection concerns are responded")
    item_end = at(text, "the full engagement of partner agencies.")
    end = next_sentence_end(text, start)
    seen = [end]
    while end is not None and end < item_end:
        end = next_sentence_end(text, end)
        seen.append(end)
    assert end == item_end and len(seen) == 4
    assert next_sentence_start(text, item_end) == text.index("Assessments of children")


def test_a_huge_letter_is_searched_near_the_offset():
    """Edges are found in a window around the offset, growing as needed: far from any
    sentence end the answer is still the right one."""
    words = "word " * 30_000
    text = f"First sentence. {words}end here. Last one."
    assert next_sentence_end(text, 20) == at(text, "end here.")
    assert previous_sentence_end(text, at(text, "end here.")) == at(text, "First sentence.")
    assert previous_sentence_start(text, len(text) - 3) == text.index("Last one.")


def test_a_dash_inside_a_sentence_is_not_a_list_item():
    text = "Managers \u2013 including team leaders \u2013 act quickly. Do they? Yes!\n- A dash item"
    ends = sentence_ends(text)
    assert ends == ["act quickly.", "ly. Do they?", "o they? Yes!"]
    assert next_sentence_start(text, text.index("Yes")) == text.index("A dash item")
    assert next_word_end(text, at(text, "Managers")) == at(text, "including")


def test_the_segmenters_bullets_start_items():
    """A focused visit letter as PDF extraction gives it: "◼" items, one wrapped."""
    text = (
        "What needs to improve in this area of social work practice\n"
        "◼ The contribution to decision-making by health and police partners and the pace\n"
        "of improvement in the multi-agency safeguarding hub (MASH).\n"
        "◼ The timely access to effective early help\n"
    )
    item = text.index("The contribution")
    assert next_sentence_start(text, 0) == item
    assert previous_sentence_end(text, at(text, "(MASH).")) == at(text, "work practice")
    assert next_sentence_end(text, item) == at(text, "(MASH).")
    assert next_word_end(text, at(text, "(MASH).")) == text.index("◼ The timely") + len("◼ The")


# -- the session: neighbours, undo, the machine's span ---------------------------------------


@pytest.fixture
def session(tmp_path):
    from reviewer.review.session import ReviewSession

    path = tmp_path / "hartlepool.txt"
    path.write_bytes((SAMPLES / "hartlepool_2011-03_ucra.txt").read_bytes())
    s = ReviewSession.open(path)
    yield s
    s.close()


def test_each_move_is_one_undo_step_and_keeps_the_decisions(session):
    f = session.findings[0]
    session.set_note(0, "check the minutes")
    noted = session.findings[0]
    end = session.move_edge(0, "end", "sentence", -1)
    g = session.findings[0]
    assert end == g.end == at(session.text, "known risk and protective factors.")
    assert g.text.endswith("protective factors.") and g.start == f.start
    assert (g.status, g.note, g.category) == ("corrected", "check the minutes", f.category)
    assert session.undo_label == "end back a sentence"
    session.move_edge(0, "start", "word", 1)
    assert session.findings[0].text.startswith("protection concerns")
    session.undo()
    session.undo()
    assert session.findings[0] == noted


def test_moving_back_to_the_machines_span_is_as_the_machine_had_it(session):
    f = session.findings[0]
    session.move_edge(0, "end", "word", -1)
    session.move_edge(0, "end", "word", 1)
    g = session.findings[0]
    assert (g.start, g.end, g.text, g.status) == (f.start, f.end, f.text, "confirmed")
    # the same through rebound, after the text was rewritten on another span
    session.rebound(f.start, at(session.text, "working with children."))
    session.edit_text(0, "Child protection concerns get a prompt response.")
    session.rebound(f.start, f.end)
    g = session.findings[0]
    assert (g.text, g.letter_text, g.status) == (f.text, "", "confirmed")


def test_a_move_into_a_neighbour_is_refused(session):
    from reviewer.review.session import SessionError

    before = list(session.findings)
    with pytest.raises(SessionError, match="runs into finding 2; merge"):
        session.move_edge(0, "end", "word", 1)
    with pytest.raises(SessionError, match="runs into finding 1; merge"):
        session.move_edge(1, "start", "sentence", -1)
    with pytest.raises(SessionError, match="would be empty"):
        session.move_edge(3, "end", "sentence", -1)  # one sentence: it cannot lose one
    assert session.findings == before and not session.can_undo


def test_snap_takes_the_whole_item_and_refuses_a_shared_paragraph(session):
    from reviewer.review.session import SessionError

    f = session.findings[0]
    with pytest.raises(SessionError, match="already covers"):
        session.snap(0)
    session.move_edge(0, "start", "sentence", 1)
    session.move_edge(0, "end", "sentence", -1)
    assert session.snap(0) == 0
    g = session.findings[0]
    assert (g.start, g.end, g.status) == (f.start, f.end, "confirmed")
    session.undo()
    assert session.findings[0].start > f.start  # one step back: still the moved one
    # a finding cut out of a paragraph, beside another finding in it, cannot take it all
    session.split(1, session.text.index("The needs of children", f.end))
    with pytest.raises(SessionError, match="holds finding 3 as well"):
        session.snap(1)


def test_the_machines_span_is_known_again_after_a_reopen(session):
    """A finding saved as corrected and reopened: moving it back to where the machine had
    it gives back the machine's status (the machine's findings are found again by id)."""
    from reviewer.review.session import ReviewSession

    f = session.findings[0]
    session.move_edge(0, "end", "sentence", -1)
    session.save()
    session.close()
    again = ReviewSession.open(session.letter.path)
    try:
        assert again.findings[0].status == "corrected"
        again.move_edge(0, "end", "sentence", 1)
        g = again.findings[0]
        assert (g.start, g.end, g.text, g.status) == (f.start, f.end, f.text, "confirmed")
    finally:
        again.close()


def test_a_boundary_moved_across_a_page_foot_leaves_the_furniture_out(tmp_path):
    """As the segmenter leaves a SEND report's running footer ("3 June 2024 to 7 June 2024 4")
    out of an item, a finding whose end is moved across it leaves it out too."""
    from tests.family_docs import SEND

    letter = tmp_path / "westmoor_send_area.txt"
    letter.write_text(SEND, encoding="utf-8")
    s = ReviewSession.open(letter)
    try:
        i = next(k for k, f in enumerate(s.findings) if "wheelchair" in f.text)
        machine_text = s.findings[i].text
        next_page = SEND.index("\f", s.findings[i].end)  # after the footer's two lines
        while s.findings[i].end <= next_page:
            s.move_edge(i, "end", "word", 1)
            text = s.findings[i].text
            assert "inspection report" not in text and "2024" not in text, text
        assert text == machine_text + " Local"
    finally:
        s.close()


def test_a_findings_own_span_is_cleaned_to_the_segmenters_text():
    """The cleaning of a span is the segmenter's: on every constructed document and bundled
    letter, each finding's span cleans to the text the segmenter gave it (a responsible-body
    table's rows, whose columns the table reader takes apart, aside)."""
    from reviewer.segment.families import SpanCleaner, segment_auto
    from reviewer.segment.scheme import load_scheme
    from reviewer.sources.read import read_letter
    from tests.family_docs import CONSTRUCTED

    texts = list(CONSTRUCTED.values())
    texts += [read_letter(p).text for p in sorted(SAMPLES.glob("*.txt"))]
    compared = 0
    for text in texts:
        doc, _ = segment_auto(text)
        clean = SpanCleaner(text, load_scheme(doc.scheme))
        for f in doc.findings:
            if not f.responsible:
                assert clean(f.start, f.end) == f.text
                compared += 1
    assert compared > 80
