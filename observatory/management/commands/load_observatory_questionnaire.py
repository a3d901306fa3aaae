"""Load a version of the observatory's questionnaire from a YAML file (see
observatory/data/questionnaire-2025.yaml); without a file, the one in observatory/data/."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from observatory import services
from observatory.questionnaire import CURRENT_FILE, QuestionnaireFileError, parse_questionnaire


class Command(BaseCommand):
    help = "Charge une version du questionnaire de l'observatoire (YAML)."

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", default=str(CURRENT_FILE))

    def handle(self, *args, file, **options):
        try:
            parsed = parse_questionnaire(Path(file).read_bytes())
        except OSError as exc:
            raise CommandError(f"{file} : {exc.strerror}") from exc
        except QuestionnaireFileError as exc:
            raise CommandError("\n".join(exc.errors)) from exc
        version = services.questionnaire_load(parsed=parsed)
        self.stdout.write(f"observatory: « {version.title} » ({version.code}) publiée")
