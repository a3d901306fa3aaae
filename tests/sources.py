"""The report of the national day of 19 September 2014 (the portal's seed document), as text,
for the tests that check the seeded facts against it."""

import re
import unicodedata
from functools import cache
from pathlib import Path

REPORT_2014 = Path(__file__).resolve().parent / "data" / "rapport-journee-nationale-2014.txt"


def normalise(text: str) -> str:
    """Compare texts as a reader would: typographic apostrophes and dashes, line breaks,
    hyphenation at the end of a printed line and spacing do not count."""
    text = unicodedata.normalize("NFC", text)
    text = text.replace("’", "'").replace("–", "-").replace("\u00a0", " ")
    text = re.sub(r"-\s*\n\s*", "-", text)
    return re.sub(r"\s+", " ", text).strip()


@cache
def report_2014() -> str:
    """The whole report, normalised."""
    return normalise(REPORT_2014.read_text(encoding="utf-8"))


def in_report(text: str) -> bool:
    return normalise(text) in report_2014()
