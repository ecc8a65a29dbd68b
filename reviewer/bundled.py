"""Files shipped with the program, found the same way in a wheel and in a checkout.

The top-level `keymaps/` and `sample_letters/` folders are the only copies: the wheel
installs them as `reviewer/keymaps` and `reviewer/samples` (see pyproject.toml), and a
checkout is used in place.
"""

from __future__ import annotations

from pathlib import Path

_HERE = Path(__file__).resolve().parent
_FOLDERS = {"keymaps": ("keymaps", "keymaps"), "samples": ("samples", "sample_letters")}

SAMPLE_LETTER = "hartlepool_2011-03_ucra.txt"


def bundled_dir(name: str) -> Path:
    """The folder of bundled `keymaps` or `samples`, installed or in the checkout."""
    installed, checkout = _FOLDERS[name]
    for candidate in (_HERE / installed, _HERE.parent / checkout):
        if candidate.is_dir():
            return candidate
    return _HERE / installed


def sample_letter() -> Path:
    """The real letter `reviewer open` shows when given none."""
    return bundled_dir("samples") / SAMPLE_LETTER
