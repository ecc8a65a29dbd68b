"""On any text at all, the segmenter never raises and its findings keep their invariants."""

from __future__ import annotations

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from reviewer.segment.check import document_problems
from reviewer.segment.families import segment_text
from reviewer.segment.scheme import load_scheme

SCHEME = load_scheme()


def assert_invariants(doc, text):
    """Findings ordered, inside, not overlapping, holding their text; segments likewise."""
    assert document_problems(doc) == []
    prev = 0
    for seg in doc.segments:
        assert 0 <= seg.start <= seg.end <= len(text)
        assert seg.start >= prev
        prev = seg.end


LINES = st.sampled_from(
    [
        "Strengths",
        "AREAS FOR DEVELOPMENT:",
        "Areas for priority action",
        "The service meets the requirements of statutory guidance in the following areas",
        "- Staff are well supported and supervised.",
        "• Assessments are timely.",
        "1. Records are up to date",
        "a) Thresholds are understood",
        '<ul style="x"> ▪ One item. ▪ Two items',
        "| Strengths | |",
        "|---|---|",
        "| • | A finding in a table row. |",
        "Page 2 of 3",
        "",
        "",
        "continued text in lower case.",
        "Dear Ms Smith",
        "Yours sincerely",
        "Copy: Jo Bloggs, Chief Executive, Some Council",
        "15 March 2011",
        "assess-",
        "\f",
        "INVESTOR IN PEOPLE",
    ]
)
TEXT = st.one_of(
    st.text(max_size=400),
    st.lists(st.one_of(LINES, st.text(max_size=60)), max_size=40).map("\n".join),
    st.lists(LINES, max_size=40).map("\r\n".join),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXT)
def test_any_text_keeps_the_invariants(text):
    doc = segment_text(text, SCHEME)
    assert_invariants(doc, text)
    for f in doc.findings:
        assert f.category in SCHEME.by_id
        assert 0.0 < f.confidence <= 1.0
        assert f.text == " ".join(f.text.split())


REPORT = load_scheme("ofsted_ilacs")
REPORT_LINES = st.sampled_from(
    [
        "What needs to improve?1",
        "What does the local authority need to improve?",
        "◼ Systems and resources to provide a safe service",
        "which makes children safer.",
        "1. Children’s experiences of help have improved.",
        "The experiences and progress of children who need help and protection: good",
        "Judgement Grade",
        "Overall effectiveness Good",
        "Inspection of Sefton local authority children’s services",
        "21 February to 4 March 2022 3",
        "1 The areas for improvement have been cross-referenced",
        "Lead inspector: Ann Example, His Majesty’s Inspector",
        "",
        "\f",
    ]
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.one_of(
        st.text(max_size=300),
        st.lists(st.one_of(REPORT_LINES, st.text(max_size=40)), max_size=40).map("\n".join),
    )
)
# Found by this test: a bullet, then a page taken whole for a footnote (its first line a
# date with a page number) holding the list's heading; the item ran on past it to "0000".
@example(
    "\n".join(
        [
            "What does the local authority need to improve?",
            "◼ Systems and resources to provide a safe service",
            "\f",
            "21 February to 4 March 2022 3",
            "What does the local authority need to improve?",
            "What does the local authority need to improve?",
            "Lead inspector: Ann Example, His Majesty’s Inspector",
            "1. Children’s experiences of help have improved.",
            "What needs to improve?1",
            "Inspection of Sefton local authority children’s services",
            "\f",
            "0000",
        ]
    )
)
# Found by this test: the list's end line repeated (a running header) after the last item.
@example(
    "\n".join(
        ["What does the local authority need to improve?"]
        + ["◼ Systems and resources to provide a safe service"] * 2
        + ["The experiences and progress of children who need help and protection: good"] * 4
        + ["0000"]
    )
)
def test_report_layout_keeps_the_invariants(text):
    assert_invariants(segment_text(text, REPORT), text)
