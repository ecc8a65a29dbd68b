"""What the engine's readers see of the document they read: the `Reading` protocol.

The envelope, list and grade readers are given the engine's reading of one document:
its text and lines, the lines that are page furniture, the words of the other lines
(`flat`), the segments, findings and metadata found so far, and `emit` to add a finding.
Typed here so that the readers need not import the engine that runs them.
"""

from __future__ import annotations

from typing import Protocol

from reviewer.model import Finding, Segment
from reviewer.segment.lines import Line
from reviewer.segment.scheme import Scheme


class Reading(Protocol):
    text: str
    scheme: Scheme
    lines: list[Line]
    noise: set[int]
    segments: list[Segment]
    findings: list[Finding]
    metadata: dict

    def flat(self) -> str:
        """The words of the lines that are not page furniture, one space between (made
        once a document)."""
        ...

    def emit(
        self,
        pieces: list[tuple[int, int]],
        category: str,
        section: str,
        score: float,
        *,
        text: str | None = None,
        across: bool = False,
        prose: bool = False,
        responsible: str = "",
    ) -> None: ...
