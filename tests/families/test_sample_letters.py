"""Every sample letter gives exactly the findings and metadata its author expects."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from reviewer.segment.families import segment_text
from reviewer.segment.scheme import load_scheme
from reviewer.sources.read import read_letter
from tests.conftest import SAMPLES

EXPECTED = Path(__file__).resolve().parent / "expected"


def expectations():
    return sorted(EXPECTED.glob("*.toml"))


@pytest.fixture(scope="module")
def scheme():
    return load_scheme()


@pytest.mark.parametrize("exp_path", expectations(), ids=lambda p: p.stem)
def test_findings_and_metadata(exp_path, scheme):
    exp = tomllib.loads(exp_path.read_text(encoding="utf-8"))
    letter = read_letter(SAMPLES / exp["letter_file"])
    if "encoding" in exp:
        assert letter.encoding.startswith(exp["encoding"].replace("utf-8", "utf-8"))
    doc = segment_text(letter.text, scheme)
    got = [(f.category, f.text) for f in doc.findings]
    want = [(f["category"], f["text"]) for f in exp["findings"]]
    assert len(got) == len(want)
    for (gc, gt), (wc, wt) in zip(got, want, strict=True):
        assert gc == wc, wt[:60]
        assert gt == wt
    for f, w in zip(doc.findings, exp["findings"], strict=True):
        if "section" in w:
            assert f.section == w["section"]
    for key, value in exp["letter"].items():
        assert doc.metadata.get(key) == value, key


# The real letters: categories in order, the first words of every finding, and metadata.
REAL = {
    "hartlepool_2011-03_ucra.txt": {
        "findings": [
            ("strength", "Child protection concerns are responded"),
            ("strength", "Assessments of children’s needs are"),
            ("satisfactory", "Practice and procedures comply with"),
            ("satisfactory", "Good attention is given to"),
            ("satisfactory", "Decisions regarding further work with"),
            ("satisfactory", "Children and family members are"),
            ("satisfactory", "Records of the work undertaken"),
            ("satisfactory", "Out-of-hours duty arrangements are clear"),
            ("satisfactory", "The experiences and views of"),
            ("satisfactory", "A robust quality assurance framework"),
            ("satisfactory", "Regular critically reflective supervision is"),
            ("satisfactory", "Staff involved in referral and"),
            ("satisfactory", "Staff workloads are manageable"),
            ("development", "Common assessment framework activity remains"),
        ],
        "letter": {
            "authority": "Hartlepool Borough Council",
            "letter_date": "2011-03-16",
            "inspection_dates": ["2011-02-15", "2011-02-16"],
            "recipient_name": "Ms Nicola Bailey",
            "recipient_role": "Director of Child and Adult Services",
            "inspector_name": "Sheena Doyle",
            "inspector_role": "Her Majesty's Inspector",
            "copy_to": [
                "Paul Walker, Chief Executive, Hartlepool Borough Council",
                "Andrew Spencer, Department for Education",
            ],
            "previous_inspection": "November 2009",
        },
    },
    "middlesbrough_2010-01_ucra.txt": {
        "findings": [("satisfactory", w) for w in (
            "Clear multi-agency thresholds",
            "Initial decision making in respect",
            "All initial and core assessments",
            "Children and young people are suitably",
            "The racial, cultural, religious",
            "Child protection enquiries examined",
            "Information is shared effectively",
            "Staff receive planned and regular",
            "Managers have taken appropriate action",
        )] + [
            ("strength", "Staff show a high level"),
            ("strength", "A wide range of accessible"),
        ] + [("development", w) for w in (
            "The Common Assessment Framework (CAF)",
            "Where core assessments are completed",
            "The electronic integrated children's system",
            "Delays in recording the outcomes",
            "Team managers have access",
            "Although a robust process",
        )],
        "letter": {
            "authority": "Middlesbrough Borough Council",
            "letter_date": "2010-01-15",
            "inspection_dates": ["2009-12-08", "2009-12-09"],
            "recipient_name": "Ms Gill Rollings",
            "recipient_role": "Director of Children, Families and Learning",
            "inspector_name": "Heather Brown",
            "inspector_role": "Divisional Manager, Social Care Safeguarding",
            "copy_to": [
                "Ian Parker, Chief Executive, Middlesbrough Council",
                "Barbara Shaw, Chair of South Tees Safeguarding Children Board",
                "Mike Carr, Lead Member for Children's Services",
                "Andrew Spencer, Department for Children, Schools and Families",
            ],
            "no_priority_actions": True,
        },
    },
}  # fmt: skip


def _iso(value):
    if isinstance(value, list):
        return [_iso(v) for v in value]
    return value.isoformat() if hasattr(value, "isoformat") else value


@pytest.mark.parametrize("name", sorted(REAL))
def test_real_letter(name, scheme):
    letter = read_letter(SAMPLES / name)
    doc = segment_text(letter.text, scheme)
    want = REAL[name]
    assert [
        (f.category, f.text[: len(w)])
        for f, (_, w) in zip(doc.findings, want["findings"], strict=False)
    ] == want["findings"]
    assert len(doc.findings) == len(want["findings"])
    for key, value in want["letter"].items():
        assert _iso(doc.metadata.get(key)) == value, key


def test_page_break_joins_a_cut_bullet(scheme):
    letter = read_letter(SAMPLES / "middlesbrough_2010-01_ucra.txt")
    doc = segment_text(letter.text, scheme)
    cut = doc.findings[1]
    assert "the risk of harm is clearly identified." in cut.text
    assert "\n\n" in letter.text[cut.start : cut.end]
    assert cut.confidence < doc.findings[0].confidence


def test_every_slice_holds_its_text(scheme):
    from reviewer.segment.check import slice_holds

    for path in sorted(SAMPLES.glob("*.txt")):
        letter = read_letter(path)
        for f in segment_text(letter.text, scheme).findings:
            assert slice_holds(letter.text[f.start : f.end], f.text), (path.name, f.text[:40])


PROSE = """Dear Mr Example

Annual unannounced inspection of contact, referral and assessment arrangements within
Westmoor Council children's services

This letter summarises the findings of the inspection which was conducted on 3 and 4 May 2011.

Strengths

Referrals are screened promptly by qualified managers, and decisions are clearly recorded.

The duty team is stable and experienced.

Areas for development

The quality of initial assessments varies, and some do not analyse risk in enough depth.

The areas for development identified above will be considered in any future inspection.

Yours sincerely

Ann Example
Her Majesty's Inspector
"""


def test_findings_written_as_paragraphs(scheme):
    doc = segment_text(PROSE, scheme)
    assert [(f.category, f.text[:24]) for f in doc.findings] == [
        ("strength", "Referrals are screened p"),
        ("strength", "The duty team is stable "),
        ("development", "The quality of initial a"),
    ]
    assert all(f.confidence < 0.8 for f in doc.findings)
    assert doc.metadata["authority"] == "Westmoor Council"


def test_empty_section_and_other_bullet_glyphs(scheme):
    text = PROSE.replace(
        "Areas for development\n",
        "Areas for priority action\n\nNone.\n\nAreas for development\n\n► One arrow item.\n\n",
    )
    doc = segment_text(text, scheme)
    cats = [(f.category, f.text) for f in doc.findings]
    assert ("priority_action", "None.") not in cats
    assert ("development", "One arrow item.") in cats
