"""Downloads shared by the apps: CSV files that open as they are in a French spreadsheet,
and a safe `Content-Disposition` header for every file the portal hands out.

CSV: UTF-8 with a BOM (so Excel reads the accents), `;` separators, decimal commas, and no
text cell that a spreadsheet would run as a formula (CSV injection, OWASP).
"""

import csv
from collections.abc import Iterable
from decimal import Decimal

from django.http import HttpResponse
from django.utils.http import content_disposition_header

# A text cell starting with one of these is run as a formula by spreadsheets.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
NEUTRALISING_PREFIX = "'"


def content_disposition(filename: str, *, inline: bool = False) -> str:
    """`attachment; filename="…"` for a plain ASCII name, RFC 5987 `filename*=utf-8''…`
    otherwise (quotes, backslashes and control characters can never break the header)."""
    return content_disposition_header(not inline, filename)


def _number(value) -> str:
    if isinstance(value, int):
        return str(value)
    # At most six decimals (a metre or so for coordinates), with a decimal comma.
    return f"{value:.6f}".rstrip("0").rstrip(".").replace(".", ",")


def csv_cell(value) -> str:
    """One cell as text: None is empty, numbers get a decimal comma (and may be negative),
    text that starts like a formula is prefixed with an apostrophe."""
    if value is None:
        return ""
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return _number(value)
    text = str(value)
    if text.startswith(FORMULA_TRIGGERS):
        return NEUTRALISING_PREFIX + text
    return text


def csv_cell_restore(text: str) -> str:
    """The inverse of `csv_cell` for text, for importers that read our own exports back."""
    if text.startswith(NEUTRALISING_PREFIX) and text[1:].startswith(FORMULA_TRIGGERS):
        return text[1:]
    return text


def write_csv(out, header: Iterable, rows: Iterable[Iterable]) -> None:
    """Write the BOM, the header and the rows to a text file-like object."""
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([csv_cell(value) for value in header])
    for row in rows:
        writer.writerow([csv_cell(value) for value in row])


def csv_response(filename: str, header: Iterable, rows: Iterable[Iterable]) -> HttpResponse:
    """A CSV download (attachment) for a French spreadsheet."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition(filename)
    write_csv(response, header, rows)
    return response
