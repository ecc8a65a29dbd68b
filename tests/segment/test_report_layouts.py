"""Inspection reports of every layout: SIF (2014-2018), the 2013 inspections, ILACS.

Constructed texts pin the edge cases (they never skip); real reports of the shared corpus
show the layouts as published (those tests skip when the corpus is not here).
"""

from __future__ import annotations

import datetime as dt

import pytest

from reviewer.segment.check import document_problems
from reviewer.segment.engine import Engine
from reviewer.segment.families import segment_auto, segment_text
from reviewer.segment.furniture import furniture
from reviewer.segment.lines import page_furniture, split_lines
from reviewer.segment.no_findings import no_findings_reason
from reviewer.segment.scheme import load_scheme
from reviewer.sources.read import read_letter
from tests.conftest import SHARED

RI = "Requires improvement to be good"
CORPUS = SHARED / "corpus" / "report"
needs_corpus = pytest.mark.skipif(not CORPUS.is_dir(), reason="the shared corpus is not here")


def report(text: str):
    return segment_text(text, load_scheme("ofsted_ilacs"))


# -- constructed texts -------------------------------------------------------------------

ILACS = """Inspection of Westmoor local authority
children’s services
Inspection dates: 25 November to 6
December 2019
Lead inspectors: Jane Doe, HMI and John Roe, HMI
Judgement Grade
The impact of leaders on social work
practice with children and families
Requires improvement to be good
The experiences and progress of
children who need help and protection
Requires improvement to be good
The experiences and progress of
children in care and care leavers
Requires improvement to be good
Overall effectiveness Requires improvement to be good
Services for children in Westmoor have improved since the last inspection.
\f
Inspection of Westmoor local authority children’s services
25 November to 6 December 2019 2
What needs to improve:
◼ The quality of assessments for children in need.
◼ The consistency of management oversight of
plans for children in care.
The experiences and progress of children who need help and
protection: requires improvement to be good
1. Children receive help at the right time.
Requires improvement to be good
\f
Inspection of Westmoor local authority children’s services
25 November to 6 December 2019 3
2. Practice is too variable.
"""


def test_grade_lines_repeated_three_times_are_grades_not_running_headers():
    doc = report(ILACS)
    assert doc.metadata["judgements"] == {
        "leaders": RI,
        "help_and_protection": RI,
        "children_in_care_and_care_leavers": RI,
        "overall_effectiveness": RI,
    }


def test_ilacs_heading_with_colon_wrapped_dates_and_several_lead_inspectors():
    doc = report(ILACS)
    assert [f.text for f in doc.findings] == [
        "The quality of assessments for children in need.",
        "The consistency of management oversight of plans for children in care.",
    ]
    assert {f.category for f in doc.findings} == {"improvement"}
    md = doc.metadata
    assert md["authority"] == "Westmoor"
    assert md["inspection_dates"] == [dt.date(2019, 11, 25), dt.date(2019, 12, 6)]
    assert md["inspector_name"] == "Jane Doe and John Roe"


def test_page_furniture_is_where_it_stands_not_what_repeats():
    lines = split_lines(ILACS)
    noise = {lines[i].stripped for i in page_furniture(lines)}
    assert "Inspection of Westmoor local authority children’s services" in noise
    assert "25 November to 6 December 2019 2" in noise
    # the same grade line four times over the pages is content, never furniture
    assert RI not in noise
    assert "Inspection dates: 25 November to 6" not in noise


def test_one_page_is_no_evidence_of_page_numbers():
    lines = split_lines("Inspection dates: 3 to 14\nDecember 2018\nText.\n")
    assert page_furniture(lines) == set()


