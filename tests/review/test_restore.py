"""Restoring a crashed session's unsaved work the quick way (the work told apart from the
review file by the text of each finding, and the findings already read reused) gives exactly
what reading the work whole gives: the same question, the same review restored."""

from __future__ import annotations

import json
import re
import socket
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reviewer.review import annotation, opening
from reviewer.review.annotation import AnnotationError, Review
from reviewer.review.session import ReviewSession
from reviewer.review.store import journal_path, lock_path, oplog_path
from tests.conftest import SAMPLES

HARTLEPOOL = "hartlepool_2011-03_ucra.txt"


@pytest.fixture
def letter(tmp_path: Path) -> Path:
    dest = tmp_path / HARTLEPOOL
    dest.write_bytes((SAMPLES / HARTLEPOOL).read_bytes())
    return dest


def saved_review(letter: Path) -> Path:
    s = ReviewSession.open(letter)
    path = s.save()
    s.close()
    return path


def person(letter: Path) -> ReviewSession:
    """A session as the reviewer runs one: opened, the journal's full record written."""
    s = ReviewSession.open(letter)
    s.prepare_journal()
    s.crash.settle()
    return s


def abandon(s: ReviewSession) -> None:
    """End a session as kill -9 would: no save, no clean close, the lock left behind."""
    s.crash.settle()
    s.crash.snapshots.settle()
    s.oplog.close()
    lock_path(s.review_path).write_text("999999999\n" + socket.gethostname() + "\ngone\n")
    s.lock = None


def as_toml(review: Review) -> tuple:
    """Everything a restore takes back, as text (findings in order, every field)."""
    return (
        [annotation.finding_toml(f) for f in review.findings],
        review.letter,
        review.status,
        review.note,
        review.position,
    )


def full_way(t: ReviewSession) -> tuple[Review | None, bool]:
    """The unsaved work read whole, and whether it differs from what is open: what the
    question was decided on before the quick way."""
    work = opening.replayed(t)
    return work, work is not None and opening._differs(work, t.review)


