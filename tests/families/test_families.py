"""Focused visit letters, JTAI letters and area SEND reports: findings and metadata.

The constructed documents (tests/family_docs.py) always run; the real ones are read from
the shared corpus and skipped when it is not there. Expectations are this project's own,
written from reading each document.
"""

from __future__ import annotations

import datetime as dt

import pytest

from reviewer.segment.families import segment_auto, segment_text
from reviewer.segment.scheme import detect_scheme, load_scheme
from tests.family_docs import CORPUS, FOCUSED_VISIT, JTAI, JTAI_2016, SEND


def read(text: str):
    doc, note = segment_auto(text)
    assert note == ""
    return doc


def test_focused_visit_findings_metadata_and_offsets():
    doc = read(FOCUSED_VISIT)
    assert doc.scheme == "ofsted_focused_visit"
    assert [(f.category, f.text) for f in doc.findings] == [
        (
            "priority_action",
            "The sufficiency of suitable accommodation for care leavers aged 18 and over, "
            "so that no young person is placed in a hotel.",
        ),
        ("priority_action", "The oversight by managers of young people who go missing"),
        (
            "improvement",
            "The quality of pathway plans, so that they are updated when young people’s "
            "circumstances change.",
        ),
        (
            "improvement",
            "Access to emotional well-being and mental health support for care leavers.",
        ),
        ("improvement", "The recording of management decisions and the reasons for them."),
    ]
    assert doc.metadata == {
        "authority": "Westmoor",
        "letter_date": dt.date(2024, 4, 12),
        "inspection_dates": [dt.date(2024, 3, 5), dt.date(2024, 3, 6)],
        "recipient_name": "Alex Morgan",
        "recipient_role": "Director of Children’s Services",
        "inspector_name": "Sam Lee",
        "inspector_role": "His Majesty’s Inspector",
        "visit_focus": "Inspectors looked at the local authority’s arrangements for care leavers.",
    }
    for f in doc.findings:
        assert " ".join(FOCUSED_VISIT[f.start : f.end].split()) == f.text


def test_focused_visit_main_findings_bullets_and_address_block_are_not_findings():
    doc = read(FOCUSED_VISIT)
    assert not any("Personal advisers" in f.text for f in doc.findings)
    noise = [FOCUSED_VISIT[s.start : s.end] for s in doc.segments if s.kind == "noise"]
    assert "Piccadilly Gate" in noise and "www.gov.uk/ofsted" in noise


def test_jtai_strengths_and_improvements_with_every_addressee():
    doc = read(JTAI)
    assert doc.scheme == "ofsted_jtai"
    assert [f.category for f in doc.findings] == ["improvement"] * 2 + ["strength"] * 3
    assert doc.findings[0].text.endswith("when a child is at risk of harm.")
    assert doc.metadata["authority"] == "Westmoor"
    assert doc.metadata["letter_date"] == dt.date(2025, 6, 14)
    assert doc.metadata["inspection_dates"] == [dt.date(2025, 5, 12), dt.date(2025, 5, 16)]
    assert doc.metadata["recipients"] == [
        "Chris Doe, Director of Children’s Services, Westmoor Borough Council",
        "Pat Roe, Chief Nursing Officer at NHS Westmoor and Eastvale Integrated Care Board",
        "Jo Bloggs, Chief Constable, Westmoor Police",
    ]
    assert not any("waited too long" in f.text for f in doc.findings)  # a practice study


def test_jtai_2016_subheadings_case_studies_and_prose_sections():
    doc = read(JTAI_2016)
    assert [f.category for f in doc.findings] == ["strength"] * 3 + ["improvement"] * 2
    assert doc.findings[0].text == (
        "Leaders across the partnership share a clear commitment to children. "
        "The board holds agencies to account."
    )
    # Prose under "Areas for improvement": each paragraph is an item.
    assert doc.findings[3].text.startswith("Some strategy meetings are held")
    assert doc.findings[4].text.endswith("what must change or by when.")
    assert doc.metadata["authority"] == "Eastshire"
    assert doc.metadata["inspection_dates"] == [dt.date(2016, 3, 7), dt.date(2016, 3, 11)]
    assert doc.metadata["recipients"][1:] == [
        "Mr Kim Black, Chief Executive Officer, NHS Eastshire CCG",
        "Mr Ash White, Police and Crime Commissioner",
    ]


def test_send_table_keeps_the_responsible_body_out_of_the_text():
    doc = read(SEND)
    assert doc.scheme == "ofsted_send_area"
    actions = [f for f in doc.findings if f.category == "priority_action"]
    assert [f.responsible for f in actions] == [
        "Westmoor Borough Council and NHS Westmoor Integrated Care Board",
        # The body cut by the page break is whole again; the action goes on after it.
        "Westmoor Borough Council and NHS Westmoor Integrated Care Board",
        "NHS Westmoor Integrated Care Board",
    ]
    assert actions[0].text == (
        "Area leaders need to urgently and jointly: identify the needs of children and "
        "young people with SEND; and agree a strategy for meeting them."
    )
    assert actions[1].text == (
        "Area leaders need to reduce the time families wait for EHC needs assessments. "
        "Leaders should make sure that plans are completed on time."
    )
    assert not any("Board" in f.text or "Area SEND inspection" in f.text for f in actions)


