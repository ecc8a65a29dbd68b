"""Pilot tests of the engine-read families in the reviewer: the details form offers only
what the kind of document has, and a SEND finding's responsible body is shown."""

from __future__ import annotations

import dataclasses

import pytest

from tests.family_docs import FOCUSED_VISIT, JTAI, SEND
from tests.waiting import started

SIZE = (120, 40)


def write(tmp_path, name: str, text: str):
    folder = tmp_path / "docs"
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def fields(form) -> set[str]:
    return {(w.id or "").removeprefix("field-") for w in form.query("Input, Checkbox")}


@pytest.mark.parametrize(
    ("name", "text", "scheme", "own", "absent"),
    [
        (
            "westmoor_fv.txt",
            FOCUSED_VISIT,
            "ofsted_focused_visit",
            {"visit_focus", "recipient_name", "inspector_name"},
            {"recipients", "outcome", "copy_to", "legal_basis", "previous_inspection"},
        ),
        (
            "jtai.txt",
            JTAI,
            "ofsted_jtai",
            {"recipients"},
            {"visit_focus", "outcome", "recipient_role", "copy_to", "legal_basis"},
        ),
        (
            "send.txt",
            SEND,
            "ofsted_send_area",
            {"outcome", "inspector_name"},
            # a report: no letter's date, recipient or copy list
            {"visit_focus", "recipients", "recipient_name", "copy_to", "letter_date"},
        ),
    ],
    ids=["focused_visit", "jtai", "send_area"],
)
async def test_details_form_offers_a_familys_fields_and_no_letters_box(
    tmp_path, make_app, name, text, scheme, own, absent
):
    app = make_app(write(tmp_path, name, text))
    assert app.session.scheme.id == scheme
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pilot.press("M")
        await pilot.pause()
        shown = fields(app.screen)
        assert "no_priority_actions" not in shown  # the unannounced letters' statement only
        assert {"authority", "council", "inspection_dates"} <= shown
        assert own <= shown
        assert not (absent & shown)
        await pilot.press("ctrl+s")  # applying an untouched form changes nothing
        await pilot.pause()
        assert not app.session.dirty


async def test_an_unannounced_letter_keeps_its_box_and_fields(letter, make_app):
    app = make_app(letter)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pilot.press("M")
        await pilot.pause()
        shown = fields(app.screen)
        assert {"no_priority_actions", "copy_to", "legal_basis", "previous_inspection"} <= shown


async def test_a_send_findings_responsible_body_is_in_the_header(tmp_path, make_app):
    app = make_app(write(tmp_path, "send.txt", SEND))
    s = app.session
    body = s.findings[0].responsible
    assert body.startswith("Westmoor Borough Council")  # the report's "Responsible body"
    s.review.findings[1] = dataclasses.replace(s.findings[1], responsible="")
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        assert f"Finding 1 responsible: {body[:30]}" in str(app.header.render())
        await pilot.press("j")  # a finding without one: nothing said
        assert "responsible" not in str(app.header.render())
        await pilot.press("k")
        assert "Finding 1 responsible" in str(app.header.render())


async def test_r_corrects_a_send_findings_responsible_body(tmp_path, make_app):
    app = make_app(write(tmp_path, "send.txt", SEND))
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pilot.press("r")
        editor = app.screen.query_one("Input")
        assert editor.value.startswith("Westmoor Borough Council")
        await pilot.press("ctrl+u", *"NHS Westmoor ICB", "enter")
        await pilot.pause()
        assert app.session.findings[0].responsible == "NHS Westmoor ICB"
        assert "Finding 1 responsible: NHS Westmoor ICB" in str(app.header.render())
        await pilot.press("u")
        assert app.session.findings[0].responsible.startswith("Westmoor Borough Council")


async def test_r_on_a_family_without_responsible_bodies_says_so(letter, make_app):
    app = make_app(letter)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot)
        await pilot.press("r")
        await pilot.pause()
        assert not app.session.dirty
        assert any("no responsible body" in m for m in app.said)