SIF = """ 1
Northdale
Inspection of services for children in need of help and
protection, children looked after and care leavers
and
Review of the effectiveness of the Local Safeguarding Children
Board1
Inspection date: 9 May 2016 to 2 June 2016
Report published: 15 July 2016
The overall judgement is inadequate
1. Children who need help and protection Inadequate
2. Children looked after and achieving
permanence Requires Improvement
2.1 Adoption performance Good
2.2 Experiences and progress of care leavers Requires improvement
3. Leadership, management and governance Inadequate
The effectiveness of the Local Safeguarding Children Board (LSCB) is
requires improvement
1 Ofsted produces this report under its power to combine reports.
\f 2
Contents
The local authority 3
What does the local authority need to improve? 3
Priority and immediate action 3
The Local Safeguarding Children Board (LSCB) 4
\f 3
What does the local authority need to improve?
Priority and immediate action
There are no priority actions.
Areas for improvement
Care leavers
1. Ensure that pathway plans are reviewed with each young person and
\f 4
record their views.
2. Improve the timeliness of initial health assessments.
Governance
3. Strengthen scrutiny by elected members.
The local authority’s strengths
4. Leaders know the service well.
The Local Safeguarding Children Board (LSCB)
Recommendations
5. Ensure that the board evaluates its training.
Inspection findings – the Local Safeguarding Children Board
6. The board is well led.
Lead inspector: Ann Example
"""


def test_sif_lists_subheadings_page_breaks_and_lscb():
    doc = report(SIF)
    assert [(f.category, f.text) for f in doc.findings] == [
        (
            "improvement",
            "Ensure that pathway plans are reviewed with each young person and record their views.",
        ),
        ("improvement", "Improve the timeliness of initial health assessments."),
        ("improvement", "Strengthen scrutiny by elected members."),
        ("lscb_improvement", "Ensure that the board evaluates its training."),
    ]
    assert [f.confidence < 0.9 for f in doc.findings] == [True, False, False, False]
    # the contents line is no heading: the first list starts on page 3
    assert doc.findings[0].start > SIF.index("\f 3")
    assert not any("Care leavers" in f.text or "Governance" in f.text for f in doc.findings)


def test_sif_judgements_wrapped_labels_and_the_overall_sentence():
    md = report(SIF).metadata
    assert md["judgements"] == {
        "overall_effectiveness": "Inadequate",
        "help_and_protection": "Inadequate",
        "children_looked_after": RI,
        "adoption_performance": "Good",
        "care_leavers": RI,
        "leaders": "Inadequate",
        "lscb": RI,
    }
    assert md["authority"] == "Northdale"
    assert md["inspector_name"] == "Ann Example"  # named on the last page


def test_sif_priority_actions_when_there_are_some():
    text = SIF.replace(
        "There are no priority actions.",
        "1. Secure effective leadership across children’s services.",
    ).replace("1. Ensure that pathway", "2. Ensure that pathway")
    doc = report(text)
    assert doc.findings[0].category == "priority_action"
    assert doc.findings[0].text == "Secure effective leadership across children’s services."
    assert doc.findings[0].section == "Priority and immediate action"


OLD = """Inspection of looked after children
services
Northdale Council
Inspection dates: 15-19 July 2013
Reporting inspector Ann Example HMI
Overall effectiveness of services for looked
after children and young people
Grade 3 (Adequate)
Areas for improvement
20. In order to improve the quality of provision the local authority should take
the following action.
Immediately:
\uf0b7 ensure that every child has a risk assessment
\uf0b7 improve management oversight of
decisions
Within three months:
\uf0b7 complete health assessments on time.
Outcomes for looked after children and young
people
21. Outcomes are adequate.
Record of main findings
Overall effectiveness Adequate Grade 3
Leadership and management Inadequate Grade 4
"""


def test_2013_layout_bullets_under_timescales_and_the_old_scale():
    doc = report(OLD)
    assert [f.text for f in doc.findings] == [
        "ensure that every child has a risk assessment",
        "improve management oversight of decisions",
        "complete health assessments on time.",
    ]
    md = doc.metadata
    assert md["authority"] == "Northdale Council"
    assert md["inspector_name"] == "Ann Example"
    assert md["inspection_dates"] == [dt.date(2013, 7, 15), dt.date(2013, 7, 19)]
    assert md["judgements"] == {"overall_effectiveness": "Adequate", "leaders": "Inadequate"}


