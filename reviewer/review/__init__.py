"""One review: the annotation file, atomic storage and locks, re-anchoring, the session,
the council and date of a document (`council`), the details form's state and the queue.

A session ties a letter (`reviewer.sources`) to its segmentation (`reviewer.segment`) and
its review file, with undo and redo and the crash journal. The queue walks several letters.
Never imports the batch commands or the UI.
"""
