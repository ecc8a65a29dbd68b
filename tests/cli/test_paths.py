"""The reviewer's own files (settings, the user's keymap) live in one folder on every
platform: XDG where it is set, else the platform's place."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from reviewer.settings import settings_path
from reviewer.tui.keymap import user_keymap_path


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("USERPROFILE", str(tmp_path))
    return tmp_path


def test_on_macos_keymap_and_settings_are_in_application_support(home, monkeypatch):
    monkeypatch.setattr(sys, "platform", "darwin")
    folder = home / "Library" / "Application Support" / "reviewer"
    assert settings_path() == folder / "config.toml"
    assert user_keymap_path() == folder / "keymap.toml"


def test_on_windows_keymap_and_settings_are_in_appdata(home, monkeypatch):
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setenv("APPDATA", str(home / "AppData" / "Roaming"))
    folder = home / "AppData" / "Roaming" / "reviewer"
    assert settings_path() == folder / "config.toml"
    assert user_keymap_path() == folder / "keymap.toml"


def test_on_linux_they_are_in_dot_config_and_xdg_wins_everywhere(home, monkeypatch):
    monkeypatch.setattr(sys, "platform", "linux")
    assert settings_path().parent == user_keymap_path().parent == home / ".config" / "reviewer"
    monkeypatch.setattr(sys, "platform", "darwin")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "xdg"))
    assert settings_path().parent == user_keymap_path().parent == home / "xdg" / "reviewer"
