"""Segmenting: text in, a `Document` (metadata, segments, findings) out; pure, no I/O.

One engine (`engine.py`) reads every family in the same stages, with the readers its
scheme file names (`schemes/*.toml`: categories, heading cues, how a family is
recognised, its readers and metadata fields), and the topic taxonomy (`topics.toml`).
Imports only `reviewer.model`, `reviewer.errors` and itself: never the review file,
many-review commands or the UI.
"""