def test_a_report_without_a_list_says_why_it_has_no_findings():
    text = ILACS.split("What needs to improve:")[0] + "The experiences and progress of\n"
    doc = report(text)
    assert doc.findings == []
    assert "outstanding" in no_findings_reason(doc)
    assert no_findings_reason(report(ILACS)) == ""
    found, note = segment_auto(text)
    assert found.scheme == "ofsted_ilacs" and note == no_findings_reason(doc)
    assert segment_auto(ILACS)[1] == ""


async def test_the_reviewer_header_says_why_a_report_has_no_findings(tmp_path):
    from reviewer.review.session import ReviewSession
    from reviewer.tui.app import ReviewApp

    path = tmp_path / "westmoor.txt"
    path.write_text(ILACS.split("What needs to improve:")[0], encoding="utf-8")
    for _ in range(2):  # first open, then resumed from its saved review
        session = ReviewSession.open(path)
        app = ReviewApp(session, "default", user_keymap=False)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            header = app.review_screen.query_one("ReviewHeader")
            assert "outstanding report?" in str(header.render())
            app.review_screen.save_review()
            await pilot.pause()
        session.close()


def test_the_scheme_lists_its_judgements_and_new_categories():
    scheme = load_scheme("ofsted_ilacs")
    ids = {j.id for j in scheme.judgements}
    assert {"overall_effectiveness", "lscb", "children_in_care", "adoption_performance"} <= ids
    assert {"improvement", "priority_action", "lscb_improvement"} <= set(scheme.by_id)
    assert len({c.key for c in scheme.categories}) == len(scheme.categories)


# -- real reports ------------------------------------------------------------------------


def real(name: str):
    doc, note = segment_auto(read_letter(CORPUS / f"{name}.pdf").text)
    assert note == ("" if doc.findings else no_findings_reason(doc))
    assert doc.scheme == "ofsted_ilacs"
    return doc


def by_category(doc) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for f in doc.findings:
        out.setdefault(f.category, []).append(f.text)
    return out


@needs_corpus
def test_sif_2014_priority_areas_and_lscb():
    doc = real("southampton_2014-09-15_report")
    cats = by_category(doc)
    assert len(cats["priority_action"]) == 5  # items 13-17
    assert cats["priority_action"][0].startswith("Take action to reduce the numbers")
    assert len(cats["improvement"]) == 30  # items 18-47, across three pages
    assert len(cats["lscb_improvement"]) == 7  # items 161-167
    assert not any(t.startswith(("Care Leavers", "Governance")) for t in cats["improvement"])
    assert doc.metadata["judgements"]["care_leavers"] == "Inadequate"
    assert doc.metadata["inspector_name"] == "Nicholas McMullen"


@needs_corpus
def test_sif_statement_of_no_priority_action_is_no_finding():
    cats = by_category(real("bexley_2014-05-23_report"))
    assert "priority_action" not in cats  # "26. The inspection did not find any areas..."
    assert cats["improvement"][0].startswith("Ensure that the thresholds for access")


@needs_corpus
def test_sif_2015_recommendation_keeps_its_bullets():
    cats = by_category(real("medway_2015-11-27_report"))
    assert len(cats["improvement"]) == 13
    first = cats["improvement"][0]
    assert first.startswith("Ensure that all managers use performance management")
    assert first.endswith("spoken to about their experiences (paragraph 33).")
    assert len(cats["lscb_improvement"]) == 4


@needs_corpus
def test_sif_grades_wrapped_over_three_lines():
    md = real("darlington_2018-05-21_report").metadata
    assert md["judgements"]["help_and_protection"] == RI
    assert md["judgements"]["leaders"] == RI
    assert md["judgements"]["adoption_performance"] == "Good"


