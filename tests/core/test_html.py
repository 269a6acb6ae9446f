"""core.html.escape: the standard library's escape, the text itself when there is nothing to escape."""

import html

import pytest

from core.html import escape


@pytest.mark.parametrize(
    "text", ["", "September 2013", "27.0%", "£1,234.50", "a & b", "<b>", "x > y", 'say "no"', "it's", "&amp;", "<&>\"'"]
)
def test_escape_is_the_standard_library_s(text):
    assert escape(text) == html.escape(text, quote=True)


def test_a_text_with_nothing_to_escape_is_returned_as_it_is():
    text = "Trend over 12 months: 24.0% to 27.0%, better"
    assert escape(text) is text
