"""The terminal UI: the Textual app, its screens and dialogs, widgets, keymaps and styles.

The only package that imports Textual. It drives a `reviewer.review` session and holds no
logic of its own about letters or review files.
"""
