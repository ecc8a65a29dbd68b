"""What `reviewer fetch` takes of a family from Ofsted's reports site: a scheme's `[fetch]`.

```toml
[fetch]
family = "focused_visit"                          # the word in the saved files' names
labels = ["Children's services focused visit"]    # the site's labels of its documents
```

A label is the kind of document the site's link names, without ", PDF" and the date
("Children's services focused visit, PDF - 3 April 2018"); case, curly apostrophes and
spacing do not matter. A scheme without `[fetch]` is a family the site is not asked for.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

_FAMILY = re.compile(r"^[a-z][a-z0-9_]*$")
_KEYS = ("family", "labels")


class FetchTableError(ValueError):
    """A `[fetch]` table that cannot be used, or two schemes that claim one label."""


@dataclass(frozen=True, slots=True)
class FetchSpec:
    family: str  # the word of the saved files' names: "focused_visit"
    labels: tuple[str, ...]  # the site's labels, folded (see `fold_label`)


class HasFetch(Protocol):
    @property
    def source(self) -> str: ...
    @property
    def fetch(self) -> FetchSpec | None: ...


def fold_label(text: str) -> str:
    """One spelling of a label: lower case, straight apostrophes, single spaces."""
    return " ".join(text.lower().replace("\u2019", "'").replace("\u2018", "'").split())


def parse_fetch(data: dict, source: str) -> FetchSpec | None:
    """The scheme file's `[fetch]` table, or None when it has none; FetchTableError names
    the key that is wrong."""
    table = data.get("fetch")
    if table is None:
        return None
    if not isinstance(table, dict):
        raise FetchTableError(f"{source}: 'fetch' must be a table ([fetch] with family, labels)")
    unknown = [k for k in table if k not in _KEYS]
    if unknown:
        raise FetchTableError(
            f"{source}: [fetch]: unknown key '{unknown[0]}'; use {' and '.join(_KEYS)}"
        )
    family = table.get("family")
    if not isinstance(family, str) or not _FAMILY.match(family):
        raise FetchTableError(
            f"{source}: [fetch]: 'family' must be the word of the saved files' names, in "
            'lower-case letters, digits and _ (e.g. "focused_visit")'
        )
    labels = table.get("labels")
    if not isinstance(labels, list) or not all(isinstance(x, str) and x.strip() for x in labels):
        raise FetchTableError(
            f"{source}: [fetch]: 'labels' must be a list of the site's labels of the "
            "family's documents (may be empty)"
        )
    return FetchSpec(family, tuple(dict.fromkeys(fold_label(x) for x in labels)))


def site_families(schemes: Iterable[HasFetch]) -> dict[str, tuple[str, ...]]:
    """Each family the schemes' `[fetch]` tables name, with its labels, in the schemes'
    order; FetchTableError when two schemes name one family or claim one label."""
    families: dict[str, tuple[str, ...]] = {}
    family_from: dict[str, str] = {}
    label_from: dict[str, str] = {}
    for scheme in schemes:
        spec = scheme.fetch
        if spec is None:
            continue
        if spec.family in families:
            raise FetchTableError(
                f"family '{spec.family}' is named by the [fetch] tables of both "
                f"{family_from[spec.family]} and {scheme.source}; keep it in one"
            )
        for label in spec.labels:
            if label in label_from:
                raise FetchTableError(
                    f"the site's label '{label}' is claimed by the [fetch] tables of "
                    f"both {label_from[label]} and {scheme.source}; keep it in one"
                )
            label_from[label] = scheme.source
        families[spec.family] = spec.labels
        family_from[spec.family] = scheme.source
    return families
