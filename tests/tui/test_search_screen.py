"""The search screen: every hit listed as you type, the toggles, jumping, and f3 / shift+f3."""

from __future__ import annotations

from textual import events

from reviewer.review.search import LIMIT, find_hits
from reviewer.tui.screens.search import SearchScreen
from tests.waiting import started, wait_until

SIZE = (120, 40)


async def settle(app, pilot) -> None:
    """Wait until the search screen lists the hits of the query as it is now typed."""
    await wait_until(pilot, lambda: searched(app), "the hits of the query typed")


def searched(app) -> bool:
    """The search screen is up and shows the hits of its query and toggles as they are now."""
    screen = app.screen
    return isinstance(screen, SearchScreen) and screen.found.query == screen.query_now


def expected(app, query: str, **toggles):
    s = app.session
    return find_hits(s.display_text, s.findings, query, **toggles)


def title(screen: SearchScreen) -> str:
    return str(screen.hit_list.border_title)


def rows(screen: SearchScreen) -> list[str]:
    hits = screen.hit_list
    return [str(hits.get_option_at_index(i).prompt) for i in range(hits.option_count)]


async def test_typing_lists_every_hit_with_where_it_is(letter, make_app):
    app = make_app(letter)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pilot.press("slash", *"children")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, SearchScreen)
        want = expected(app, "children")
        assert screen.found.hits == want
        assert title(screen) == f"{len(want)} hits"
        lines = rows(screen)
        assert len(lines) == len(want)
        for line, hit in zip(lines, want, strict=True):
            where = line.split()[0]
            assert where == ("letter" if hit.finding is None else str(hit.finding + 1))
            assert "children" in line.lower()
        in_finding = next(h for h in want if h.finding is not None)
        label = app.scheme.label_of(app.session.findings[in_finding.finding].category)
        assert label[:10] in lines[want.index(in_finding)]
        await pilot.press("backspace", *"xyz")
        await settle(app, pilot)
        assert title(screen) == "no hits" and screen.hit_list.option_count == 0


async def test_the_match_is_highlighted_in_its_row(letter, make_app):
    app = make_app(letter)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pilot.press("slash", *"Freshford")
        await settle(app, pilot)
        prompt = app.screen.hit_list.get_option_at_index(0).prompt
        marked = [prompt.plain[s.start : s.end] for s in prompt.spans if "reverse" in str(s.style)]
        assert marked == ["Freshford"]


async def test_toggles_change_the_hits_and_show_their_state(letter, make_app):
    app = make_app(letter)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pilot.press("slash", *"Children")
        await settle(app, pilot)
        screen = app.screen
        toggles = screen.query_one("#search-toggles")
        assert len(screen.found.hits) == len(expected(app, "Children"))
        assert "case-sensitive: off" in str(toggles.render())
        await pilot.press("alt+c")
        await settle(app, pilot)
        exact = expected(app, "Children", case_sensitive=True)
        assert screen.found.hits == exact and len(exact) < len(expected(app, "Children"))
        assert "case-sensitive: on" in str(toggles.render())
        await pilot.press("alt+c")
        await settle(app, pilot)
        screen.input.value = r"child\w+"
        await settle(app, pilot)
        assert title(screen) == "no hits"  # literally, no such text
        await pilot.press("alt+r")
        await settle(app, pilot)
        assert "regex: on" in str(toggles.render())
        assert screen.found.hits == expected(app, r"child\w+", regex=True) != []
        screen.input.value = "(children"
        await settle(app, pilot)
        assert title(screen).startswith("Not a valid regex")
        await pilot.press("enter")
        assert app.screen is screen  # nothing to go to: still open
        assert any(m.startswith("Not a valid regex") for m in app.said)


async def test_up_down_move_in_the_list_while_typing(letter, make_app):
    app = make_app(letter)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pilot.press("slash", *"children")
        await settle(app, pilot)
        screen = app.screen
        first = screen.hit_list.highlighted
        await pilot.press("down", "down")
        assert screen.hit_list.highlighted == first + 2
        await pilot.press("up")
        assert screen.hit_list.highlighted == first + 1
        assert app.focused is screen.input
        await pilot.press("s")
        assert screen.input.value == "childrens"


async def test_enter_goes_to_the_highlighted_hit_in_a_finding(letter, make_app):
    app = make_app(letter)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pilot.press("slash", *"children")
        await settle(app, pilot)
        hits = app.screen.found.hits
        start = app.screen.hit_list.highlighted
        target = next(i for i, h in enumerate(hits) if i > start + 1 and h.finding is not None)
        for _ in range(target - start):
            await pilot.press("down")
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(app.screen, SearchScreen)
        hit = hits[target]
        assert app.current == hit.finding
        assert app.letter.selected_span == (hit.start, hit.end)
        assert app.last_search == "children"


