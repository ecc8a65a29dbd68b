"""Hard-wrapped letters shown as flowing paragraphs, offsets unmoved."""

from __future__ import annotations

import pytest

from reviewer.review.session import ReviewSession
from reviewer.segment.reflow import reflow, soft_breaks
from tests.conftest import SHARED

CORPUS = SHARED / "corpus"

PARAGRAPH = (
    "Social workers and managers in the area keep the child in focus when making\n"
    "decisions about children's lives. They carefully consider the individual needs of\n"
    "older children when they first come into care and take time to listen to the\n"
    "wishes of children, exploring family members as carers where that is best.\n"
)
SECOND = (
    "Unaccompanied children are welcomed on arrival with great care. When ages are\n"
    "disputed, and while there are delays in securing age assessments, there is an\n"
    "overriding focus on understanding the child's trauma and experience while the\n"
    "decisions on whether to accept their claimed age are made by the managers.\n"
)
THIRD = (
    "Disabled older children in care benefit from trusting relationships with their\n"
    "social workers. When disabled children move placements, there is careful work\n"
    "to help the child prepare for the transition, and their social workers are very\n"
    "aware of the additional vulnerabilities and barriers that those children face.\n"
)


def letter(*parts: str) -> str:
    # enough wrapped lines for the wrap width to be measured
    return "\n".join(parts)


def test_a_wrapped_paragraph_flows_and_keeps_its_length():
    text = letter(PARAGRAPH, "Short last line.", SECOND)
    shown = reflow(text)[0]
    assert len(shown) == len(text)
    first = shown.split("\n")[0]
    assert first.startswith("Social workers") and first.endswith("where that is best.")
    assert all(text[i] == "\n" and shown[i] == " " for i in soft_breaks(text))


def test_a_short_last_line_ends_its_paragraph():
    text = letter(PARAGRAPH, "This one is short.", SECOND, THIRD)
    lines = reflow(text)[0].split("\n")
    assert "This one is short." in lines


def test_bullets_headings_and_sentence_ends_keep_their_breaks():
    items = (
        "The local authority should improve the following areas of practice as a priority:\n"
        "• the quality of assessments, so that they consider each child's history and needs\n"
        "• the timeliness of strategy meetings when children are at risk of significant harm"
    )
    ends = (
        "Leaders have a clear understanding of the strengths and weaknesses of services.\n"
        "Managers' oversight is regular and recorded on children's files, with clear actions"
    )
    text = letter(PARAGRAPH, items, ends, SECOND)
    shown = reflow(text)[0]
    assert "as a priority:\n• the quality" in shown
    assert "needs\n• the timeliness" in shown
    assert "services.\nManagers'" in shown


def test_crlf_breaks_become_two_spaces():
    text = (PARAGRAPH + SECOND + THIRD).replace("\n", "\r\n")
    shown = reflow(text)[0]
    assert len(shown) == len(text)
    assert "making  decisions" in shown


def test_running_headers_and_page_numbers_stay_on_their_own_lines():
    header = "Inspection of Northdale local authority children's services"
    pages = [
        letter(PARAGRAPH.rstrip("\n"), header, "2"),
        letter(THIRD.rstrip("\n"), header, "3"),
    ]
    text = "\f".join(pages)
    shown = reflow(text)[0]
    assert f"\n{header}\n" in shown
    assert "children face.\n" in shown and "is best.\n" in shown


def test_a_letter_of_one_line_per_paragraph_is_left_alone():
    text = "\n".join(["A paragraph on one long line. " * 8] * 10)
    assert reflow(text)[0] == text


def test_the_session_shows_the_flowed_text_at_the_same_offsets(tmp_path):
    path = tmp_path / "wrapped.txt"
    path.write_text(letter("Dear Ms Smith", "", PARAGRAPH, SECOND, THIRD), encoding="utf-8")
    session = ReviewSession.open(path)
    try:
        assert len(session.display_text) == len(session.text)
        assert session.display_text.count("\n") < session.text.count("\n")
        for f in session.findings:
            assert session.display_text[f.start] == session.text[f.start]
    finally:
        session.close()


@pytest.mark.skipif(not CORPUS.is_dir(), reason="needs ../shared/corpus")
def test_real_pdfs_flow_most_of_their_lines():
    from reviewer.sources.read import read_letter

    pdfs = sorted((CORPUS / "focused_visit").glob("*.pdf"))[:6]
    for pdf in pdfs:
        text = read_letter(pdf).text
        shown = reflow(text)[0]
        assert len(shown) == len(text)
        assert shown.count("\n") < text.count("\n") * 0.6, pdf.name


def test_a_long_title_keeps_its_line_before_the_first_paragraph():
    title = "Focused visit to Northdale Metropolitan Borough Council children's services"
    text = letter("Dear Mrs Smith", title, PARAGRAPH, SECOND, THIRD)
    shown = reflow(text)[0]
    assert f"\n{title}\nSocial workers" in shown
    # a paragraph's own wrapped line before a capital still flows
    assert "making decisions" in shown.replace("  ", " ")


def test_a_wrapped_lines_own_space_leaves_the_break_with_no_width():
    """A PDF's line often ends with a space ("social work "): the break after it is drawn
    with no width, so the paragraph reads "social work practice", not with two spaces; a
    break after a word is the one space between the words."""
    text = letter(PARAGRAPH, "Short last line.", SECOND)
    shown, quiet = reflow(text)
    assert len(shown) == len(text) and quiet == []
    spaced = letter(PARAGRAPH.replace("\n", " \n"), "Short last line.", SECOND)
    shown, quiet = reflow(spaced)
    wrapped = [i for i, c in enumerate(spaced) if c == "\n" and shown[i] == " "]
    assert wrapped and len(shown) == len(spaced)
    assert quiet == [i for i in wrapped if spaced[i - 1] == " "] and quiet


def test_a_hyphen_at_a_lines_end_joins_its_word_and_a_spaced_dash_keeps_its_space():
    first = PARAGRAPH.replace("when making\ndecisions", "when decision-\nmaking")
    second = SECOND.replace("When ages are\n", "When ages are -\n")
    text = letter(first, "Short last line.", second)
    shown, quiet = reflow(text)
    hyphen = text.index("decision-\n") + len("decision-")
    dash = text.index("are -\n") + len("are -")
    assert shown[hyphen] == " " and hyphen in quiet
    assert shown[dash] == " " and dash not in quiet
    crlf = text.replace("\n", "\r\n")
    shown, quiet = reflow(crlf)
    second_halves = [i for i, c in enumerate(crlf) if c == "\n" and shown[i] == " "]
    assert second_halves and all(i in quiet for i in second_halves)  # a CRLF: one space
    assert all(crlf[i] == "\n" or crlf[i - 1] in " -" for i in quiet)