def test_send_improvements_are_paragraphs_without_blank_lines():
    doc = read(SEND)
    improvements = [f.text for f in doc.findings if f.category == "improvement"]
    assert len(improvements) == 3
    assert improvements[1] == (
        "Leaders across the partnership should improve communication to: keep families "
        "informed about the local offer; and answer calls and emails on time."
    )
    assert improvements[2].endswith("They should tell families how long they will wait.")


def test_send_metadata():
    doc = read(SEND)
    assert doc.metadata == {
        "authority": "Westmoor Local Area Partnership",
        "inspection_dates": [dt.date(2024, 6, 3), dt.date(2024, 6, 7)],
        "inspector_name": "Jane Doe",
        "outcome": (
            "There are widespread and/or systemic failings leading to significant concerns "
            "about the experiences and outcomes of children and young people with special "
            "educational needs and/or disabilities (SEND), which the local area partnership "
            "must address urgently."
        ),
    }


def test_a_title_line_decides_the_family_even_when_another_family_is_quoted():
    # A focused visit that names the joint targeted area inspection in its body.
    text = FOCUSED_VISIT.replace(
        "Headline findings\n",
        "Headline findings\nThe joint targeted area inspection in 2023 found the same.\n",
    )
    assert detect_scheme(text).id == "ofsted_focused_visit"
    # Titles in capitals, as some extractions give them.
    assert (
        detect_scheme(
            JTAI.replace("Joint targeted area inspection of", "JOINT TARGETED AREA INSPECTION OF")
        ).id
        == "ofsted_jtai"
    )


def test_documents_of_no_family_are_not_forced_into_one():
    assert (
        detect_scheme("Minutes of the parish council meeting\n\nApologies were received.\n") is None
    )


def test_scheme_option_still_overrides_the_document():
    doc = segment_text(FOCUSED_VISIT, load_scheme("ofsted_jtai"))
    assert doc.scheme == "ofsted_jtai"
    assert [f.category for f in doc.findings[:2]] == ["priority_action"] * 2


def test_offsets_index_the_text_for_every_family():
    for text in (FOCUSED_VISIT, JTAI, JTAI_2016, SEND):
        doc = read(text)
        pos = 0
        for seg in doc.segments:
            assert pos <= seg.start < seg.end <= len(text)
            pos = seg.end
        for f in doc.findings:
            assert f.text.split()[0] in text[f.start : f.end]


# -- real documents ----------------------------------------------------------------------

real = pytest.mark.skipif(not CORPUS.is_dir(), reason="the shared corpus is not here")


def corpus(rel: str):
    from reviewer.sources.read import read_letter

    return read(read_letter(CORPUS / rel).text)


@real
def test_durham_focused_visit_priority_actions_then_improvement():
    doc = corpus("focused_visit/durham_2021-08-23_focused_visit.pdf")
    assert [f.category for f in doc.findings] == ["priority_action"] * 2 + ["improvement"]
    assert doc.findings[0].text.startswith("The quality of plans and arrangements")
    # "on 13 and 14 July": the year is the letter's.
    assert doc.metadata["inspection_dates"] == [dt.date(2021, 7, 13), dt.date(2021, 7, 14)]
    assert doc.metadata["visit_focus"] == (
        "Inspectors looked at the local authority’s arrangements for children in care."
    )


@real
def test_telford_focused_visit_items_across_blank_lines_and_page_break():
    doc = corpus("focused_visit/telford-and-wrekin_2018-10-11_focused_visit.pdf")
    assert len(doc.findings) == 6
    assert doc.findings[-1].text.startswith("Auditing of practice and measurement")
    assert doc.findings[-1].text.endswith("moderation of case audits.")


@real
def test_oxfordshire_jtai_subheadings_and_page_cut_items():
    doc = corpus("jtai/oxfordshire_2016-05-10_jtai.pdf")
    cats = [f.category for f in doc.findings]
    assert cats == ["strength"] * 15 + ["improvement"] * 10
    assert not any(f.text in ("Leadership and management",) for f in doc.findings)
    assert doc.metadata["authority"] == "Oxfordshire"


@real
def test_solihull_jtai_priority_actions():
    doc = corpus("jtai/solihull_2022-02-21_jtai.pdf")
    cats = [f.category for f in doc.findings]
    assert cats == ["priority_action"] * 2 + ["improvement"] * 8


@real
def test_derbyshire_send_table_rows_with_bodies_cut_by_page_breaks():
    doc = corpus("send_area/derbyshire_2024-11-14_send_area.pdf")
    actions = [f for f in doc.findings if f.category == "priority_action"]
    assert len(actions) == 6
    body = "Derbyshire County Council and NHS Derby and Derbyshire Integrated Care Board"
    assert all(f.responsible == body for f in actions)
    assert actions[1].text.startswith("Area leaders need to ensure that there is a strategic")
    assert len([f for f in doc.findings if f.category == "improvement"]) == 5
    assert doc.metadata["inspector_name"] == "Dave Gilkerson"


@real
def test_medway_send_improvement_with_dash_bullets_is_one_item():
    doc = corpus("send_area/medway_2024-04-02_send_area.pdf")
    assert [f.category for f in doc.findings] == ["improvement"] * 6
    assert doc.findings[1].text.startswith(
        "Leaders across the partnership should improve communication to: improve equity"
    )