async def test_enter_goes_to_a_place_in_the_letter_outside_findings(letter, make_app):
    app = make_app(letter)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pilot.press("slash", *"supervision")
        await settle(app, pilot)
        hits = app.screen.found.hits
        outside = next(i for i, h in enumerate(hits) if h.finding is None)
        app.screen.hit_list.highlighted = outside
        await pilot.press("enter")
        await pilot.pause()
        hit = hits[outside]
        assert app.focused is app.letter
        assert app.letter.selected_span == (hit.start, hit.end)
        assert app.session.display_text[hit.start : hit.end].lower() == "supervision"


async def test_a_matching_note_goes_to_its_finding(letter, make_app):
    app = make_app(letter)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pilot.press("j", "j", "n", *"zebra crossing", "enter")
        await pilot.press("g")
        await pilot.press("slash", *"zebra")
        await settle(app, pilot)
        assert rows(app.screen)[0].split()[:2] == ["3", "note"]
        await pilot.press("enter")
        await pilot.pause()
        assert app.current == 2


async def test_escape_closes_without_moving(letter, make_app):
    app = make_app(letter)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pilot.press("j")
        before = (app.current, app.letter.selection, app.focused)
        await pilot.press("slash", *"Freshford")
        await settle(app, pilot)
        await pilot.press("down", "escape")
        await pilot.pause()
        assert not isinstance(app.screen, SearchScreen)
        assert (app.current, app.letter.selection, app.focused) == before
        assert app.last_search == ""


async def test_the_toggles_are_kept_for_the_session(letter, make_app):
    app = make_app(letter)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pilot.press("slash", "alt+c", "alt+r", "escape")
        await pilot.pause()
        assert (app.search_case, app.search_regex) == (True, True)
        await pilot.press("slash")
        screen = app.screen
        assert (screen.case_sensitive, screen.regex) == (True, True)
        assert "case-sensitive: on" in str(screen.query_one("#search-toggles").render())


async def test_the_list_stops_at_the_limit(letter, make_app):
    app = make_app(letter)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pilot.press("slash", "alt+r", *r"\S")
        await settle(app, pilot)
        assert len(expected(app, r"\S", regex=True, limit=LIMIT + 1)) > LIMIT
        assert title(app.screen) == f"first {LIMIT} hits"
        assert app.screen.hit_list.option_count == LIMIT


async def test_f3_and_shift_f3_step_through_the_hits_and_wrap(letter, make_app):
    app = make_app(letter)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pilot.press("slash", *"supervision", "enter")
        await pilot.pause()
        hits = expected(app, "supervision")
        assert len(hits) == 3
        screen = app.review_screen
        at = [h.start for h in hits].index(screen.search_at)
        for step in range(1, 4):
            await pilot.press("f3")
            assert screen.search_at == hits[(at + step) % 3].start
        assert any("wrapped to the start" in m for m in app.said)
        assert not isinstance(app.screen, SearchScreen)
        await pilot.press("shift+f3")
        assert screen.search_at == hits[(at + 2) % 3].start
        await pilot.press("f2")  # for the terminals that cannot pass shift+f3 on
        assert screen.search_at == hits[(at + 1) % 3].start
        while screen.search_at != hits[0].start:
            await pilot.press("shift+f3")
        await pilot.press("shift+f3")
        assert screen.search_at == hits[-1].start
        assert any("wrapped to the end" in m for m in app.said)


async def test_f3_keeps_the_toggles_of_the_search(letter, make_app):
    app = make_app(letter)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pilot.press("slash", "alt+c", *"Children", "enter")
        await pilot.pause()
        exact = [h.start for h in expected(app, "Children", case_sensitive=True)]
        for _ in range(len(exact) + 1):
            await pilot.press("f3")
            assert app.review_screen.search_at in exact


async def test_vim_n_and_N(letter, make_app):
    app = make_app(letter, keymap="vim")
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pilot.press("slash", *"children", "enter")
        await pilot.pause()
        hits = [h.start for h in expected(app, "children")]
        screen = app.review_screen
        at = hits.index(screen.search_at)
        await pilot.press("n")
        assert screen.search_at == hits[at + 1]
        await pilot.press("N", "N")
        assert screen.search_at == hits[at - 1]
        assert app.session.review.note == ""  # N is not the letter note in vim


async def test_f3_with_no_search_yet_opens_the_screen(letter, make_app):
    app = make_app(letter)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pilot.press("shift+f3")
        assert isinstance(app.screen, SearchScreen)


async def test_alt_c_as_a_terminal_sends_it_toggles_and_types_nothing(letter, make_app):
    app = make_app(letter)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pilot.press("slash", *"Children")
        for key in ("alt+c", "alt+r"):
            app.post_message(events.Key(key, key[-1]))  # a terminal's alt+c carries "c"
            await pilot.pause()
        screen = app.screen
        assert screen.input.value == "Children"
        assert (screen.case_sensitive, screen.regex) == (True, True)
