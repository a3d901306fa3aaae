"""Read a version of the observatory's questionnaire from its YAML file and check its shape.

`parse_questionnaire(raw)` returns a ParsedQuestionnaire or raises QuestionnaireFileError
with every problem found (in French). Nothing here writes: `services.questionnaire_load`
stores a parsed version in one transaction. See observatory/data/questionnaire-2025.yaml.
"""

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from django.utils.translation import gettext as _

from ptce_portal.safe_yaml import UnsafeYAML, load_plain_yaml

from .models import FIGURE_CODES, Band

CURRENT_FILE = Path(__file__).parent / "data" / "questionnaire-2025.yaml"
MAX_FILE_SIZE = 256 * 1024
CODE_RE = re.compile(r"^[-a-z0-9]+$")
BAND_KINDS = {"chiffre_affaires": Band.Kind.TURNOVER, "budget": Band.Kind.BUDGET}


class QuestionnaireFileError(Exception):
    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("; ".join(errors))


@dataclass
class ParsedQuestionnaire:
    code: str
    title: str
    source_note: str = ""
    questions: list[dict] = field(default_factory=list)
    bands: list[dict] = field(default_factory=list)


def _text(value) -> str:
    if isinstance(value, list | dict):
        raise QuestionnaireFileError(
            [
                _(
                    "Une valeur du fichier est une liste ou un dictionnaire là où un texte est "
                    "attendu."
                )
            ]
        )
    return "" if value is None else str(value).strip()


def _amount(value, errors: list[str], where: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        errors.append(
            _("%(where)s : une borne est un nombre entier d'euros positif ou vide.")
            % {"where": where}
        )
        return None
    return value


def parse_questionnaire(raw: bytes) -> ParsedQuestionnaire:
    if len(raw) > MAX_FILE_SIZE:
        raise QuestionnaireFileError([_("Le fichier dépasse 256 Ko.")])
    try:
        data = load_plain_yaml(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise QuestionnaireFileError([_("Le fichier n'est pas en UTF-8.")]) from exc
    except UnsafeYAML as exc:
        raise QuestionnaireFileError(
            [_("Le fichier contient des ancres, des alias ou une imbrication trop profonde.")]
        ) from exc
    except yaml.YAMLError as exc:
        raise QuestionnaireFileError([_("Le fichier n'est pas un YAML valide.")]) from exc
    if not isinstance(data, dict):
        raise QuestionnaireFileError([_("Le fichier doit décrire une version.")])
    errors: list[str] = []
    version = data.get("version") or {}
    if not isinstance(version, dict):
        raise QuestionnaireFileError([_("« version » doit décrire la version.")])
    code = _text(version.get("code"))
    title = _text(version.get("title"))
    if not CODE_RE.match(code):
        errors.append(_("Le code de la version est vide ou contient des caractères interdits."))
    if not title:
        errors.append(_("La version n'a pas d'intitulé."))

    questions = []
    seen: set[str] = set()
    raw_questions = data.get("questions") or []
    if not isinstance(raw_questions, list):
        raw_questions = []
    for position, item in enumerate(raw_questions, start=1):
        if not isinstance(item, dict):
            errors.append(_("Question %(n)s : elle doit décrire un chiffre.") % {"n": position})
            continue
        question_code = _text(item.get("code"))
        if question_code not in FIGURE_CODES:
            errors.append(
                _("Question %(n)s : « %(code)s » n'est pas un chiffre du rapport.")
                % {"n": position, "code": question_code[:40]}
            )
            continue
        if question_code in seen:
            errors.append(
                _("Le chiffre « %(code)s » est demandé deux fois.") % {"code": question_code}
            )
            continue
        seen.add(question_code)
        label = _text(item.get("intitule"))
        if not label:
            errors.append(_("Question « %(code)s » : intitulé manquant.") % {"code": question_code})
        questions.append(
            {
                "code": question_code,
                "section": _text(item.get("rubrique")),
                "position": position,
                "label": label,
                "help_text": _text(item.get("aide")),
            }
        )
    missing = [code for code in FIGURE_CODES if code not in seen]
    if missing:
        errors.append(_("Chiffres sans question : %(codes)s.") % {"codes": ", ".join(missing)})

    bands = []
    raw_bands = data.get("tranches") or {}
    if not isinstance(raw_bands, dict):
        raw_bands = {}
    for key, kind in BAND_KINDS.items():
        items = raw_bands.get(key) or []
        if not isinstance(items, list) or len(items) < 2:
            errors.append(_("Tranches « %(key)s » : au moins deux tranches.") % {"key": key})
            continue
        previous_upper: int | None = None
        codes: set[str] = set()
        for position, item in enumerate(items, start=1):
            where = f"{key} {position}"
            if not isinstance(item, dict):
                errors.append(
                    _("%(where)s : une tranche est décrite par ses clés.") % {"where": where}
                )
                continue
            band_code = _text(item.get("code"))
            if not CODE_RE.match(band_code) or band_code in codes:
                errors.append(
                    _("%(where)s : code absent, invalide ou en double.") % {"where": where}
                )
            codes.add(band_code)
            lower = _amount(item.get("min"), errors, where)
            upper = _amount(item.get("max"), errors, where)
            if position > 1 and lower != previous_upper:
                errors.append(
                    _("%(where)s : la tranche doit commencer où la précédente s'arrête.")
                    % {"where": where}
                )
            if lower is not None and upper is not None and lower >= upper:
                errors.append(_("%(where)s : le bas dépasse le haut.") % {"where": where})
            previous_upper = upper
            bands.append(
                {
                    "kind": kind,
                    "code": band_code,
                    "position": position,
                    "label": _text(item.get("libelle")),
                    "lower_eur": lower,
                    "upper_eur": upper,
                }
            )
        if items and isinstance(items[0], dict) and items[0].get("min") is not None:
            errors.append(
                _("Tranches « %(key)s » : la première part de zéro (min vide).") % {"key": key}
            )
        if items and isinstance(items[-1], dict) and items[-1].get("max") is not None:
            errors.append(
                _("Tranches « %(key)s » : la dernière est sans maximum (max vide).") % {"key": key}
            )

    if errors:
        raise QuestionnaireFileError(errors)
    return ParsedQuestionnaire(
        code=code,
        title=title,
        source_note=_text(version.get("source_note")),
        questions=questions,
        bands=bands,
    )


def read_current() -> ParsedQuestionnaire:
    return parse_questionnaire(CURRENT_FILE.read_bytes())
