"""Many reviews at once: loading folders of review files (one review per document),
`segment --out-dir`, the council and date of a review (`council`), `export`, `stats` and
its pages of charts, a council beside its statistical neighbours, `history`, `agree` and
`validate`.

Built on `reviewer.review`, `reviewer.segment` and `reviewer.sources`; never imports the UI.
"""
