"""A finding's text is the document's own words, in every family.

Constructed documents pin each rule (line-end hyphens, list marks inside an item,
footnote marks, a "2)" that closes a wrapped term, a note that a section is empty, a
SEND body cell wrapped beside its action); real documents of the shared corpus show
them as published (skipped when the corpus is not here). Expectations are this
project's own.
"""

from __future__ import annotations

from reviewer.segment.families import segment_auto
from reviewer.segment.lines import join_parts
from reviewer.segment.metadata import as_name
from tests.conftest import SAMPLES
from tests.families.test_families import corpus, real
from tests.family_docs import FOCUSED_VISIT, JTAI, SEND

TITLE = "Focused visit to Westmoor children’s services"


def read(text: str):
    doc, note = segment_auto(text)
    assert note == ""
    return doc


def texts(doc, category: str) -> list[str]:
    return [f.text for f in doc.findings if f.category == category]


def with_improvements(*lines: str) -> str:
    """The constructed JTAI letter with its "What needs to improve?" list replaced."""
    old = (
        "◼ The consistency of information-sharing by health practitioners when a child\n"
        "is at risk of harm.\n"
        "◼ The quality of multi-agency plans for unborn babies.\n"
    )
    assert old in JTAI
    return JTAI.replace(old, "".join(f"{ln}\n" for ln in lines))


# -- hyphens at line ends ------------------------------------------------------------


def test_a_hyphen_at_a_line_end_is_kept_in_a_document_that_breaks_no_words():
    doc = read(
        with_improvements(
            "◼ The response to honour-",
            "based abuse and to children in longer-",
            "duration placements, which is under-",
            "developed, and the reach of post-",
            "16 services.",
        )
    )
    assert texts(doc, "improvement") == [
        "The response to honour-based abuse and to children in longer-duration "
        "placements, which is under-developed, and the reach of post-16 services."
    ]


def test_a_suspended_hyphen_keeps_its_space():
    doc = read(with_improvements("◼ Homes for homeless 16-", "and 17-year-olds."))
    assert texts(doc, "improvement") == ["Homes for homeless 16- and 17-year-olds."]


def test_a_hyphen_is_kept_even_where_the_document_also_writes_the_word_unbroken():
    """One spelling elsewhere ("underdeveloped") is the author's choice, not a break."""
    doc = read(
        with_improvements(
            "◼ Early help is underdeveloped in the north, and planning is under-",
            "developed in the south.",
        )
    )
    assert texts(doc, "improvement") == [
        "Early help is underdeveloped in the north, and planning is under-developed in the south."
    ]


def test_words_are_joined_where_the_document_shows_it_breaks_words():
    parts = ["Help for chil-", "dren from ser-", "vices and lead-", "ers is multi-", "agency"]
    broken = "\n".join(parts) + "\n"
    # Two breaks whose pieces are no words while the whole words stand elsewhere.
    elsewhere = "The children and the services. Other agencies and the leaders.\n"
    assert join_parts(parts, broken + elsewhere) == (
        "Help for children from services and leaders is multi-agency"
    )
    # One such break is the author's spelling, not evidence: every hyphen stays.
    one = "The children and their families.\n"
    assert join_parts(parts, broken + one) == (
        "Help for chil-dren from ser-vices and lead-ers is multi-agency"
    )


def test_a_soft_hyphen_is_always_a_break():
    assert join_parts(["assess\u00ad", "ments are late"]) == "assessments are late"


# -- list marks and footnote marks ------------------------------------------------------


def test_list_marks_inside_an_item_go_as_the_items_own_mark_does():
    doc = read(
        with_improvements(
            "◼ Leaders need to act on the front door. This includes:",
            "− ensuring that there is enough capacity",
            "\uf02d ensuring that audits are done",
            "─ ensuring that the partnership is funded.",
            "◼ The quality of plans for unborn babies.",
        )
    )
    assert texts(doc, "improvement") == [
        "Leaders need to act on the front door. This includes: ensuring that there is "
        "enough capacity ensuring that audits are done ensuring that the partnership is "
        "funded.",
        "The quality of plans for unborn babies.",
    ]


def test_a_dash_that_a_line_break_moved_to_a_line_start_stays():
    assert join_parts(["The work with families", "– and with schools – is weak."]) == (
        "The work with families – and with schools – is weak."
    )
    assert join_parts(["Leaders should:", "- check plans", "- visit children."]) == (
        "Leaders should: check plans visit children."
    )


def test_a_footnote_mark_at_a_line_end_keeps_the_space_after_it():
    doc = read(
        with_improvements(
            "◼ Information from Merlin2", "reports and from encompass5", "is not used."
        )
    )
    assert texts(doc, "improvement") == [
        "Information from Merlin2 reports and from encompass5 is not used."
    ]


# -- items ---------------------------------------------------------------------------


def test_a_number_that_closes_a_wrapped_term_is_no_new_item():
    doc = read(
        with_improvements(
            "1) The oversight of risk in multi-agency public protection arrangements (MAPPA-",
            "2) meetings, so that children are safe.",
            "2) The quality of plans for unborn babies.",
        )
    )
    assert texts(doc, "improvement") == [
        "The oversight of risk in multi-agency public protection arrangements (MAPPA-2) "
        "meetings, so that children are safe.",
        "The quality of plans for unborn babies.",
    ]


