"""Read a referential version from a YAML or CSV file and check its shape.

`parse_referential(raw, filename=…)` returns a normalised dict or raises
`ReferentialFileError` with every problem found (in French, for the admin and the
command). Nothing here writes to the database: `services.version_import` does that in
one transaction once the file is known to be good.

YAML: see referential/data/working_version.yaml.
CSV (UTF-8, `,` or `;`): one line per question with the columns
objectif_general_code, objectif_general, objectif_principal_code, objectif_principal,
[objectif_principal_court], indicateur_code, question, [aide]; the version's code and
title are given beside the file (command options or admin form).
"""

import csv
import io
import re
from dataclasses import dataclass, field

import yaml
from django.utils.translation import gettext as _

from ptce_portal.safe_yaml import MAX_DEPTH, UnsafeYAML, load_plain_yaml

from .models import GENERAL_COUNT, INDICATORS_PER_PRINCIPAL, PRINCIPALS_PER_GENERAL, QUESTION_COUNT

MAX_FILE_SIZE = 1024 * 1024
CODE_RE = re.compile(r"^[0-9A-Za-z]+(\.[0-9A-Za-z]+){0,2}$")
VERSION_CODE_RE = re.compile(r"^[-a-zA-Z0-9_]+$")
CSV_REQUIRED = [
    "objectif_general_code",
    "objectif_general",
    "objectif_principal_code",
    "objectif_principal",
    "indicateur_code",
    "question",
]


class ReferentialFileError(Exception):
    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("; ".join(errors))


@dataclass
class ParsedVersion:
    code: str
    title: str
    is_working_version: bool = False
    source_note: str = ""
    generals: list[dict] = field(default_factory=list)

    @property
    def question_count(self) -> int:
        return sum(len(p["indicators"]) for g in self.generals for p in g["principals"])


def _text(value) -> str:
    if isinstance(value, list | dict):
        # A list or a mapping where a text is expected: never turned into its (possibly
        # huge) printed form.
        raise ReferentialFileError(
            [
                _(
                    "Une valeur du fichier est une liste ou un dictionnaire là où un texte est "
                    "attendu."
                )
            ]
        )
    return "" if value is None else str(value).strip()


def decode(raw: bytes) -> str:
    if len(raw) > MAX_FILE_SIZE:
        raise ReferentialFileError([_("Le fichier dépasse 1 Mo.")])
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ReferentialFileError(
            [
                _(
                    "Le fichier n'est pas encodé en UTF-8 (octet invalide en position %(pos)s). "
                    "Enregistrez-le en UTF-8 puis recommencez."
                )
                % {"pos": exc.start}
            ]
        ) from exc


def parse_referential(
    raw: bytes, *, filename: str, code: str = "", title: str = ""
) -> ParsedVersion:
    text = decode(raw)
    name = filename.lower()
    if name.endswith((".yaml", ".yml")):
        parsed = _parse_yaml(text)
    elif name.endswith(".csv"):
        parsed = _parse_csv(text)
    else:
        raise ReferentialFileError(
            [_("Format non reconnu : envoyez un fichier .yaml, .yml ou .csv.")]
        )
    if code:
        parsed.code = code.strip()
    if title:
        parsed.title = title.strip()
    validate(parsed)
    return parsed


def _parse_yaml(text: str) -> ParsedVersion:
    try:
        data = load_plain_yaml(text)
    except UnsafeYAML as exc:
        if exc.reason == "depth":
            message = _(
                "Le fichier YAML est imbriqué sur plus de %(depth)s niveaux (ligne %(line)s) : "
                "ce n'est pas un référentiel."
            ) % {"depth": MAX_DEPTH, "line": exc.line}
        else:
            message = _(
                "Le fichier YAML utilise une ancre ou un alias (« & » ou « * », ligne "
                "%(line)s) : ils sont refusés par sécurité. Écrivez chaque valeur en entier."
            ) % {"line": exc.line}
        raise ReferentialFileError([message]) from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = _(" (ligne %(line)s)") % {"line": mark.line + 1} if mark else ""
        raise ReferentialFileError([_("YAML illisible%(where)s.") % {"where": where}]) from exc
    if not isinstance(data, dict):
        raise ReferentialFileError([_("Le fichier YAML doit contenir un dictionnaire.")])
    meta = data.get("version") or {}
    if not isinstance(meta, dict):
        raise ReferentialFileError([_("La clé « version » doit être un dictionnaire.")])
    parsed = ParsedVersion(
        code=_text(meta.get("code")),
        title=_text(meta.get("title") or meta.get("titre")),
        is_working_version=bool(meta.get("is_working_version", False)),
        source_note=_text(meta.get("source_note")),
    )
    generals = data.get("objectifs_generaux")
    if not isinstance(generals, list):
        raise ReferentialFileError([_("La clé « objectifs_generaux » (liste) est absente.")])
    for g in generals:
        if not isinstance(g, dict):
            raise ReferentialFileError([_("Chaque objectif général doit être un dictionnaire.")])
        principals = []
        for p in g.get("objectifs_principaux") or []:
            if not isinstance(p, dict):
                raise ReferentialFileError(
                    [_("Chaque objectif principal doit être un dictionnaire.")]
                )
            indicators = []
            for i in p.get("indicateurs") or []:
                if not isinstance(i, dict):
                    raise ReferentialFileError([_("Chaque indicateur doit être un dictionnaire.")])
                indicators.append(
                    {
                        "code": _text(i.get("code")),
                        "question": _text(i.get("question")),
                        "help_text": _text(i.get("aide")),
                    }
                )
            principals.append(
                {
                    "code": _text(p.get("code")),
                    "title": _text(p.get("titre")),
                    "short_title": _text(p.get("titre_court")),
                    "description": _text(p.get("description")),
                    "indicators": indicators,
                }
            )
        parsed.generals.append(
            {
                "code": _text(g.get("code")),
                "title": _text(g.get("titre")),
                "description": _text(g.get("description")),
                "principals": principals,
            }
        )
    return parsed


