"""The review controller without any UI: what the screen shows, driven as its keys would."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from reviewer.review.controller import ReviewController, Update
from reviewer.review.queue import LetterQueue
from reviewer.review.search import Query
from reviewer.review.session import ReviewSession
from tests.conftest import SAMPLES

HARTLEPOOL = "hartlepool_2011-03_ucra.txt"
MIDDLESBROUGH = "middlesbrough_2010-01_ucra.txt"


class View:
    """What a screen would be told: every update and every message."""

    def __init__(self) -> None:
        self.updates: list[Update] = []
        self.said: list[tuple[str, str]] = []

    def say(self, message: str, severity: str = "information") -> None:
        self.said.append((message, severity))

    def messages(self, severity: str | None = None) -> list[str]:
        return [m for m, s in self.said if severity is None or s == severity]


def keys(binding_id: str) -> str:
    """The default keymap's first keys for the bindings the controller names."""
    return {
        "finding.confirm": "space",
        "finding.category.development": "3",
        "review.complete": "c",
        "queue.next": "]",
    }.get(binding_id, "")


@pytest.fixture
def letter(tmp_path: Path) -> Path:
    dest = tmp_path / HARTLEPOOL
    shutil.copyfile(SAMPLES / HARTLEPOOL, dest)
    return dest


@pytest.fixture
def opened(letter: Path):
    sessions: list[ReviewSession] = []

    def make(path: Path = letter, **kw) -> tuple[ReviewController, View, ReviewSession]:
        queue = kw.pop("queue", None)
        advance = kw.pop("advance", True)
        s = ReviewSession.open(path, **kw)
        sessions.append(s)
        view = View()
        c = ReviewController(s, queue=queue, say=view.say, keys_for=keys, advance=lambda: advance)
        c.subscribe(view.updates.append)
        c.start()
        return c, view, s

    yield make
    for s in sessions:
        s.close(clean=False)


def test_moving_changes_the_current_finding_and_tells_the_view(opened) -> None:
    c, view, s = opened()
    assert c.current == 0
    c.select(c.current + 1)
    assert c.current == 1 and view.updates[-1] == Update(follow=True)
    c.select(len(s.findings) + 5)  # past the end: the last
    assert c.current == len(s.findings) - 1
    c.select_at(s.findings[2].start)  # the letter's cursor moved into finding 3
    assert c.current == 2 and view.updates[-1].follow is False
    version = c.version
    c.select_at(s.findings[2].start + 1)  # still in it: nothing to tell
    assert c.version == version


def test_a_decision_changes_one_row_flashes_and_goes_to_the_next_unreviewed(opened) -> None:
    c, view, s = opened()
    s.confirm(1)  # reviewed before: skipped
    c.set_category("development")
    assert s.findings[0].category == "development"
    assert c.current == 2
    last = view.updates[-1]
    assert last.findings and last.rows == (0,) and last.flashed
    assert c.header.flash == "3 · Area for development → next"
    assert c.header.reviewed == 2 and c.header.dirty
    c.end_flash()
    assert c.header.flash == "" and view.updates[-1].flashed is False


def test_the_advance_setting_off_keeps_the_finding(opened) -> None:
    c, _, s = opened(advance=False)
    c.set_category("development")
    assert c.current == 0 and c.header.flash == "3 · Area for development"


def test_the_last_decision_says_everything_is_reviewed(opened) -> None:
    c, view, s = opened()
    for _ in range(len(s.findings)):
        c.confirm()
    assert s.reviewed_count == len(s.findings)
    assert c.header.flash == "space · Confirmed · all reviewed"
    assert "press c to mark the review complete" in view.messages()[-1]


def test_undo_goes_back_to_the_finding_it_changed(opened) -> None:
    c, _, s = opened()
    before = s.findings[4]
    c.select(4)
    c.set_category("development")
    assert c.current == 5
    c.undo()
    assert c.current == 4 and s.findings[4] == before
    assert c.header.flash == "Undone: category Area for development"
    c.undo()
    c.undo()  # nothing left
    assert c.header.flash == "Undone: category Area for development"


def test_search_goes_on_from_the_last_hit_and_wraps(opened) -> None:
    c, view, s = opened()
    query = Query("child")
    here = c.search_from(query, in_table=True, letter_cursor=0)
    assert here == (s.findings[0].start, -1)
    first = c.next_hit(query, here)
    assert first is not None
    c.went_to(query, first)
    assert c.search_at == first.start
    assert c.search_from(query, in_table=True, letter_cursor=0) == first.key
    if first.finding is not None:
        assert c.current == first.finding
    # step back from the first hit of the letter: wraps round to the last
    start = c.next_hit(query, (-1, -1), step=-1)
    assert start is not None and "Search wrapped to the end: child" in view.messages()
    assert c.next_hit(Query("no such words anywhere"), (0, 0)) is None
    assert view.messages("warning")[-1] == "Not found: no such words anywhere"


def test_a_read_only_review_saves_only_a_copy(opened, letter: Path) -> None:
    owner = ReviewSession.open(letter)
    owner.set_category(0, "development")
    owner.save()
    try:
        c, view, s = opened(read_only=True)
        assert c.save() is False
        assert view.messages("warning")[-1].startswith("This review is read-only")
        assert c.save_as(str(s.review_path)) is False  # not over the one it came from
        assert "open in another reviewer" in view.messages("error")[-1]
        copy = Path(c.copy_name)
        assert copy.name == letter.stem + ".review.copy.toml"
        assert c.save_as(copy.name) is True  # relative to the review's folder
        assert copy.exists() and s.review_path == copy and not s.read_only
        assert view.messages()[-1] == f"Saved {copy.name}"
        assert c.header.read_only is False
    finally:
        owner.close()