def test_a_note_that_a_section_is_empty_is_no_finding():
    text = JTAI.replace(
        "What needs to improve?\n",
        "Areas for priority action\n"
        "◼ There are no areas for priority action.\n"
        "What needs to improve?\n",
    )
    doc = read(text)
    assert texts(doc, "priority_action") == []
    assert len(texts(doc, "improvement")) == 2


def test_a_finding_that_starts_there_are_no_is_still_a_finding():
    doc = read(with_improvements("◼ There are no systems to check the quality of plans."))
    assert texts(doc, "improvement") == ["There are no systems to check the quality of plans."]


# -- area SEND -----------------------------------------------------------------------


def test_a_send_body_wrapped_beside_its_action_stays_whole_and_out_of_the_text():
    row = (
        "Westmoor Borough Council\n"
        "and NHS Westmoor\n"
        "Integrated Care Board\n"
        "Area leaders need to urgently and jointly:\n"
    )
    assert row in SEND
    wrapped = (
        "Leaders, NHS Westmoor and\n"
        "Area leaders need to urgently and jointly:\n"
        "Eastvale Integrated Care\n"
        "Board\n"
    )
    doc = read(SEND.replace(row, wrapped))
    actions = [f for f in doc.findings if f.category == "priority_action"]
    assert actions[0].responsible == "Leaders, NHS Westmoor and Eastvale Integrated Care Board"
    assert actions[0].text == (
        "Area leaders need to urgently and jointly: identify the needs of children and "
        "young people with SEND; and agree a strategy for meeting them."
    )
    assert actions[1].responsible == (
        "Westmoor Borough Council and NHS Westmoor Integrated Care Board"
    )


# -- real documents ------------------------------------------------------------------


@real
def test_solihull_2022_jtai_priority_action_keeps_no_list_marks():
    doc = corpus("jtai/solihull_2022-02-21_jtai.pdf")
    first = texts(doc, "priority_action")[0]
    assert "This includes: ensuring that there is sufficient multi-agency capacity" in first
    assert "promptly ensuring that comprehensive performance" in first
    assert "−" not in first


@real
def test_enfield_2023_send_joins_the_words_it_breaks():
    doc = corpus("send_area/enfield_2023-08-02_send_area.pdf")
    assert not any("chil-dren" in f.text or "ser-vices" in f.text for f in doc.findings)


@real
def test_line_end_hyphens_kept_in_real_documents():
    fv = corpus("focused_visit/dudley_2020-11-27_focused_visit.pdf")
    assert any("post-16 qualifications" in f.text for f in fv.findings)
    jtai = corpus("jtai/islington_2019-01-29_jtai.pdf")
    assert any("relationship-based" in f.text for f in jtai.findings)


# -- the authority as written --------------------------------------------------------


def test_the_authority_is_a_name_without_a_leading_the():
    doc = read(
        FOCUSED_VISIT.replace(
            TITLE, "Focused visit to the Royal Borough of Westmoor children’s services"
        )
    )
    assert doc.metadata["authority"] == "Royal Borough of Westmoor"
    assert (
        as_name("St. Helens Metropolitan Borough Council")
        == "St. Helens Metropolitan Borough Council"
    )
    assert as_name("East Riding of Yorkshire council") == "East Riding of Yorkshire council"


def test_an_authority_that_reads_as_a_sentence_is_no_authority():
    assert as_name("children’s services This letter summarises the findings") is None
    assert as_name("Westmoor. Inspectors found that") is None
    doc = read(
        FOCUSED_VISIT.replace(
            TITLE,
            "Focused visit to Westmoor\nThis letter summarises the findings of the visit to "
            "Westmoor children’s services",
        )
    )
    assert "This letter" not in doc.metadata.get("authority", "")


def test_report_items_keep_a_wrapped_term_and_lose_inner_marks():
    from tests.segment.test_report_layouts import ILACS, report

    old = (
        "◼ The quality of assessments for children in need.\n"
        "◼ The consistency of management oversight of\n"
        "plans for children in care.\n"
    )
    assert old in ILACS
    new = (
        "◼ The oversight of risk in multi-agency public protection arrangements (MAPPA-\n"
        "2) meetings, so that children are safe. This includes:\n"
        "\uf02d checking plans\n"
        "\uf02d visiting children.\n"
        "◼ The consistency of management oversight of plans for children in care.\n"
    )
    doc = report(ILACS.replace(old, new))
    assert [f.text for f in doc.findings if f.category == "improvement"][:2] == [
        "The oversight of risk in multi-agency public protection arrangements (MAPPA-2) "
        "meetings, so that children are safe. This includes: checking plans visiting children.",
        "The consistency of management oversight of plans for children in care.",
    ]


def test_letter_items_keep_a_wrapped_term():

    sample = SAMPLES / "constructed_pdf_wrapped.txt"
    text = sample.read_text(encoding="utf-8")
    old = "- Decisions on new contacts are made promptly by experienced team managers, and\n"
    assert old in text
    new = (
        "- Decisions on new contacts are made promptly by experienced team managers (Tier-\n"
        "2) and\n"
    )
    doc, _ = segment_auto(text.replace(old, new))
    assert any("managers (Tier-2) and" in f.text for f in doc.findings)
    assert not any(f.text.startswith("and ") for f in doc.findings)
