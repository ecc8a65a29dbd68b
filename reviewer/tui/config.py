"""The reviewer's own settings file, `$XDG_CONFIG_HOME/reviewer/config.toml`: what the
app remembers between runs (the colour theme chosen in the palette)."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any

import tomli_w

CONFIG = "config.toml"


def config_path() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "reviewer" / CONFIG


def load() -> dict[str, Any]:
    """The settings; a missing or unreadable file is no settings (the app still opens)."""
    try:
        return tomllib.loads(config_path().read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return {}


def load_theme() -> str:
    theme = load().get("theme")
    return theme if isinstance(theme, str) else ""


def save_theme(theme: str) -> None:
    """Remember the theme, keeping every other setting; raises OSError when it cannot."""
    path = config_path()
    settings: dict[str, Any] = {}
    if path.exists():
        try:
            settings = tomllib.loads(path.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, tomllib.TOMLDecodeError):
            raise OSError(f"{path} is not valid TOML; left as it is") from None
    settings["theme"] = theme
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(tomli_w.dumps(settings), encoding="utf-8")
    tmp.replace(path)