def test_queue_progress_is_recorded_by_the_controller(opened, tmp_path: Path, letter) -> None:
    other = tmp_path / MIDDLESBROUGH
    shutil.copyfile(SAMPLES / MIDDLESBROUGH, other)
    queue = LetterQueue.from_paths([tmp_path])
    queue.index = [i.letter for i in queue.items].index(letter)
    c, _, s = opened(queue=queue)
    assert c.header.queue is not None and c.header.queue.letters == 2
    assert c.header.queue.reviewed == 0
    c.confirm()
    c.confirm()
    assert queue.current.reviewed == 2 and queue.current.status == "in_progress"
    assert c.header.queue.reviewed == 2 and c.header.queue.position == queue.index + 1


def test_the_themes_dialog_is_one_undo_step(opened) -> None:
    c, _, s = opened()
    before = s.findings[0].themes
    assert before  # the machine gave it some: one is taken away, two added
    order = ["early_help", "supervision", "recording", "timeliness", "workforce"]
    new = [t for t in ("recording", "early_help", "workforce") if t not in before][:2]
    c.set_themes([*before[1:], *new], order)
    assert s.findings[0].themes == (*before[1:], *sorted(new, key=order.index))
    assert s.undo_label == "themes"
    c.undo()
    assert s.findings[0].themes == before
    assert not s.can_undo  # one step took all of it back


def test_a_document_of_no_family_is_said_on_the_header(opened, tmp_path: Path) -> None:
    odd = tmp_path / "minutes.txt"
    odd.write_text("Minutes of the parish council.\n\nThe hall roof was discussed.\n")
    c, _, _ = opened(odd)
    assert c.family_note and c.header.warning == c.family_note
    assert (c.family_note, "warning") in c.open_messages()


def test_read_only_state_refuses_changes(opened, letter: Path) -> None:
    c, view, s = opened(read_only=True)
    assert c.allowed("category", editing=True) is False
    assert c.allowed("next_finding", editing=False) is True
    assert c.allowed("take_over_lock", editing=False) is False  # --read-only: nobody's lock
    assert c.header.read_only


def test_structural_actions_keep_the_current_finding_inside(opened) -> None:
    """Delete, split and merge act on the current finding and leave one current."""
    c, view, s = opened()
    n = len(s.findings)
    c.select(n - 1)
    c.delete()
    assert len(s.findings) == n - 1 and c.current == n - 2
    assert view.updates[-1].findings and view.updates[-1].rows is None  # rows went
    c.select(0)
    f = s.findings[0]
    at = s.text.index(" ", f.start + (f.end - f.start) // 2) + 1
    c.split(at)
    assert len(s.findings) == n and s.findings[0].end <= at <= s.findings[1].start
    c.split(s.findings[0].start)  # not inside: the session chooses (or says it cannot)
    c.undo()
    assert len(s.findings) == n
    c.merge()
    assert len(s.findings) == n - 1 and c.current == 0


def test_a_merge_across_a_heading_asks_first(opened) -> None:
    c, _, s = opened()
    i = next(k for k in range(len(s.findings) - 1) if s.heading_between(k))
    c.select(i)
    assert c.merge_heading() == s.heading_between(i)
    n = len(s.findings)
    c.merge(across_heading=True)
    assert len(s.findings) == n - 1 and c.current == i
    c.select(len(s.findings) - 1)
    assert c.merge_heading() == ""  # no next finding


def test_add_and_promote_say_why_not_before_any_question(opened) -> None:
    c, view, s = opened()
    assert not c.can_add(None) and "Select the text" in view.messages("warning")[-1]
    f = s.findings[0]
    assert not c.can_add((f.start, f.end)) and "overlaps" in view.messages("warning")[-1]
    assert not c.can_promote(f.start)  # already a finding
    para = next(seg for seg in s.segments if seg.kind == "paragraph")
    assert c.can_promote(para.start)
    n = len(s.findings)
    c.new_finding("promoted", "promote", para.start, category="development")
    assert len(s.findings) == n + 1 and s.findings[c.current].category == "development"
    assert view.messages()[-1] == f"Finding {c.current + 1} promoted: Area for development"


def test_edges_move_flash_and_say_where_to_show(opened) -> None:
    c, view, s = opened()
    f = s.findings[0]
    at = c.move_edge("end", "word", -1)
    g = s.findings[0]
    assert g.end < f.end and at == g.end - 1
    assert view.updates[-1].flashed and c.flash.lower().startswith("end")
    c.rebound(None)
    assert "Select the finding's new extent" in view.messages("warning")[-1]
    c.rebound((f.start, f.end))
    assert (s.findings[0].start, s.findings[0].end) == (f.start, f.end)


def test_the_words_of_a_finding_and_the_letter_note(opened) -> None:
    c, view, s = opened()
    c.edit("set_note", "a reviewer's note")
    assert s.findings[0].note == "a reviewer's note"
    assert view.updates[-1].rows == (0,)  # one row to draw again
    c.set_letter_note("about the whole letter")
    assert s.review.note == "about the whole letter" and view.messages()[-1] == "Letter note set"
    said = len(view.said)
    c.set_letter_note("about the whole letter")  # unchanged: nothing made, nothing said
    assert len(view.said) == said
    c.set_letter_note("")
    assert s.review.note == "" and view.messages()[-1] == "Letter note removed"
