"""The licences an author may choose for a resource (resources/data/licences.yaml)."""

import functools
from dataclasses import dataclass
from pathlib import Path

import yaml

DATA_FILE = Path(__file__).resolve().parent / "data" / "licences.yaml"


@dataclass(frozen=True)
class Licence:
    code: str
    label: str
    url: str


@functools.cache
def licences() -> tuple[Licence, ...]:
    with DATA_FILE.open(encoding="utf-8") as handle:
        rows = yaml.safe_load(handle)
    return tuple(Licence(row["code"], row["label"], row.get("url") or "") for row in rows)


def choices() -> list[tuple[str, str]]:
    """(code, label) for the model field and the form: a callable, so that a new licence in
    the data file needs no migration."""
    return [(licence.code, licence.label) for licence in licences()]


def default() -> str:
    return licences()[0].code


def get(code: str) -> Licence | None:
    return next((licence for licence in licences() if licence.code == code), None)
