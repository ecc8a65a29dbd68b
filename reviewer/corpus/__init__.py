"""Many reviews at once: loading folders of review files, `segment --out-dir`, `export`,
`stats`, `agree` and `validate`.

Built on `reviewer.review`, `reviewer.segment` and `reviewer.sources`; never imports the UI.
"""
