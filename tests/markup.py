"""Helpers for tests that look for a piece of markup in a page."""

import re


def compact(html: str) -> str:
    """The page with the template's layout whitespace removed: no whitespace between tags,
    runs of whitespace as one space. What is asserted does not depend on line breaks."""
    return re.sub(r">\s+<", "><", re.sub(r"\s+", " ", html))
