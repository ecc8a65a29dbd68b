"""The list stages' options: a report-like family from a scheme file alone."""

from __future__ import annotations

import datetime as dt

import pytest

from reviewer.segment.families import findings_note, segment_text
from reviewer.segment.scheme import SchemeError, load_scheme

_SCHEME = """
id = "review"
label = "Practice review"
[detect]
title = ["^Practice review of "]
[segment]
grades = "report"
items = "numbered"
drop_lead_ins = true
paragraphs = "numbered"
headings = { "actions to take" = "action", "what the board should do" = "board" }
ends = ["about this review", "next steps.*"]
sections = ["^\\\\s*Findings\\\\b"]
[[segment.regions]]
category = "board"
starts = ["part 2: the board"]
[[metadata]]
key = "inspection_dates"
find = "dates"
kind = "range"
pattern = "Inspection dates:\\\\s*"
[[metadata]]
key = "inspector_name"
find = "regex"
pattern = "^Lead inspector: (?P<v>[^,\\\\n]+)"
[[metadata]]
key = "authority"
find = "regex"
kind = "name"
within = 2
until = "^Inspection dates"
pattern = "Practice review of (?P<v>.+?) children's services"
[[categories]]
id = "action"
label = "Action"
key = "1"
colour = "#000000"
cues = ["actions to take"]
[[categories]]
id = "board"
label = "Board"
key = "2"
colour = "#111111"
cues = ["what the board should do"]
"""

_TEXT = "\n".join(
    [
        "Practice review of Westmoor children's services",
        "Inspection dates: 3 to 5, 6 and 7 March 2025",
    ]
    + ["Lead inspector: Alex Jones, HMI", ""]
    + [f"Filler line {n} of the opening." for n in range(20)]
    + ["", "Actions to take", "The council should take the following actions:"]
    + ["1. Improve the timeliness", "of assessments.", "2. Keep supervision records."]
    + ["About this review", "- Not a finding.", ""]
    + ["Findings", "3. Practice is improving in most teams.", ""]
    + ["Part 2: the board", "Actions to take", "- The board should audit its own work."]
    + ["Next steps", "- Not a finding either."]
)


def _scheme(tmp_path, text: str = _SCHEME):
    path = tmp_path / "review.toml"
    path.write_text(text, encoding="utf-8")
    return load_scheme(path)


def test_a_report_family_is_read_from_its_scheme_file_alone(tmp_path):
    doc = segment_text(_TEXT, _scheme(tmp_path))
    assert [(f.category, f.text) for f in doc.findings] == [
        ("action", "Improve the timeliness of assessments."),
        ("action", "Keep supervision records."),
        ("board", "The board should audit its own work."),
    ]
    assert doc.metadata["inspection_dates"] == [dt.date(2025, 3, 3), dt.date(2025, 3, 7)]
    assert doc.metadata["inspector_name"] == "Alex Jones"
    assert doc.metadata["authority"] == "Westmoor"
    numbered = [s for s in doc.segments if s.kind == "paragraph" and s.number == 3]
    assert [s.section for s in numbered] == ["Findings"]


def test_a_list_written_as_one_paragraph_is_one_finding(tmp_path):
    text = _TEXT.replace(
        "The council should take the following actions:\n1. Improve the timeliness\n"
        "of assessments.\n2. Keep supervision records.",
        "Leaders should make assessments timely.",
    )
    doc = segment_text(text, _scheme(tmp_path))
    assert [f.text for f in doc.findings][:1] == ["Leaders should make assessments timely."]


def test_why_a_family_has_no_findings_names_its_own_list_heading(tmp_path):
    scheme = _scheme(tmp_path)
    text = "\n".join(_TEXT.split("\n")[:25])
    doc = segment_text(text, scheme)
    assert doc.findings == []
    assert "has no 'Actions to take' list" in findings_note(doc, scheme)


@pytest.mark.parametrize(
    ("old", "says"),
    [
        ('[segment]\nlists = "report"\n', "headings, ends"),
        ('[report]\nlist_ends = ["x"]\n', "segment.ends"),
    ],
)
def test_a_scheme_with_the_old_report_reader_is_told_what_to_write(tmp_path, old, says):
    text = 'id = "old"\nlabel = "Old"\n' + old
    text += '[[categories]]\nid = "a"\nlabel = "A"\nkey = "1"\ncolour = "#000000"\ncues = ["x"]\n'
    with pytest.raises(SchemeError, match=says) as err:
        _scheme(tmp_path, text)
    assert "\n" not in str(err.value)


def test_a_region_must_name_a_category_of_the_scheme(tmp_path):
    text = _SCHEME.replace('category = "board"', 'category = "nobody"')
    with pytest.raises(SchemeError, match="regions"):
        _scheme(tmp_path, text)


_PROSE_SCHEME = """
id = "prose"
label = "Prose letter"
[segment]
heading_lines = "any"
items = "marks"
paragraphs = "none"
list_intros = ["(?::|\\\\bas follows)\\\\s*$"]
not_findings = ["I would like to thank"]
[[categories]]
id = "good"
label = "Good"
key = "1"
colour = "#000000"
cues = ["strengths", "works well in these areas"]
[[categories]]
id = "better"
label = "Better"
key = "2"
colour = "#111111"
cues = ["areas for development"]
"""


def test_lists_in_prose_are_read_from_a_scheme_file_alone(tmp_path):
    """Headings in table rows, several ▪ on a line, a sentence leading into a list,
    a section of paragraphs, and a paragraph that is never a finding."""
    text = (
        "The council works well in these areas:\n"
        "▪ Referrals are prompt. ▪ Managers are visible.\n\n"
        "| Areas for development |\n\n"
        "Assessments are too slow in the east.\n\n"
        "I would like to thank the staff.\n"
    )
    doc = segment_text(text, _scheme(tmp_path, _PROSE_SCHEME))
    assert [(f.category, f.text) for f in doc.findings] == [
        ("good", "Referrals are prompt."),
        ("good", "Managers are visible."),
        ("better", "Assessments are too slow in the east."),
    ]
