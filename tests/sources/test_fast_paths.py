"""The sources' fast paths give what the plain code they stand for gives."""

from __future__ import annotations

import re

from hypothesis import example, given, settings
from hypothesis import strategies as st

from reviewer.sources.pdf import space_glued_numbers

_PLAIN_GLUED = re.compile(r"(?m)^([ \t]*\d{1,3}\.)(?=[^\W\d_])")

# Pages made of what the pattern looks at: digits (a few not ASCII), points, spaces and
# tabs, letters, line breaks of every kind, an underscore.
_PAGE_CHARS = st.sampled_from(list("0123456789..  \t\n\n\r\f\x0bab_éZ٣-") + ["\u2028"])


@settings(max_examples=500, deadline=None)
@given(st.text(_PAGE_CHARS, max_size=60))
@example("10.Children\n  2.Early help\n3. spaced\n1234.too long\n7.\n8._x")
@example("1.a")
@example("\n1.a")
def test_glued_numbers_are_spaced_as_the_plain_substitution_spaces_them(page: str) -> None:
    assert space_glued_numbers(page) == _PLAIN_GLUED.sub(r"\1 ", page)
