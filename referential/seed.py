"""Load the working version of the referential and publish it (idempotent)."""

from pathlib import Path

from .importer import parse_referential
from .services import version_sync

WORKING_VERSION = Path(__file__).parent / "data" / "working_version.yaml"


def load_working_version():
    parsed = parse_referential(WORKING_VERSION.read_bytes(), filename=WORKING_VERSION.name)
    return version_sync(parsed=parsed)


def run(*, stdout=None) -> None:
    version = load_working_version()
    if stdout is not None:
        stdout.write(f"referential: « {version.title} » ({version.code}) publiée")
