"""Segmenting: text in, a `Document` (metadata, segments, findings) out; pure, no I/O.

Driven by scheme files (`schemes/*.toml`: categories, heading cues, how a family is
recognised) and the topic taxonomy (`topics.toml`). Imports only `reviewer.model`,
`reviewer.errors` and itself: never the review file, many-review commands or the UI.
"""