def _parse_csv(text: str) -> ParsedVersion:
    try:
        dialect = csv.Sniffer().sniff(text.split("\n", 1)[0], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    headers = [h.strip() for h in (reader.fieldnames or [])]
    missing = [h for h in CSV_REQUIRED if h not in headers]
    if missing:
        raise ReferentialFileError(
            [_("Colonnes manquantes dans le CSV : %(cols)s.") % {"cols": ", ".join(missing)}]
        )
    parsed = ParsedVersion(code="", title="")
    generals: dict[str, dict] = {}
    principals: dict[str, dict] = {}
    errors = []
    for line_no, row in enumerate(reader, start=2):
        row = {(k or "").strip(): _text(v) for k, v in row.items()}
        if not any(row.values()):
            continue
        g_code, p_code = row["objectif_general_code"], row["objectif_principal_code"]
        general = generals.get(g_code)
        if general is None:
            general = {
                "code": g_code,
                "title": row["objectif_general"],
                "description": "",
                "principals": [],
            }
            generals[g_code] = general
            parsed.generals.append(general)
        elif general["title"] != row["objectif_general"]:
            errors.append(
                _("Ligne %(line)s : l'objectif général %(code)s a deux intitulés différents.")
                % {"line": line_no, "code": g_code}
            )
        principal = principals.get(p_code)
        if principal is None:
            principal = {
                "code": p_code,
                "title": row["objectif_principal"],
                "short_title": row.get("objectif_principal_court", ""),
                "description": "",
                "indicators": [],
            }
            principals[p_code] = principal
            general["principals"].append(principal)
        elif principal not in general["principals"]:
            errors.append(
                _(
                    "Ligne %(line)s : l'objectif principal %(code)s "
                    "apparaît sous deux objectifs généraux."
                )
                % {"line": line_no, "code": p_code}
            )
        principal["indicators"].append(
            {
                "code": row["indicateur_code"],
                "question": row["question"],
                "help_text": row.get("aide", ""),
            }
        )
    if errors:
        raise ReferentialFileError(errors)
    return parsed


def validate(parsed: ParsedVersion) -> None:
    """Collect every problem: missing texts, duplicate codes, and the 3 × 3 × 4 shape."""
    errors = []
    if not parsed.code:
        errors.append(_("Le code de la version est obligatoire."))
    elif not VERSION_CODE_RE.match(parsed.code) or len(parsed.code) > 60:
        errors.append(
            _(
                "Code de version « %(code)s » invalide (lettres, "
                "chiffres, tirets ; 60 caractères au plus)."
            )
            % {"code": parsed.code}
        )
    if not parsed.title:
        errors.append(_("L'intitulé de la version est obligatoire."))
    seen: set[str] = set()

    def check_code(code: str, kind: str, parent: str = ""):
        if not code:
            errors.append(_("Un %(kind)s n'a pas de code.") % {"kind": kind})
            return
        if not CODE_RE.match(code) or len(code) > 12:
            errors.append(_("Code « %(code)s » invalide.") % {"code": code})
        if code in seen:
            errors.append(_("Code en double : « %(code)s ».") % {"code": code})
        seen.add(code)
        if parent and not code.startswith(parent + "."):
            errors.append(
                _("Le code « %(code)s » devrait commencer par « %(parent)s. ».")
                % {"code": code, "parent": parent}
            )

    if len(parsed.generals) != GENERAL_COUNT:
        errors.append(
            _("Il faut exactement %(n)s objectifs généraux (le fichier en contient %(found)s).")
            % {"n": GENERAL_COUNT, "found": len(parsed.generals)}
        )
    for g in parsed.generals:
        check_code(g["code"], _("objectif général"))
        if not g["title"]:
            errors.append(
                _("L'objectif général %(code)s n'a pas d'intitulé.") % {"code": g["code"]}
            )
        if len(g["principals"]) != PRINCIPALS_PER_GENERAL:
            errors.append(
                _(
                    "L'objectif général %(code)s doit avoir %(n)s "
                    "objectifs principaux (%(found)s trouvés)."
                )
                % {"code": g["code"], "n": PRINCIPALS_PER_GENERAL, "found": len(g["principals"])}
            )
        for p in g["principals"]:
            check_code(p["code"], _("objectif principal"), g["code"])
            if not p["title"]:
                errors.append(
                    _("L'objectif principal %(code)s n'a pas d'intitulé.") % {"code": p["code"]}
                )
            if len(p["short_title"]) > 40:
                errors.append(
                    _("L'intitulé court de %(code)s dépasse 40 caractères.") % {"code": p["code"]}
                )
            if len(p["indicators"]) != INDICATORS_PER_PRINCIPAL:
                errors.append(
                    _(
                        "L'objectif principal %(code)s doit avoir "
                        "%(n)s indicateurs (%(found)s trouvés)."
                    )
                    % {
                        "code": p["code"],
                        "n": INDICATORS_PER_PRINCIPAL,
                        "found": len(p["indicators"]),
                    }
                )
            for i in p["indicators"]:
                check_code(i["code"], _("indicateur"), p["code"])
                if not i["question"]:
                    errors.append(
                        _("L'indicateur %(code)s n'a pas de question.") % {"code": i["code"]}
                    )
    if parsed.question_count != QUESTION_COUNT:
        errors.append(
            _("Le référentiel doit compter %(n)s questions ; le fichier en contient %(found)s.")
            % {"n": QUESTION_COUNT, "found": parsed.question_count}
        )
    if errors:
        raise ReferentialFileError(errors)
