"""find_hits: every hit of a query in a letter and its findings' notes, in letter order."""

from __future__ import annotations

import time

import pytest

from reviewer.errors import ReviewerError
from reviewer.model import Finding
from reviewer.review.search import Hit, SearchError, compile_query, find_hits

TEXT = (
    "Children are safe in Northdale. The council knows its children well.\n"
    "Managers check supervision records. CHILDREN in care have a voice.\n"
    "Outside every finding: children and carers."
)


def finding(text: str, fid: str, **kw) -> Finding:
    start = TEXT.index(text)
    return Finding(fid, "strength", "s", text, start, start + len(text), **kw)


FIRST = "The council knows its children well."
SECOND = "Managers check supervision records."
FINDINGS = [finding(FIRST, "f1"), finding(SECOND, "f2", note="ask about children's files")]


def spans(hits: list[Hit]) -> list[tuple[int, int]]:
    return [(h.start, h.end) for h in hits]


def test_case_insensitive_by_default_in_letter_order():
    hits = find_hits(TEXT, FINDINGS, "children")
    letter = [h for h in hits if h.where == "letter"]
    assert [TEXT[h.start : h.end] for h in letter] == [
        "Children",
        "children",
        "CHILDREN",
        "children",
    ]
    assert [h.start for h in hits] == sorted(h.start for h in hits)


def test_case_sensitive_keeps_only_the_exact_case():
    hits = find_hits(TEXT, [], "children", case_sensitive=True)
    assert [TEXT[a:b] for a, b in spans(hits)] == ["children", "children"]
    assert find_hits(TEXT, [], "CHILDREN", case_sensitive=True)[0].start == TEXT.index("CHILDREN")


def test_plain_text_is_literal_not_a_regex():
    assert find_hits(TEXT, [], "care.") == []  # "care." is not in the text, "carers" is
    assert spans(find_hits("a+b a", [], "a+b")) == [(0, 3)]


def test_regex():
    hits = find_hits(TEXT, [], r"\bc\w+rs\b", regex=True)
    assert [TEXT[a:b] for a, b in spans(hits)] == ["carers"]
    hits = find_hits(TEXT, [], r"^children", regex=True)
    assert spans(hits) == [(0, 8)]  # ^ is the start of the text, as in re without MULTILINE


def test_regex_case_toggle():
    assert len(find_hits(TEXT, [], "CHILD", regex=True, case_sensitive=True)) == 1
    assert len(find_hits(TEXT, [], "CHILD", regex=True)) == 4


def test_bad_regex_is_a_one_line_reviewer_error():
    with pytest.raises(SearchError) as err:
        find_hits(TEXT, [], "(unclosed", regex=True)
    assert isinstance(err.value, ReviewerError)
    message = str(err.value)
    assert message.startswith("Not a valid regex") and "\n" not in message
    assert find_hits(TEXT, [], "(unclosed") == []  # as plain text it is fine
    for bad in ("[a-", "a{99999999999}", "(?V1)x"):  # the last: ValueError in the engine
        with pytest.raises(SearchError):
            compile_query(bad, regex_mode=True)


def test_a_slow_regex_stops_with_an_error_not_a_freeze():
    text = ("a," * 30 + "\n") * 200
    began = time.monotonic()
    with pytest.raises(SearchError, match="too long"):
        find_hits(text, [], r"(.*?,){25}P", regex=True, timeout=0.2)
    assert time.monotonic() - began < 5


def test_hits_inside_and_outside_findings():
    hits = find_hits(TEXT, FINDINGS, "children", case_sensitive=True)
    letter = [h for h in hits if h.where == "letter"]
    assert [h.finding for h in letter] == [0, None]
    assert TEXT[letter[1].start :].startswith("children and carers")


def test_a_matching_note_counts_once_at_its_finding():
    hits = find_hits(TEXT, FINDINGS, "children")
    notes = [h for h in hits if h.where == "note"]
    assert len(notes) == 1
    note = notes[0]
    f = FINDINGS[1]
    assert (note.start, note.end, note.finding) == (f.start, f.end, 1)
    assert note.snippet[note.mark[0] : note.mark[1]] == "children"
    assert find_hits(TEXT, FINDINGS, "files")[0].where == "note"


def test_a_note_comes_before_its_findings_own_text():
    text = "Children first. Then more."
    f = Finding("f1", "strength", "s", "Children first.", 0, 15, note="children again")
    hits = find_hits(text, [f], "children")
    assert [h.where for h in hits] == ["note", "letter"]
    assert hits[0].key < hits[1].key


def test_orphan_findings_are_ignored():
    orphan = Finding("f9", "strength", "s", "children", 0, 8, anchor="orphan", note="children")
    hits = find_hits(TEXT, [*FINDINGS, orphan], "children")
    assert all(h.finding != 2 for h in hits)
    assert [h.finding for h in hits if h.start == 0] == [None]  # not the orphan's span


def test_limit_keeps_the_first_hits_in_letter_order():
    text = " ".join(["word"] * 50)
    f = Finding("f1", "strength", "s", "word", 0, 4, note="word")
    hits = find_hits(text, [f], "word", limit=10)
    assert len(hits) == 10
    assert hits[0].where == "note"
    assert [h.start for h in hits[1:]] == [5 * i for i in range(9)]
    assert len(find_hits(text, [], "word")) == 50
    assert len(find_hits(" ".join(["word"] * 1500), [], "word", limit=None)) == 1500
    assert len(find_hits(" ".join(["word"] * 1500), [], "word")) == 1000


def test_empty_query_and_empty_matches_give_nothing():
    assert find_hits(TEXT, FINDINGS, "") == []
    assert find_hits(TEXT, FINDINGS, "x*", regex=True) == []  # only empty matches


def test_snippet_is_one_line_with_the_match_marked():
    text = "Line one ends here\r\nand the match\tis on\x1b the next line " + "pad " * 60
    hits = find_hits(text, [], "match")
    (hit,) = hits
    assert "\n" not in hit.snippet and "\r" not in hit.snippet and "\x1b" not in hit.snippet
    assert hit.snippet[hit.mark[0] : hit.mark[1]] == "match"
    assert "here and the match is on" in hit.snippet
    assert hit.snippet.endswith("…")
    assert len(hit.snippet) <= 110


def test_snippet_of_a_late_match_starts_at_a_word():
    text = "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu target"
    (hit,) = find_hits(text, [], "target")
    assert hit.snippet.startswith("…")
    assert hit.snippet[1:].split()[0] in text.split()
    assert hit.snippet[hit.mark[0] : hit.mark[1]] == "target"
