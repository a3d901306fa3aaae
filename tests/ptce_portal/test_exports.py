import csv
import io
from decimal import Decimal

import pytest

from ptce_portal.exports import content_disposition, csv_cell, csv_cell_restore, csv_response


@pytest.mark.parametrize(
    "value",
    ['=HYPERLINK("http://x")', "+33 1 23", "-1+2", "@SUM(A1)", "\tcmd", "\rcmd"],
)
def test_text_that_starts_like_a_formula_is_neutralised_and_restored(value):
    cell = csv_cell(value)
    assert cell == "'" + value
    assert csv_cell_restore(cell) == value


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, ""),
        ("Réseau « Été », Sud", "Réseau « Été », Sud"),
        ("'déjà cité", "'déjà cité"),
        (12, "12"),
        (-1.553, "-1,553"),
        (47.2, "47,2"),
        (2.0, "2"),
        (48.1172661234, "48,117266"),
        (Decimal("-0.5"), "-0,5"),
        (True, "True"),
    ],
)
def test_cells(value, expected):
    assert csv_cell(value) == expected


def test_restore_leaves_ordinary_apostrophes():
    assert csv_cell_restore("'déjà cité") == "'déjà cité"
    assert csv_cell_restore("l'atelier") == "l'atelier"


def test_csv_response_opens_in_a_french_spreadsheet():
    response = csv_response(
        "liste.csv",
        ["nom", "latitude"],
        [["=1+1", 47.22], ["Pôle ; « Sud »", -1.55]],
    )
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="liste.csv"'
    raw = response.content
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert rows == [["nom", "latitude"], ["'=1+1", "47,22"], ["Pôle ; « Sud »", "-1,55"]]
    assert raw.count(b"\r\n") == 3


def test_content_disposition_is_safe_for_any_filename():
    assert content_disposition("actes.pdf", inline=True) == 'inline; filename="actes.pdf"'
    assert content_disposition('a"b\\c.pdf') == 'attachment; filename="a\\"b\\\\c.pdf"'
    header = content_disposition("charte-pôle\r\nX-Evil: 1.pdf")
    assert header.startswith("attachment; filename*=utf-8''charte-p%C3%B4le%0D%0AX-Evil")
    assert "\n" not in header and "\r" not in header
