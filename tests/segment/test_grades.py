"""Grade tables in every layout: constructed texts of the layouts Ofsted printed."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from reviewer.segment.families import segment_text
from reviewer.segment.grades import _LSCB_GRADE, _lscb_grade
from reviewer.segment.scheme import load_scheme
from reviewer.sources.read import read_letter
from tests.conftest import SHARED

RI = "Requires improvement to be good"

HEAD = """Inspection of Eastmoor local authority children’s services
Inspection dates: 3 to 14 December 2018
Lead inspector: Ann Example, HMI
"""
TAIL = """Services for children in Eastmoor have improved a great deal since the last inspection.
What needs to improve?
◼ The quality of plans for children in care.
"""


def judgements(text: str) -> dict[str, str]:
    doc = segment_text(text, load_scheme("ofsted_ilacs"))
    return doc.metadata.get("judgements", {})


def test_a_grade_wrapped_after_to_is_one_grade():
    table = """Judgement Grade
The impact of leaders on social work
practice with children and families
Requires improvement to
be good
The experiences and progress of
children who need help and protection
Good
The experiences and progress of
children in care and care leavers
Requires improvement to
be good
Overall effectiveness Requires improvement to
be good
"""
    assert judgements(HEAD + table + TAIL) == {
        "leaders": RI,
        "help_and_protection": "Good",
        "children_in_care_and_care_leavers": RI,
        "overall_effectiveness": RI,
    }


def test_grades_printed_between_a_labels_lines_belong_to_that_label():
    table = """Judgement Grade
The impact of leaders on social work
Outstanding
practice with children and families
The experiences and progress of
Requires improvement to be good
children who need help and protection
The experiences and progress of
Good
children in care and care leavers
Overall effectiveness
Good
"""
    assert judgements(HEAD + table + TAIL) == {
        "leaders": "Outstanding",
        "help_and_protection": RI,
        "children_in_care_and_care_leavers": "Good",
        "overall_effectiveness": "Good",
    }


def test_labels_first_then_their_grades_pair_in_order():
    table = """Judgement Grade
The impact of leaders on social work practice with children and families
The experiences and progress of children who need help and protection
The experiences and progress of children in care
The experiences and progress of care leavers
Inadequate
Requires improvement
to be good
Good
Outstanding
Overall effectiveness Inadequate
"""
    assert judgements(HEAD + table + TAIL) == {
        "leaders": "Inadequate",
        "help_and_protection": RI,
        "children_in_care": "Good",
        "care_leavers": "Outstanding",
        "overall_effectiveness": "Inadequate",
    }


OLD = """Inspection of safeguarding and looked after children services
Westshire County Council
Inspection dates: 4-15 March 2013
Reporting inspector Ann Example HMI
Overall effectiveness of services for looked
after children and young people
Grade 3 (Adequate)
1. Services for looked after children are improving.
Capacity to improve
Grade 3 (Adequate)
2. The local authority is addressing weaknesses.
Areas for improvement
3. In order to improve, the local authority should:
Immediately:
 ensure that every child has a plan.
Leadership and management
Grade 4 (Inadequate)
4. Leaders do not know their services well.
"""


def test_2013_grade_under_a_section_heading_keeps_adequate():
    assert judgements(OLD) == {"overall_effectiveness": "Adequate", "leaders": "Inadequate"}


def test_2013_record_of_main_findings_with_grade_words_alone():
    text = OLD.replace("Grade 3 (Adequate)\n1.", "1.").replace("Grade 4 (Inadequate)\n", "")
    record = """Record of main findings
Safeguarding services
Overall effectiveness Good
Capacity to improve Adequate
Leadership and management
Adequate
"""
    assert judgements(text + record) == {"overall_effectiveness": "Good", "leaders": "Adequate"}


def test_overall_effectiveness_first_and_the_table_head_on_two_lines():
    table = """Judgement
Grade
Overall effectiveness Good
The impact of leaders on social work practice with children and families
Outstanding
The experiences and progress of children who need help and protection
Good
The experiences and progress of children in care and care leavers
Requires improvement to be good
"""
    assert judgements(HEAD + table + TAIL) == {
        "overall_effectiveness": "Good",
        "leaders": "Outstanding",
        "help_and_protection": "Good",
        "children_in_care_and_care_leavers": RI,
    }


def test_the_table_ends_at_the_prose_after_the_overall_row():
    table = """Judgement Grade
The impact of leaders on social work practice with children and families Good
The experiences and progress of children who need help and protection Good
The experiences and progress of children in care and care leavers Good
Overall effectiveness Good
Leaders know their services well
and are good at improving them.
"""
    assert judgements(HEAD + table + TAIL)["overall_effectiveness"] == "Good"
    assert len(judgements(HEAD + table + TAIL)) == 4


# -- real reports of the shared corpus ------------------------------------------------

CORPUS = SHARED / "corpus" / "report"
real = pytest.mark.skipif(not CORPUS.is_dir(), reason="the shared corpus is not here")


def real_judgements(name: str) -> dict[str, str]:
    return judgements(read_letter(CORPUS / name).text)


@real
def test_medway_2013_grades_from_its_headings_and_record():
    assert real_judgements("medway_2013-08-23_report.pdf") == {
        "overall_effectiveness": "Inadequate",
        "leaders": "Inadequate",
    }


@real
def test_st_helens_2023_grades_as_the_table_and_its_headings_give_them():
    """The table's order, which the report's own section headings confirm
    ("children in care: good", "care leavers: outstanding")."""
    assert real_judgements("st-helens_2023-09-04_report.pdf") == {
        "leaders": "Good",
        "help_and_protection": RI,
        "children_in_care": "Good",
        "care_leavers": "Outstanding",
        "overall_effectiveness": "Good",
    }


# -- the board's grade, found where it can start ------------------------------------------

_BOARD_WORDS = st.sampled_from(
    [
        "The",
        "the",
        "THE",
        "effectiveness",
        "Effectiveness of the",
        "of",
        "Local",
        "Safeguarding Children Board",
        "safeguarding children board",
        "LSCB",
        "lscb",
        "(LSCB)",
        "in Eastmoor",
        "is",
        "requires",
        "good",
        "inadequate",
        "improvement to be good",
        "outstanding.",
        "ſafeguarding",
        "İ",
        "x" * 45,
    ]
)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(_BOARD_WORDS, st.text(max_size=8)), max_size=30))
@example(["effectiveness of the", "x" * 39, "LSCB is good"])  # the farthest start
@example(["The ſafeguarding Children Board is good"])  # "ſ" matches "s" ignoring case
def test_the_boards_grade_is_the_first_match_of_its_pattern(words):
    whole = " ".join(" ".join(words).split())  # as the grade reader flattens the text
    fast, slow = _lscb_grade(whole), _LSCB_GRADE.search(whole)
    assert (fast and (fast.span(), fast.group(1))) == (slow and (slow.span(), slow.group(1)))


def test_the_boards_grade_far_down_a_long_report():
    whole = " ".join(["The board met. " * 2000, "The LSCB is inadequate. The LSCB is good."])
    m = _lscb_grade(whole)
    assert m is not None and m.group(1) == "inadequate"
    assert m.span() == _LSCB_GRADE.search(whole).span()
