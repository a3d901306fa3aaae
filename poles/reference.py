"""Reference data shipped in poles/data/: regions, departments, themes, the 40 signatories
of 19 September 2014 and the national calls for projects."""

import csv
from functools import cache
from pathlib import Path

import yaml

DATA_DIR = Path(__file__).resolve().parent / "data"


def _read_csv(name: str) -> list[dict]:
    with (DATA_DIR / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter=";"))


def _read_yaml(name: str):
    with (DATA_DIR / name).open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


@cache
def regions() -> list[dict]:
    return _read_csv("regions.csv")


@cache
def departments() -> list[dict]:
    rows = _read_csv("departments.csv")
    for row in rows:
        row["latitude"] = float(row["latitude"])
        row["longitude"] = float(row["longitude"])
    return rows


@cache
def themes() -> list[dict]:
    return _read_yaml("themes.yaml")


@cache
def signatory_poles() -> list[dict]:
    return _read_yaml("poles.yaml")


@cache
def calls_for_projects() -> list[dict]:
    return _read_yaml("calls.yaml")


@cache
def sources() -> dict:
    """sources.yaml: the documents, the facts annex 3 gives every signatory, the point rules."""
    return _read_yaml("sources.yaml")