@needs_corpus
@pytest.mark.parametrize(
    "name",
    [
        "cheshire-west-and-chester_2024-08-28_report",
        "north-somerset_2023-05-11_report",
        "stockport_2025-07-15_report",
    ],
)
def test_ilacs_three_requires_improvement_grades_all_kept(name):
    grades = real(name).metadata["judgements"]
    assert grades["leaders"] == RI
    assert grades["help_and_protection"] == RI
    assert grades["overall_effectiveness"] == RI


@needs_corpus
def test_ilacs_heading_with_colon():
    doc = real("east-riding-of-yorkshire_2020-03-13_report")
    assert len(doc.findings) == 12
    assert doc.findings[0].text.startswith("The accuracy of the self-evaluation")


@needs_corpus
def test_2013_looked_after_children_inspection():
    doc = real("medway_2013-08-23_report")
    assert len(doc.findings) == 15  # 4 immediately, 8 within three months, 3 within six
    assert doc.findings[0].text.startswith("ensure there is a clear and documented analysis")
    assert doc.metadata["inspector_name"] == "Sarah Urding"
    assert doc.metadata["judgements"]["overall_effectiveness"] == "Inadequate"


@needs_corpus
def test_outstanding_report_has_no_list_and_says_so():
    doc = real("thurrock_2024-10-29_report")
    assert doc.findings == []
    assert set(doc.metadata["judgements"].values()) == {"Outstanding"}
    assert "no 'What needs to improve' list" in no_findings_reason(doc)


