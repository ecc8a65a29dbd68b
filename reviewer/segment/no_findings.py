"""Why a report has no findings, in words a reviewer can act on.

An outstanding report has no list of what to improve: that is the report's own answer,
not a failure to read it. The report's lists, metadata and grades are read by the engine's
stages, its `[[metadata]]` fields and the grade reader, as its scheme says.
"""

from __future__ import annotations

import re

from reviewer.model import Document
from reviewer.segment.lines import split_lines
from reviewer.segment.scheme import Scheme, load_scheme
from reviewer.segment.spec import heading_key

_CONTENTS_LINE = re.compile(r"\S\s+\d{1,3}\s*$")


def no_findings_reason(doc: Document, scheme: Scheme | None = None) -> str:
    """Why a report has no findings, for the reviewer to show (empty when it has some).

    An outstanding report has no list of what to improve: that is the report's own
    answer, not a failure to read it. The list headings are its scheme's
    `segment.headings` (a line opening with one, not a contents-page line); without
    `scheme`, the bundled scheme the document names.
    """
    if doc.findings:
        return ""
    spec = (scheme or load_scheme(doc.scheme)).segment
    names = list(spec.headings or {}) if spec is not None else []
    heads = [
        ln.stripped
        for ln in split_lines(doc.text)
        if ln.stripped
        and not _CONTENTS_LINE.search(ln.stripped)
        and any(heading_key(ln.stripped).startswith(name) for name in names)
    ]
    if not heads:
        first = names[0][:1].upper() + names[0][1:] if names else "a list of findings"
        return f"has no '{first}' list (an outstanding report?), so no findings; add any by hand"
    return f"has a list under '{heads[0]}' with no items that could be read: add them by hand"
