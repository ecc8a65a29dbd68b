"""The reviewer's settings, one file: `config.toml` in the folder `reviewer.paths` names
(`$XDG_CONFIG_HOME/reviewer`, else the platform's place).

Pure and small: every part of the program that behaves by a person's choice (their name
on new reviews, the colour theme, whether a category key moves on, whether leaving a
letter saves it, the keymap) reads it here. A file that cannot be used is one line
naming the file and the key; the program then runs on the defaults and never rewrites
the file behind the person's back.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, NamedTuple

from reviewer.errors import ReviewerError
from reviewer.paths import SETTINGS_FILE, config_dir, settings_path
from reviewer.tomlfile import TomlFileError, load_toml

CONFIG = SETTINGS_FILE

__all__ = [
    "CONFIG",
    "Settings",
    "SettingsError",
    "config_dir",
    "load_or_defaults",
    "load_settings",
    "remember",
    "settings_path",
]


class SettingsError(ReviewerError):
    """A settings file that cannot be used: one line naming the file and the key."""


def _user_name() -> str:
    try:
        import getpass

        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no user name is not an error worth stopping for
        return ""


class Settings(NamedTuple):
    """What a person may set; the defaults are what a new reviewer gets."""

    reviewer: str = ""  # the name written on new reviews; empty: the login name
    theme: str = ""  # a Textual theme name; empty: Textual's default
    advance: bool = True  # a category key sets the category and goes to the next finding
    save_on_move: bool = True  # leaving a letter (next, previous, quit) saves it
    keymap: str = "default"  # a bundled keymap name or a path to a keymap file

    @property
    def reviewer_name(self) -> str:
        return self.reviewer or _user_name()


# key -> (type, what a valid value is, for the message)
_KINDS: dict[str, tuple[type, str]] = {
    "reviewer": (str, "a name in quotes"),
    "theme": (str, "a theme name in quotes"),
    "advance": (bool, "true or false"),
    "save_on_move": (bool, "true or false"),
    "keymap": (str, "a keymap name or path in quotes"),
}


def shown(path: Path) -> str:
    """A path as a person knows it: under the home folder, starting with ~."""
    try:
        return str(Path("~") / path.relative_to(Path.home()))
    except ValueError:
        return str(path)


def from_table(data: dict[str, Any], source: str) -> Settings:
    """Settings from a parsed file; raises SettingsError naming `source` and the key."""
    values: dict[str, Any] = {}
    for key, value in data.items():
        kind = _KINDS.get(key)
        if kind is None:
            known = ", ".join(_KINDS)
            raise SettingsError(f"{source}: unknown setting '{key}' (known: {known})")
        wanted, what = kind
        if not isinstance(value, wanted) or (isinstance(value, str) and "\n" in value):
            raise SettingsError(f"{source}: '{key}' must be {what}, not {value!r}")
        values[key] = value.strip() if isinstance(value, str) else value
    return Settings(**values)


def load_settings(path: Path | None = None) -> Settings:
    """The settings file's settings; no file is the defaults. Raises SettingsError."""
    p = path or settings_path()
    if not p.exists():
        return Settings()
    try:
        data = load_toml(p)
    except TomlFileError as err:
        raise SettingsError(str(err).replace(str(p), shown(p), 1)) from None
    return from_table(data, shown(p))


def load_or_defaults(path: Path | None = None) -> tuple[Settings, str]:
    """The settings, or the defaults and the one line that says why the file was not used."""
    try:
        return load_settings(path), ""
    except SettingsError as err:
        return Settings(), f"{err}; using the default settings"


def remember(key: str, value: Any, path: Path | None = None) -> None:
    """Set one setting in the file, keeping every other line's setting as it is.

    Raises SettingsError when the file cannot be read (it is then left untouched) or
    written."""
    if key not in _KINDS:
        raise SettingsError(f"unknown setting '{key}'")
    p = path or settings_path()
    data: dict[str, Any] = {}
    if p.exists():
        try:
            data = load_toml(p)
        except TomlFileError as err:
            raise SettingsError(f"{err}; left as it is") from None
    data[key] = value
    try:
        p.parent.mkdir(parents=True, exist_ok=True)
        tmp = p.with_name(f".{p.name}.tmp")
        import tomli_w  # writing only: loaded at the first write

        tmp.write_text(tomli_w.dumps(data), encoding="utf-8")
        tmp.replace(p)
    except OSError as err:
        raise SettingsError(f"{p}: cannot write ({err.strerror or err})") from None
