"""The settings file: read and checked in one place, used by the app and the command line."""

from __future__ import annotations

import tomllib

import pytest

from reviewer import cli
from reviewer.review.session import ReviewSession
from reviewer.settings import (
    Settings,
    SettingsError,
    load_or_defaults,
    load_settings,
    remember,
    settings_path,
)
from reviewer.tui.app import ReviewApp


def write(text: str):
    path = settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_no_file_is_the_defaults():
    assert not settings_path().exists()
    s = load_settings()
    assert s == Settings() and s.advance and s.save_on_move and s.keymap == "default"


def test_the_file_is_under_xdg_config_home(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "elsewhere"))
    assert settings_path() == tmp_path / "elsewhere" / "reviewer" / "config.toml"


def test_every_setting_is_read():
    write(
        '\ufeffreviewer = " Ann Smith "\ntheme = "nord"\nadvance = false\n'
        'save_on_move = false\nkeymap = "vim"\n'
    )
    s = load_settings()
    assert s == Settings("Ann Smith", "nord", False, False, "vim")
    assert s.reviewer_name == "Ann Smith"


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("advance = 1\n", ["'advance'", "true or false"]),
        ("advnce = true\n", ["unknown setting 'advnce'", "known:"]),
        ('reviewer = ["a"]\n', ["'reviewer'", "a name in quotes"]),
        ('keymap = "a\\nb"\n', ["'keymap'"]),
        ("advance = [true\n", ["not valid TOML"]),
    ],
)
def test_a_bad_setting_is_one_line_naming_the_file_and_key(text, names):
    path = write(text)
    with pytest.raises(SettingsError) as caught:
        load_settings()
    message = str(caught.value)
    assert "\n" not in message and message.startswith(str(path))  # not under home here
    for name in names:
        assert name in message
    settings, problem = load_or_defaults()
    assert settings == Settings() and "using the default settings" in problem
    assert path.read_text(encoding="utf-8") == text  # never rewritten behind the person's back


def test_under_the_home_folder_the_path_is_shown_with_a_tilde(tmp_path, monkeypatch):
    monkeypatch.delenv("XDG_CONFIG_HOME")
    monkeypatch.setenv("HOME", str(tmp_path))
    write("advance = 2\n")
    with pytest.raises(SettingsError) as caught:
        load_settings()
    assert str(caught.value).startswith("~/.config/reviewer/config.toml: 'advance'")


def test_remember_keeps_the_other_settings():
    path = write('reviewer = "Ann"\nadvance = false\n')
    remember("theme", "dracula")
    assert tomllib.loads(path.read_text("utf-8")) == {
        "reviewer": "Ann",
        "advance": False,
        "theme": "dracula",
    }


def test_new_reviews_carry_the_reviewer_name(letter):
    write('reviewer = "Ann Smith"\n')
    s = ReviewSession.open(letter)
    try:
        assert s.review.reviewer == "Ann Smith"
    finally:
        s.close()


async def test_the_app_says_what_is_wrong_and_runs_on_the_defaults(letter):
    write("advance = 'yes'\n")
    session = ReviewSession.open(letter)
    app = ReviewApp(session, "default", user_keymap=False)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            assert app.settings == Settings()
            problem = [m for m in app.said if "config.toml" in m]
            assert problem and "'advance' must be true or false" in problem[0]
            await pilot.press("3")
            assert app.current == 1  # the default: decide and advance
    finally:
        session.close()


async def test_advance_false_in_the_file_stays(letter):
    write("advance = false\n")
    session = ReviewSession.open(letter)
    app = ReviewApp(session, "default", user_keymap=False)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            await pilot.press("3")
            assert app.current == 0
    finally:
        session.close()


def test_the_command_line_opens_with_the_settings_keymap(letter, monkeypatch):
    write('keymap = "vim"\n')
    ran = []
    monkeypatch.setattr(ReviewApp, "run", lambda self: ran.append(self))
    assert cli.main(["open", str(letter)]) == 0
    app = ran[0]
    try:
        assert app.keymap_name == "vim" and app.keymap["finding.edit"] == "i"
    finally:
        app.session.close()


def test_a_keymap_the_settings_name_that_does_not_exist_is_one_error(letter, capsys):
    write('keymap = "emacs"\n')
    assert cli.main(["open", str(letter)]) == 2
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and "config.toml: 'keymap'" in err and "emacs" in err


def test_keymap_on_the_command_line_wins_over_the_settings(letter, monkeypatch):
    write('keymap = "emacs"\n')
    ran = []
    monkeypatch.setattr(ReviewApp, "run", lambda self: ran.append(self))
    assert cli.main(["open", str(letter), "--keymap", "default"]) == 0
    ran[0].session.close()
