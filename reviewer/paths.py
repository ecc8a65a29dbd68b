"""The one folder of the reviewer's own files, and each file in it: the settings
(`config.toml`) and the user's keymap (`keymap.toml`).

`$XDG_CONFIG_HOME/reviewer` wherever that is set; otherwise `%APPDATA%\\reviewer` on
Windows, `~/Library/Application Support/reviewer` on macOS and `~/.config/reviewer`
elsewhere. Every part of the program asks here, so the files never end up in two folders.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

SETTINGS_FILE = "config.toml"
KEYMAP_FILE = "keymap.toml"


def config_dir() -> Path:
    """Where the reviewer's own files live (see the module's docstring)."""
    xdg = os.environ.get("XDG_CONFIG_HOME")
    if xdg:
        return Path(xdg) / "reviewer"
    if sys.platform == "win32" and os.environ.get("APPDATA"):
        return Path(os.environ["APPDATA"]) / "reviewer"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support" / "reviewer"
    return Path.home() / ".config" / "reviewer"


def settings_path() -> Path:
    """The settings file."""
    return config_dir() / SETTINGS_FILE


def user_keymap_path() -> Path:
    """The user's own keymap, applied over the chosen one."""
    return config_dir() / KEYMAP_FILE
