from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from referential.importer import ReferentialFileError, parse_referential
from referential.services import version_import


class Command(BaseCommand):
    help = (
        "Importe une version du référentiel (YAML ou CSV UTF-8). Tout ou rien : "
        "au moindre problème, rien n'est importé."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Fichier .yaml, .yml ou .csv")
        parser.add_argument("--code", default="", help="Code de la version (obligatoire en CSV)")
        parser.add_argument(
            "--title", default="", help="Intitulé de la version (obligatoire en CSV)"
        )
        parser.add_argument("--publish", action="store_true", help="Publier la version importée")

    def handle(self, *args, file, code, title, publish, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"Fichier introuvable : {file}")
        try:
            parsed = parse_referential(
                path.read_bytes(), filename=path.name, code=code, title=title
            )
            version = version_import(parsed=parsed, publish=publish)
        except ReferentialFileError as exc:
            raise CommandError("Rien n'a été importé :\n- " + "\n- ".join(exc.errors)) from exc
        except ValidationError as exc:
            raise CommandError("Rien n'a été importé :\n- " + "\n- ".join(exc.messages)) from exc
        state = "publiée" if version.is_published else "en brouillon"
        self.stdout.write(
            self.style.SUCCESS(
                f"Version « {version.title} » ({version.code}) importée, {state} : "
                f"{parsed.question_count} questions."
            )
        )
