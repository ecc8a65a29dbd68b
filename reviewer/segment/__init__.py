"""Segmenting: text in, a `Document` (metadata, segments, findings) out.

One engine (`engine.py`) reads every family in the same stages, with the readers its
scheme file names (`schemes/*.toml`: categories, heading cues, how a family is
recognised, its readers and metadata fields), and the topic taxonomy (`topics.toml`).
Segmenting a text does no I/O; the only files read are those it is driven by: the scheme
files, the taxonomy and the council register (`authorities.csv`), bundled or named by the
user. Imports only `reviewer.model`, `reviewer.errors`, `reviewer.tomlfile`,
`reviewer.dates` (the one month list and date parser) and itself: never the review file,
many-review commands or the UI.
"""
