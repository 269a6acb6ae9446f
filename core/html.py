"""Escaping for markup built in Python rather than by the template engine (the table tags, the charts)."""

from html import escape as _escape


def escape(text):
    """`html.escape(text)`, quotes and all; the text itself when it has nothing to escape, as most of a table's
    cells have not (five replaces a cell were a twentieth of a dashboard page of 100 rows)."""
    if "&" in text or "<" in text or ">" in text or '"' in text or "'" in text:
        return _escape(text)
    return text
