"""Demo data of the resource centre (`seed_ptce --demo`, fictitious « (démo) »): a few
published resources by the demo coordinator, filed under themes and principal objectives,
each with a small generated PDF, and one waiting for staff. Idempotent: found again by
title."""

from django.core.files.base import ContentFile

from poles.models import Theme
from ptce_portal.contributions import DemoContext
from ptce_portal.demo import DEMO_MARK
from referential.models import PrincipalObjective

from . import peers_demo, services
from .models import Resource, ResourceKind, ResourceStatus


def tiny_pdf(title: str, lines: tuple[str, ...] = ()) -> bytes:
    """A one-page PDF with a few lines of text (Latin-1, Helvetica): enough for a demo or a
    test attachment, built without a renderer."""

    def escape(text: str) -> str:
        text = text.encode("latin-1", "replace").decode("latin-1")
        return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    text_ops = [f"BT /F1 18 Tf 60 780 Td ({escape(title)}) Tj ET"]
    for n, line in enumerate(lines):
        text_ops.append(f"BT /F1 11 Tf 60 {750 - 16 * n} Td ({escape(line)}) Tj ET")
    stream = "\n".join(text_ops).encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


DEMO_RESOURCES = [
    {
        "title": f"Fiche d'expérience : une coopération entre maraîchers et cantines {DEMO_MARK}",
        "kind": ResourceKind.EXPERIENCE,
        "summary": (
            "Comment un pôle a organisé l'approvisionnement de quatre cantines scolaires par des "
            "maraîchers de son territoire : étapes, difficultés, chiffres. "
            f"Exemple fictif {DEMO_MARK}."
        ),
        "body": (
            "Contexte : quatre communes voulaient servir des légumes locaux.\n\n"
            "Démarche : une plateforme de commandes partagée, un groupement d'achat, une "
            "légumerie associative.\n\nRésultats : 30 % de produits locaux en deux ans. "
            f"(Texte fictif de démonstration {DEMO_MARK}.)"
        ),
        "themes": ["circuits courts", "alimentation"],
        "objectives": 2,
        "licence": "cc-by-sa-4.0",
        "file": "cooperation-cantines-demo.pdf",
    },
    {
        "title": f"Outil : grille de mutualisation des emplois entre structures {DEMO_MARK}",
        "kind": ResourceKind.TOOL,
        "summary": (
            "Un tableau pour repérer les compétences que plusieurs membres d'un pôle pourraient "
            f"partager (groupement d'employeurs, temps partagé). Exemple fictif {DEMO_MARK}."
        ),
        "body": "Mode d'emploi : une ligne par compétence, une colonne par structure membre.",
        "themes": ["emploi"],
        "objectives": 1,
        "licence": "cc-by-4.0",
        "file": "grille-mutualisation-demo.pdf",
    },
    {
        "title": f"Document : gouvernance partagée d'un PTCE, les statuts types {DEMO_MARK}",
        "kind": ResourceKind.DOCUMENT,
        "summary": (
            "Des statuts types de SCIC commentés pour associer collectivités, entreprises de "
            f"l'ESS et chercheurs à la gouvernance d'un pôle. Exemple fictif {DEMO_MARK}."
        ),
        "body": "",
        "themes": [],
        "objectives": 0,
        "licence": "licence-ouverte-2.0",
        "file": "statuts-types-demo.pdf",
    },
]
SUBMITTED_TITLE = f"Retour d'expérience : créer une monnaie locale complémentaire {DEMO_MARK}"


def _themes(words: list[str]) -> list[Theme]:
    found = []
    for word in words:
        theme = Theme.objects.filter(name__icontains=word).first()
        if theme is not None:
            found.append(theme)
    return found


def _objectives(index: int) -> list[PrincipalObjective]:
    objectives = list(
        PrincipalObjective.objects.filter(version__published_at__isnull=False).order_by(
            "-version__published_at", "general__position", "position"
        )[:9]
    )
    return [objectives[index]] if len(objectives) > index else []


def run(context: DemoContext) -> None:
    coordinator = context.data.get("coordinator")
    pole = context.data.get("pole")
    author = coordinator or context.staff
    for spec in DEMO_RESOURCES:
        if Resource.objects.filter(title=spec["title"]).exists():
            continue
        data = services.ResourceData(
            title=spec["title"],
            kind=spec["kind"],
            summary=spec["summary"],
            body=spec["body"],
            licence=spec["licence"],
            themes=_themes(spec["themes"]),
            objectives=_objectives(spec["objectives"]),
            poles=[pole] if pole is not None else [],
        )
        pdf = ContentFile(
            tiny_pdf(spec["title"], ("Document fictif de démonstration (démo).",)),
            name=spec["file"],
        )
        resource = services.resource_create(by=author, data=data, uploads=[pdf])
        services.resource_submit(resource=resource, by=author)
        services.resource_publish(resource=resource, by=context.staff)
    if not Resource.objects.filter(title=SUBMITTED_TITLE).exists():
        resource = services.resource_create(
            by=author,
            data=services.ResourceData(
                title=SUBMITTED_TITLE,
                kind=ResourceKind.EXPERIENCE,
                summary=(
                    "Les étapes d'une monnaie locale portée par un pôle. "
                    f"Exemple fictif {DEMO_MARK}."
                ),
                poles=[pole] if pole is not None else [],
            ),
        )
        services.resource_submit(resource=resource, by=author)
    published = Resource.objects.filter(status=ResourceStatus.PUBLISHED).count()
    waiting = Resource.objects.filter(status=ResourceStatus.SUBMITTED).count()
    context.summary.append(f"{published} ressource(s) publiée(s), {waiting} à publier par l'équipe")
    # Peer help: offers on Domb'Innov's weakest objectives, a request waiting for it.
    peers_demo.run(context)
