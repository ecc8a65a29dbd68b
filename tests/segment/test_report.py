"""Inspection reports of council children's services: the second document family."""

from __future__ import annotations

import datetime as dt

import pytest

from reviewer.segment.families import segment_auto, segment_text
from reviewer.segment.scheme import detect_scheme, load_scheme
from reviewer.sources.read import read_letter
from tests.conftest import SAMPLES, SHARED

REPORTS = SHARED / "ilacs" / "reports"
needs_reports = pytest.mark.skipif(not REPORTS.is_dir(), reason="the shared reports are not here")

EXPECTED = {
    "gateshead_2019.pdf": {
        "authority": "Gateshead Borough Council",
        "dates": (dt.date(2019, 4, 29), dt.date(2019, 5, 3)),
        "inspector": ("Jan Edwards", "Her Majesty’s Inspector"),
        "judgements": {
            "leaders": "Good",
            "help_and_protection": "Good",
            "children_in_care_and_care_leavers": "Good",
            "overall_effectiveness": "Good",
        },
        "items": [
            "Managers’ and independent reviewing officers’ challenge",
            "The quality and focus of written plans",
            "The pace of change in relation to, and the quality of services for, disabled "
            "children.",
            "Access to services for those children in care",
        ],
    },
    "sefton_2022.pdf": {
        "authority": "Sefton",
        "dates": (dt.date(2022, 2, 21), dt.date(2022, 3, 4)),
        "inspector": ("Lisa Summers", "Her Majesty’s Inspector"),
        "judgements": {
            "leaders": "Inadequate",
            "help_and_protection": "Inadequate",
            "children_in_care_and_care_leavers": "Inadequate",
            "overall_effectiveness": "Inadequate",
        },
        "items": [
            "Systems and resources",
            "The embedding of corporate responsibility",
            "Caseloads and management oversight",
            "The performance and quality assurance arrangements",
            "The practice relating to securing parental consent",
            "The urgency and robustness",
            "The quality of assessments, plans and planning",
            "Visits to children",
            "The response to vulnerable children",
            "The response to allegations against professionals.",
            "The provision of suitable",
            "The educational attainment",
            "The timely access to emotional",
            "The access to care leaving support",
        ],
    },
    "bradford_2026.pdf": {
        "authority": "Bradford Children and Families Trust",
        "dates": (dt.date(2026, 1, 12), dt.date(2026, 1, 23)),
        "inspector": ("Catherine Heron", "His Majesty’s Inspector"),
        "judgements": {
            "leaders": "Good",
            "help_and_protection": "Requires improvement to be good",
            "children_in_care": "Requires improvement to be good",
            "care_leavers": "Good",
            "overall_effectiveness": "Requires improvement to be good",
        },
        "items": [
            "Recognition of the unique characteristics",
            "The timeliness and effectiveness of permanence planning. "
            "(outcome 4, national framework)",
            "Increased use of family network planning",
            "The quality of direct work and life-story work",
            "The quality and effectiveness of management oversight of children’s plans. "
            "(enabler 2, national framework)",
        ],
    },
}


@needs_reports
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_report_items_metadata_and_judgements(name):
    letter = read_letter(REPORTS / name)
    doc, note = segment_auto(letter.text)
    assert note == ""
    assert doc.scheme == "ofsted_ilacs"
    want = EXPECTED[name]
    assert [f.text[: len(w)] for f, w in zip(doc.findings, want["items"], strict=False)] == want[
        "items"
    ]
    assert len(doc.findings) == len(want["items"])
    assert {f.category for f in doc.findings} == {"improvement"}
    md = doc.metadata
    assert md["authority"] == want["authority"]
    assert tuple(md["inspection_dates"]) == want["dates"]
    assert (md["inspector_name"], md["inspector_role"]) == want["inspector"]
    assert md["judgements"] == want["judgements"]
    for f in doc.findings:
        assert "Inspection of" not in f.text  # running headers never get into an item
    paragraphs = [s for s in doc.segments if s.kind == "paragraph" and s.number is not None]
    assert len(paragraphs) > 30
    assert paragraphs[0].number == 1
    assert paragraphs[0].section.startswith("The experiences and progress of children")


@needs_reports
def test_old_letters_are_not_taken_for_reports():
    sample = SAMPLES
    for p in sample.glob("*.txt"):
        assert detect_scheme(read_letter(p).text).id == "ofsted_ucra", p.name


SIF = """Northdale
Inspection of services for children in need of help and protection, children looked after
and care leavers

Inspection date: 9 May 2016 to 2 June 2016
Report published: 15 July 2016

Children's services in Northdale require improvement to be good

1. Children who need help and protection          Requires improvement
2. Children looked after and achieving permanence  Good
3. Leadership, management and governance           Requires improvement

Lead inspector: Ann Example

Executive summary
Services for children in Northdale have improved since the last inspection.

What does the local authority need to improve?
Areas for improvement
1. Ensure that strategy discussions include all relevant agencies and are
recorded on the child's file.
2. Improve the timeliness of initial child protection conferences.
3. Strengthen management oversight of assessments so that plans are specific and
measurable.

Summary for children and young people
Most children are helped well.
"""


def test_sif_layout_numbered_recommendations():
    doc, note = segment_auto(SIF)
    assert note == ""
    assert doc.scheme == "ofsted_ilacs"
    assert [f.text for f in doc.findings] == [
        "Ensure that strategy discussions include all relevant agencies and are recorded on "
        "the child's file.",
        "Improve the timeliness of initial child protection conferences.",
        "Strengthen management oversight of assessments so that plans are specific and measurable.",
    ]
    assert doc.metadata["inspection_dates"] == [dt.date(2016, 5, 9), dt.date(2016, 6, 2)]
    assert doc.metadata["inspector_name"] == "Ann Example"
    assert doc.metadata["authority"] == "Northdale"
    assert doc.metadata["judgements"] == {
        "overall_effectiveness": "Requires improvement to be good",
        "help_and_protection": "Requires improvement to be good",
        "children_looked_after": "Good",
        "leaders": "Requires improvement to be good",
    }


def test_document_of_no_family_has_no_findings_and_says_so():
    doc, note = segment_auto("A shopping list\n- eggs\n- milk\n")
    assert doc.findings == []
    assert "no known document family" in note


def test_scheme_override_is_respected():
    doc = segment_text(SIF, load_scheme("ofsted_ucra"))
    assert doc.scheme == "ofsted_ucra"