def the_full_way_is_not_taken(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(session):
        raise AssertionError("the unsaved work was read whole")

    monkeypatch.setattr(opening, "replayed", refuse)


# -- the question ---------------------------------------------------------------------------


def test_work_equal_to_the_saved_review_asks_nothing_without_reading_it(
    letter: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    saved_review(letter)
    s = person(letter)
    s.set_note(0, "typed")
    s.undo()  # the same finding back: its text is the file's again
    abandon(s)
    the_full_way_is_not_taken(monkeypatch)
    t = ReviewSession.open(letter)
    try:
        assert oplog_path(t.review_path).exists()
        assert not t.report.journal_available
    finally:
        t.close()


@pytest.mark.parametrize(
    "change",
    [
        lambda s: s.set_note(3, "one note"),
        lambda s: s.set_category(
            2, "development" if s.findings[2].category != "development" else "strength"
        ),
        lambda s: s.delete(4),
        lambda s: s.merge_next(next(i for i in range(9) if not s.heading_between(i))),
        lambda s: s.set_review_note("the letter's note"),
        lambda s: s.set_review_status("complete"),
        lambda s: s.set_metadata({"authority": "Another council"}),
    ],
    ids=["note", "category", "deleted", "merged", "review-note", "status", "letter"],
)
def test_one_difference_asks_and_restores_what_the_full_way_gives(
    letter: Path, change, monkeypatch: pytest.MonkeyPatch
) -> None:
    saved_review(letter)
    s = person(letter)
    change(s)
    want = as_toml(s.review)
    abandon(s)
    t = ReviewSession.open(letter)
    try:
        assert t.report.journal_available
        assert t.crash.recovered is not None  # found the quick way
        full, differs = full_way(t)
        assert differs and full is not None
        the_full_way_is_not_taken(monkeypatch)
        assert t.restore_journal()
        got = as_toml(t.review)
        assert got[:4] == want[:4] == as_toml(full)[:4]
    finally:
        t.close()


def test_two_findings_swapped_is_a_difference(letter: Path) -> None:
    path = saved_review(letter)
    review = annotation.load(path)
    s = person(letter)
    abandon(s)
    # The journal's full record with two findings' places swapped: every text is the file's.
    first = json.loads(oplog_path(path).read_text(encoding="utf-8").splitlines()[0])
    first["findings"][1], first["findings"][2] = first["findings"][2], first["findings"][1]
    oplog_path(path).write_text(json.dumps(first) + "\n", encoding="utf-8")
    t = ReviewSession.open(letter)
    try:
        assert t.report.journal_available
        assert t.restore_journal()
        assert [f.id for f in t.findings[:4]] == [review.findings[i].id for i in (0, 2, 1, 3)]
    finally:
        t.close()


def test_a_finding_written_otherwise_by_hand_is_compared_as_a_finding(letter: Path) -> None:
    """A review file whose findings' TOML is not ours (numbers written otherwise, a comment):
    the journal's text differs from the file's, the work does not, so nothing is asked."""
    path = saved_review(letter)
    before = annotation.load(path).findings
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"\n(confidence = [0-9.]+)\n", r"\n\g<1>00\n", text, count=3)
    text = text.replace('\nstatus = "auto"\n', '\nstatus = "auto" # by machine\n', 2)
    path.write_text(text, encoding="utf-8")
    assert annotation.load(path).findings == before  # written otherwise, the same findings
    s = person(letter)
    abandon(s)
    t = ReviewSession.open(letter)
    try:
        assert not t.report.journal_available
    finally:
        t.close()
    s = person(letter)
    s.set_note(5, "the one change")
    want = as_toml(s.review)
    abandon(s)
    t = ReviewSession.open(letter)
    try:
        assert t.report.journal_available and t.restore_journal()
        assert as_toml(t.review)[:4] == want[:4]
    finally:
        t.close()


def test_a_file_whose_findings_cannot_be_told_by_text_is_read_the_full_way(
    letter: Path,
) -> None:
    """A multi-line string could hold a line that looks like a finding's header: nothing is
    taken from the file's text then."""
    path = saved_review(letter)
    text = path.read_text(encoding="utf-8")
    text = text.replace('note = ""', 'note = """\n[[findings]]\nnot a finding"""', 1)
    path.write_text(text, encoding="utf-8")
    assert opening._finding_texts(text, len(annotation.load(path).findings)) is None
    s = person(letter)
    s.set_note(6, "after the odd note")
    want = as_toml(s.review)
    abandon(s)
    t = ReviewSession.open(letter)
    try:
        assert t.report.journal_available and t.crash.recovered is None
        assert t.restore_journal()
        assert as_toml(t.review)[:4] == want[:4]
        assert "[[findings]]\nnot a finding" in t.findings[0].note
    finally:
        t.close()


@pytest.mark.parametrize(
    "text",
    [
        'id = "x"\n[review]\nstatus = "complete"\n',  # a table not of the finding
        'id = "x"\n  [other]\n',  # indented
        'id = "x"\n[[findings]]\nid = "y"\n',  # two findings in one
        'note = """a\nb"""\n',  # a multi-line string
    ],
)
def test_a_journal_text_that_is_not_one_finding_is_read_the_full_way(text: str) -> None:
    assert not opening._plain_finding(text)


def test_a_finding_repeated_in_the_journal_is_asked_about_and_refused(letter: Path) -> None:
    path = saved_review(letter)
    s = person(letter)
    s.set_note(0, "changed")
    abandon(s)
    first = json.loads(oplog_path(path).read_text(encoding="utf-8").splitlines()[0])
    with oplog_path(path).open("a", encoding="utf-8") as log:  # finding 1 twice
        log.write(json.dumps({"at": 0, "remove": 0, "insert": [first["findings"][1]]}) + "\n")
    t = ReviewSession.open(letter)
    try:
        assert t.report.journal_available and t.crash.recovered is None
        with pytest.raises(AnnotationError, match="repeats"):
            t.restore_journal()
    finally:
        t.close(clean=False)


# -- the restore: the work found at the open, only while it is still true --------------------


def test_the_restore_reads_nothing_again_and_its_journal_gives_the_work_back(
    letter: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    saved_review(letter)
    s = person(letter)
    s.set_note(2, "unsaved")
    s.delete(7)
    want = as_toml(s.review)
    abandon(s)
    t = ReviewSession.open(letter)
    assert t.report.journal_available
    with monkeypatch.context() as m:
        the_full_way_is_not_taken(m)

        def no_formatting(*args, **kwargs):
            raise AssertionError("every finding formatted again")

        m.setattr(annotation, "findings_toml", no_formatting)
        assert t.restore_journal()
    assert as_toml(t.review)[:4] == want[:4]
    abandon(t)  # the restored work is all in the new journal
    u = ReviewSession.open(letter)
    try:
        assert u.report.journal_available and u.restore_journal()
        assert as_toml(u.review)[:4] == want[:4]
    finally:
        u.close()


def test_crash_files_changed_after_the_question_are_read_again(letter: Path) -> None:
    path = saved_review(letter)
    s = person(letter)
    s.set_note(2, "first")
    abandon(s)
    t = ReviewSession.open(letter)
    assert t.report.journal_available and t.crash.recovered is not None
    # Another line reaches the journal before the answer: the restore must hold it too.
    chunk = annotation.finding_toml(t.findings[3]).replace('note = ""', 'note = "later"')
    with oplog_path(path).open("a", encoding="utf-8") as log:
        log.write(json.dumps({"at": 3, "remove": 1, "insert": [chunk]}) + "\n")
    try:
        assert t.restore_journal()
        assert (t.findings[2].note, t.findings[3].note) == ("first", "later")
    finally:
        t.close()


def test_a_change_made_before_the_answer_is_not_overwritten_by_stale_work(letter: Path) -> None:
    saved_review(letter)
    s = person(letter)
    s.set_note(2, "unsaved")
    abandon(s)
    t = ReviewSession.open(letter)
    kept = t.crash.recovered
    assert t.report.journal_available and kept is not None
    t.set_note(4, "typed before answering")  # the journal starts again with this session's work
    try:
        work, parts = opening.unsaved_work(t)
        assert parts is None  # not the work found at the open
        assert work is not None and work.findings[4].note == "typed before answering"
    finally:
        t.close()


def test_answering_no_keeps_the_work_aside_as_its_text(letter: Path) -> None:
    saved_review(letter)
    s = person(letter)
    s.set_note(2, "unsaved")
    want = as_toml(s.review)
    abandon(s)
    t = ReviewSession.open(letter)
    try:
        aside = t.set_unsaved_work_aside()
        assert aside is not None and not journal_path(t.review_path).exists()
        assert as_toml(annotation.load(aside))[:4] == want[:4]
    finally:
        t.close()


# -- any mix of changes: the quick way and the full way agree --------------------------------

ACTIONS = st.lists(
    st.one_of(
        st.tuples(st.just("note"), st.integers(0, 40), st.sampled_from(["a", "b", 'q"uote\\'])),
        st.tuples(
            st.just("category"),
            st.integers(0, 40),
            st.sampled_from(["strength", "development", "priority_action", "satisfactory"]),
        ),
        st.tuples(st.just("confirm"), st.integers(0, 40)),
        st.tuples(st.just("delete"), st.integers(0, 40)),
        st.tuples(st.just("merge"), st.integers(0, 40)),
        st.tuples(st.just("split"), st.integers(0, 40)),
        st.tuples(st.just("review_note"), st.sampled_from(["", "n1", "n2"])),
        st.tuples(st.just("status"), st.sampled_from(["in_progress", "complete"])),
        st.tuples(st.just("letter"), st.sampled_from(["A council", "B council"])),
        st.tuples(st.just("undo")),
        st.tuples(st.just("autosave"), st.sampled_from(["", "f0003"])),
        st.tuples(st.just("save")),
    ),
    max_size=8,
)


def act(s: ReviewSession, action: tuple) -> None:
    name, *args = action
    n = len(s.findings)
    if name in ("note", "category", "confirm", "delete", "merge", "split") and n < 2:
        return
    if name == "note":
        s.set_note(args[0] % n, args[1])
    elif name == "category":
        s.set_category(args[0] % n, args[1])
    elif name == "confirm":
        s.confirm(args[0] % n)
    elif name == "delete":
        s.delete(args[0] % n)
    elif name == "merge":
        i = args[0] % (n - 1)
        if not s.heading_between(i):
            s.merge_next(i)
    elif name == "split":
        i = args[0] % n
        if s.split_point(i) is not None:
            s.split(i)
    elif name == "review_note":
        s.set_review_note(args[0])
    elif name == "status":
        s.set_review_status(args[0])
    elif name == "letter":
        s.set_metadata({"authority": args[0]})
    elif name == "undo":
        s.undo()
    elif name == "autosave":
        s.autosave(args[0])
    elif name == "save":
        s.save()


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(actions=ACTIONS, prepared=st.booleans(), by_hand=st.booleans())
def test_the_quick_way_agrees_with_the_full_way(
    actions: list[tuple], prepared: bool, by_hand: bool
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        letter = Path(tmp) / HARTLEPOOL
        letter.write_bytes((SAMPLES / HARTLEPOOL).read_bytes())
        path = saved_review(letter)
        if by_hand:  # a file whose numbers are not written as ours
            text = path.read_text(encoding="utf-8")
            text = re.sub(r"\n(confidence = [0-9.]+)\n", r"\n\g<1>00\n", text, count=4)
            path.write_text(text.replace('"auto"\n', '"auto" # by machine\n', 2), "utf-8")
        s = ReviewSession.open(letter)
        if prepared:
            s.prepare_journal()
            s.crash.settle()
        for action in actions:
            act(s, action)
        crashed = as_toml(s.review)
        abandon(s)
        t = ReviewSession.open(letter)
        try:
            full, differs = full_way(t)
            assert t.report.journal_available == differs
            if not differs:
                return
            assert full is not None and t.crash.recovered is not None  # found the quick way
            assert t.restore_journal()
            assert as_toml(t.review)[:4] == as_toml(full)[:4] == crashed[:4]
            assert t.review.position == full.position
            abandon(t)
            u = ReviewSession.open(letter)
            try:
                assert u.report.journal_available and u.restore_journal()
                assert as_toml(u.review)[:4] == crashed[:4]
            finally:
                u.close()
        finally:
            t.close()


# -- telling a file's findings apart by their text ------------------------------------------

HEAD = '[review]\nstatus = "in_progress"\n'


def _file(*chunks: str, head: str = HEAD) -> str:
    return annotation.join_parts(head, list(chunks))


def test_a_file_of_our_findings_is_split_into_them() -> None:
    text = _file('id = "a"\n', 'id = "b"\n[findings.extra]\nx = 1\n', 'id = "c"\n')
    assert opening._finding_texts(text, 3) == [
        'id = "a"\n',
        'id = "b"\n[findings.extra]\nx = 1\n',
        'id = "c"\n',
    ]
    assert opening._finding_texts("\ufeff" + text, 3) is not None
    assert opening._finding_texts(text, 2) is None  # not the findings read from it


@pytest.mark.parametrize(
    "text",
    [
        # A header inside a multi-line string, and a finding's header written otherwise
        # (the count of headers alone would match).
        _file('id = "a"\nnote = """\n[[findings]]\nx"""\n', head=HEAD + "[[findings]] # one\n"),
        _file('id = "a"\nnote = """\n[[findings]]\nx"""\n[[findings]]  \nid = "b"\n'),
        _file('id = "a"\n  [[findings]]\nid = "b"\n'),  # indented header
        _file('id = "a"\n[["findings"]]\nid = "b"\n'),  # quoted name
        _file('id = "a"\n[letter]\nauthority = "x"\n'),  # a table of the head after a finding
        _file('[other]\nid = "a"\n'),
        _file('id = "a"\n', head='[review]\n["\\u0066indings".x]\n'),  # an escaped name
    ],
)
def test_a_file_whose_text_is_not_one_table_per_finding_is_not_split(text: str) -> None:
    assert opening._finding_texts(text, 2) is None
    assert opening._finding_texts(text, 1) is None


@settings(max_examples=200, deadline=None)
@given(
    n=st.integers(0, 60),
    edits=st.lists(
        st.tuples(st.sampled_from(["delete", "insert", "change", "move"]), st.integers(0, 99)),
        max_size=30,
    ),
)
def test_each_text_is_matched_only_to_the_finding_of_that_very_text(
    n: int, edits: list[tuple[str, int]]
) -> None:
    in_file = [f'id = "f{i}"\n' for i in range(n)]
    chunks = list(in_file)
    for kind, at in edits:
        at = at % (len(chunks) + 1)
        if kind == "insert":
            chunks.insert(at, f'id = "new{at}"\n')
        elif chunks and at < len(chunks):
            if kind == "delete":
                del chunks[at]
            elif kind == "change":
                chunks[at] = chunks[at].replace("f", "g")
            else:
                chunks.insert(0, chunks.pop(at))
    where = opening._found_in(chunks, in_file)
    assert len(where) == len(chunks)
    for chunk, k in zip(chunks, where, strict=True):  # one not found is read as it is
        assert k is None or in_file[k] == chunk
    if not edits:
        assert where == list(range(n))


def test_findings_far_behind_are_found_again() -> None:
    in_file = [f'id = "f{i}"\n' for i in range(100)]
    chunks = in_file[40:] + in_file[:40]  # forty moved to the end
    where = opening._found_in(chunks, in_file)
    assert sum(k is None for k in where) <= 2 * opening._AHEAD  # a few at each jump
    assert all(k is None or in_file[k] == c for c, k in zip(chunks, where, strict=True))
