"""On any text at all, the segmenter never raises and its findings keep their invariants."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reviewer.check import document_problems
from reviewer.scheme import load_scheme
from reviewer.segment import segment_text

SCHEME = load_scheme()

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
    assert document_problems(doc) == []
    prev = 0
    for seg in doc.segments:
        assert 0 <= seg.start <= seg.end <= len(text)
        assert seg.start >= prev
        prev = seg.end
    for f in doc.findings:
        assert f.category in SCHEME.by_id
        assert 0.0 < f.confidence <= 1.0
        assert f.text == " ".join(f.text.split())
