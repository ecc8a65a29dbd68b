"""One base for every error a user is shown, so callers catch one name.

Each error's message is one line that says what is wrong and what to do about it.
"""


class ReviewerError(Exception):
    """A user-facing error: bad input, a broken file, a refused operation."""