def test_a_report_scheme_without_a_report_table_takes_its_cues_as_list_headings(tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text(
        'id = "mine"\nlabel = "Mine"\n[segment]\nitems = "numbered"\n'
        '[[categories]]\nid = "todo"\nlabel = "To do"\nkey = "1"\ncolour = "#000000"\n'
        'cues = ["what needs to improve"]\n',
        encoding="utf-8",
    )
    doc = segment_text(ILACS, load_scheme(path))
    assert [f.category for f in doc.findings] == ["todo", "todo"]


def test_a_malformed_report_table_is_a_one_line_error_naming_the_key(tmp_path):
    from reviewer.segment.scheme import SchemeError

    path = tmp_path / "bad.toml"
    path.write_text(
        'id = "bad"\nlabel = "Bad"\n[segment]\nitems = "numbered"\n'
        '[[categories]]\nid = "todo"\nlabel = "To do"\nkey = "1"\ncolour = "#000000"\n'
        'cues = ["x"]\n[report]\nlist_ends = ["("]\n',
        encoding="utf-8",
    )
    with pytest.raises(SchemeError, match="list_ends"):
        segment_text(ILACS, load_scheme(path))


def test_a_running_header_without_page_numbers_is_told_by_the_page_tops():
    page = (
        "Northdale Council inspection report\n{n}. A paragraph about page {n}.\n"
        "Care leavers\nCare leavers\nSupport is {word} for most of them.\nThe end of {word}.\n"
    )
    words = ["good", "weak", "patchy", "strong"]
    text = "\f".join(page.format(n=n, word=w) for n, w in enumerate(words, 1))
    lines = split_lines(text)
    noise = [lines[i].stripped for i in sorted(page_furniture(lines))]
    assert noise == ["Northdale Council inspection report"] * 4


LSCB_REVIEW = """Westmoor Local Safeguarding Children Board
Review of the effectiveness of the Local Safeguarding Children
Board
Inspection dates: 4 April 2016 – 26 April 2016
Report published: 16 June 2016
The Local Safeguarding Children Board requires improvement
Executive summary
Westmoor Local Safeguarding Children Board meets most of its statutory
responsibilities. The board does not yet know enough about frontline practice.
Recommendations
1. The board should ensure that single-agency audits are presented to it regularly,
so that it understands the strengths and weaknesses of practice across partners.
2. The board should promote awareness of private fostering arrangements across
Westmoor.
Inspection findings – the Local Safeguarding Children Board
3. The board meets most of its statutory responsibilities.
Information about this review
Lead inspector: Sam Lee
"""


def test_a_review_of_the_lscb_published_alone_is_a_report_of_lscb_recommendations():
    doc, note = segment_auto(LSCB_REVIEW)
    assert doc.scheme == "ofsted_ilacs" and note == ""
    assert [(f.category, f.text) for f in doc.findings] == [
        (
            "lscb_improvement",
            "The board should ensure that single-agency audits are presented to it "
            "regularly, so that it understands the strengths and weaknesses of practice "
            "across partners.",
        ),
        (
            "lscb_improvement",
            "The board should promote awareness of private fostering arrangements across Westmoor.",
        ),
    ]
    assert doc.metadata["judgements"] == {"lscb": RI}


def test_what_needs_to_improve_written_as_one_paragraph_is_one_finding():
    improve = (
        "What needs to improve?\n"
        "Leaders should make sure that the recording of management decisions is\n"
        "consistent, so that the reasons for decisions are always clear.\n"
        "The experiences and progress of children who need help and\n"
        "protection: outstanding\n"
        "1. Children receive help at the right time.\n"
    )
    doc = report(ILACS.split("What needs to improve:")[0] + improve)
    assert [(f.category, f.text) for f in doc.findings] == [
        (
            "improvement",
            "Leaders should make sure that the recording of management decisions is "
            "consistent, so that the reasons for decisions are always clear.",
        )
    ]


# -- a list's last item and the page furniture after it -----------------------------------

IMPROVE = "What does the local authority need to improve?"
ITEM = "◼ Systems and resources to provide a safe service"
JUDGEMENT = "The experiences and progress of children who need help and protection: good"


def test_a_list_ends_at_its_end_line_also_when_the_line_repeats_as_furniture():
    # Repeated four times without page breaks, the judgement line is a running header, and
    # it is also the line the list ends at: the last item stops there.
    text = "\n".join([IMPROVE, ITEM, ITEM, *[JUDGEMENT] * 4, "0000"])
    doc = report(text)
    assert [f.text for f in doc.findings] == [ITEM[2:], ITEM[2:]]
    assert doc.findings[-1].end == text.index(ITEM, len(IMPROVE) + len(ITEM) + 2) + len(ITEM)


def test_a_list_ends_at_a_heading_in_a_running_header():
    # The second page's header is a list heading above the page number: furniture, and a
    # heading all the same, so the item before the page break does not run on past it.
    text = "\n".join(
        [
            IMPROVE,
            ITEM,
            "\f",
            "What needs to improve?",
            "Inspection of Sefton local authority children’s services 2",
            "0000",
            "\f",
            "Inspection of Sefton local authority children’s services 3",
            "More text.",
        ]
    )
    doc = report(text)
    assert {3, 4} <= Engine(text, load_scheme("ofsted_ilacs")).noise
    assert [f.text for f in doc.findings] == [ITEM[2:]]
    assert doc.text[doc.findings[0].start : doc.findings[0].end] == ITEM[2:]


def test_a_block_opening_a_page_is_no_footnote():
    # "21 February ..." opens its block as a footnote's "1 The ..." would, but it opens its
    # page: it is the page's text, not a footnote under it, and the item runs on through
    # that text as through any, its slice holding what it says (not a page of furniture).
    text = "\n".join(
        [
            IMPROVE,
            ITEM,
            "\f",
            "21 February to 4 March 2022 3",
            "Lead inspector: Ann Example, His Majesty’s Inspector",
            "which makes children safer.",
            ITEM,
            "Lead inspector: Ann Example, His Majesty’s Inspector",
            "Inspection of Sefton local authority children’s services",
            "Inspection of Sefton local authority children’s services",
            "\f",
            "0000",
        ]
    )
    assert not furniture(split_lines(text)) & set(range(4, 11))
    doc = report(text)
    assert document_problems(doc) == []
    assert [f.text.split()[:2] for f in doc.findings] == [["Systems", "and"]] * 2
