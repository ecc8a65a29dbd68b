"""Many reviews at once: loading folders of review files (one review per document),
`segment --out-dir`, `export`, `stats` and its pages of charts, a council beside its
statistical neighbours, `history`, `agree` and `validate`. A review's council and date are
`reviewer.review.council`'s.

Built on `reviewer.review`, `reviewer.segment` and `reviewer.sources`; never imports the UI.
"""
