"""Load the observatory's questionnaire and publish it (idempotent). No campaign: staff
create and open one."""

from . import services
from .questionnaire import read_current


def run(*, stdout=None) -> None:
    version = services.questionnaire_load(parsed=read_current())
    if stdout is not None:
        stdout.write(f"observatory: questionnaire « {version.title} » ({version.code}) publié")
