"""Seed of the charter domain (idempotent): the 2014 charter of the PTCE collective
approach (Annex 2 of the report of the national day of 19 September 2014, verbatim),
its countersignatures and the 40 signatures of Annex 3."""

import datetime
from zoneinfo import ZoneInfo

from django.db.models import Max

from poles import services as pole_services
from poles.models import Pole

from .models import CharterItem, CharterSection, CharterVersion, Countersignature, Signature

SIGNING_DAY = datetime.date(2014, 9, 19)
SIGNING_PLACE = "Paris (Bercy)"

P, Q, B = CharterItem.Kind.PARAGRAPH, CharterItem.Kind.QUOTE, CharterItem.Kind.BULLET

VERSION_1 = {
    "number": 1,
    "title": "Charte de la démarche collective PTCE",
    "summary": (
        "Charte signée par 40 pôles territoriaux de coopération économique lors de la deuxième "
        "journée nationale des PTCE, le 19 septembre 2014 à Paris (Bercy), et contresignée par "
        "les réseaux fondateurs et la secrétaire d'État chargée de l'Économie sociale et solidaire."
    ),
    "published_at": SIGNING_DAY,
    "signature_intro": (
        "En signant cette charte, nous (intitulé du PTCE), (coordonnées), représenté par "
        "(Nom, prénom, courriel, téléphone), déjà constitué en PTCE ou bien engagé dans le "
        "processus de création d'un PTCE,"
    ),
    "commitment_build": (
        "affirmons notre volonté de construire et de développer notre PTCE selon la définition, "
        "les valeurs et principes d'actions tels que précisés dans cette charte ;"
    ),
    "commitment_community": (
        "nous engageons à participer et à contribuer à l'émergence et la réussite de la "
        "communauté naissante des PTCE, conçue comme une nouvelle dynamique collective entre "
        "acteurs économiques en faveur du développement d'une économie sociale et solidaire."
    ),
    "footnote": (
        "La signature de cette charte ne relève pas d’un principe de labellisation. Elle "
        "n’engage aucun partenaire public ou privé à un soutien spécifique du PTCE signataire."
    ),
}

# (numeral, title, intro, [(kind, text, source)])
SECTIONS_1 = [
    (
        "I",
        "Préambule",
        "",
        [
            (
                P,
                "Le développement des coopérations et des mutualisations en France a été abordé "
                "dès 2009 par un groupe d'acteurs réunis au sein du LABO de l’ESS, think tank de "
                "l’Economie Sociale et Solidaire, ce qui a donné lieu à une formulation du concept "
                "de Pôles Territoriaux de Coopération Economique (PTCE) :",
                "",
            ),
            (
                Q,
                "Un Pôle Territorial de Coopération Economique est un regroupement, sur un "
                "territoire donné, d’initiatives, d’entreprises et de réseaux de l’économie "
                "sociale et solidaire associé à des PME socialement responsables, des "
                "collectivités "
                "locales, des centres de recherche et organismes de formation, qui met en œuvre "
                "une "
                "stratégie commune et continue de coopération et de mutualisation au service de "
                "projets économiques innovants de développement local durable",
                "Le LABO de l’ESS, 2010",
            ),
            (
                P,
                "Les réflexions se sont poursuivies lors des Etats Généraux de l’ESS et ont abouti "
                "dès 2012 à la mise en œuvre d’une démarche nationale de valorisation et de "
                "caractérisation des Pôles Territoriaux de Coopération Economique. A partir d’une "
                "vingtaine d’initiatives concrètes, le collectif animé par le LABO de l’ESS et "
                "composé du Réseau des collectivités Territoriales pour une Economie Solidaire "
                "(RTES), de COORACE, du Conseil National des Chambres Régionales de l’Economie "
                "Sociale (CNCRES) et du Mouvement pour une Economie Solidaire (MES) a construit un "
                "plaidoyer, élaboré un référentiel d’action PTCE et une proposition d’actions "
                "communes.",
                "",
            ),
            (
                P,
                "Ce premier travail de repérage, d’analyse et de caractérisation a favorisé la "
                "reconnaissance législative des dynamiques PTCE. Article 9, alinéa 1 de la loi "
                "relative à l'économie sociale et solidaire, 2014 :",
                "",
            ),
            (
                Q,
                "Les pôles territoriaux de coopération économique sont constitués par le "
                "regroupement sur un même territoire d’entreprises de l’économie sociale et "
                "solidaire, au sens de l’article 1er de la présente loi, qui s’associent à des "
                "entreprises, en lien avec des collectivités territoriales et leurs groupements, "
                "des centres de recherche, des établissements d’enseignement supérieur et de "
                "recherche, des organismes de formation ou toute autre personne physique ou morale "
                "pour mettre en œuvre une stratégie commune et continue de mutualisation, de "
                "coopération ou de partenariat au service de projets économiques et sociaux "
                "innovants, socialement ou technologiquement, et porteurs d’un développement local "
                "durable.",
                "",
            ),
            (
                P,
                "La présente Charte est signée par les réseaux fondateurs du concept PTCE. Elle le "
                "sera aussi par chacun des Pôles qui se revendiquent de cette démarche et adhèrent "
                "à ses valeurs.",
                "",
            ),
        ],
    ),
    (
        "II",
        "Objet de la charte",
        "Par la présente charte, la démarche collective PTCE formalise son existence, affirme ses "
        "valeurs, ses finalités et ses principes d'action partagés. Elle vise à :",
        [
            (
                B,
                "faire reconnaître l’importance des processus de coopérations économiques "
                "territoriales initiées par les acteurs et entreprises de l’ESS, porteurs de "
                "nouveaux modèles économiques sources de richesse économique, sociale et "
                "environnementale ;",
                "",
            ),
            (B, "faire vivre ces dynamiques de coopération dans les territoires ;", ""),
            (B, "valoriser leur utilité sociale ;", ""),
            (B, "inciter à la mise en cohérence des politiques territoriales.", ""),
        ],
    ),
    (
        "III",
        "Valeurs communes",
        "Fondé sur le principe de la coopération, le projet global élaboré et conduit par le PTCE "
        "s'appuie sur des valeurs essentielles :",
        [
            (
                B,
                "Un pôle territorial de coopération économique respecte, mobilise et valorise son "
                "patrimoine local, les ressources de son territoire – humaines, naturelles, "
                "matérielles, culturelles et financières – et s'appuie sur l'engagement de ses "
                "acteur-trice-s ;",
                "",
            ),
            (
                B,
                "Il s’appuie sur le respect mutuel, la diversité reconnue, la confiance et la "
                "convivialité, valeurs en actes du vivre ensemble et du faire ensemble ;",
                "",
            ),
            (
                B,
                "Il reconnaît la co-construction, la formation et la connaissance comme des "
                "leviers "
                "de développement ;",
                "",
            ),
            (B, "Il pratique la solidarité en actes aux niveaux local et global ;", ""),
            (
                B,
                "Il place au service de son développement la recherche d'innovations sociales ;",
                "",
            ),
            (
                B,
                "Il promeut et fait preuve de créativité à tous les stades de son évolution et de "
                "la mise en oeuvre de ses activités ;",
                "",
            ),
            (
                B,
                "Il recherche la qualité des échanges dans la communication et la transmission "
                "d’informations.",
                "",
            ),
        ],
    ),
    (
        "IV",
        "Perspectives",
        "Une initiative qualifiée de PTCE vise à :",
        [
            (
                B,
                "Créer, consolider et développer des activités, des emplois durables et de "
                "qualité, "
                "au bénéfice de son territoire et de ses habitants ;",
                "",
            ),
            (
                B,
                "Travailler à l’ancrage territorial des activités économiques, dans un espace "
                "caractérisé par la coopération entre parties prenantes ;",
                "",
            ),
            (
                B,
                "Adopter une gouvernance démocratique s'appuyant sur des principes d'équité, de "
                "réciprocité, sur l'engagement volontaire des personnes et associant l'ensemble "
                "des "
                "parties prenantes ;",
                "",
            ),
            (
                B,
                "Impliquer dans son territoire citoyens, acteurs et institutions de toutes "
                "tailles ;",
                "",
            ),
            (
                B,
                "Investir dans l’innovation sociale et la recherche d’utilité sociale, en "
                "réponse à "
                "des besoins sociaux ou sociétaux.",
                "",
            ),
        ],
    ),
    (
        "V",
        "Principes d'action partagés",
        "La démarche collective PTCE se veut ouverte et inclusive. Les dimensions d’entraide, "
        "d’interaction, de réciprocité, de recherche action et de progrès sont au cœur "
        "de celle-ci. "
        "Les adhérents de cette charte s’engagent à :",
        [
            (
                B,
                "Développer une culture commune par le partage des connaissances et des "
                "savoir-faire ;",
                "",
            ),
            (B, "Etre des ressources pour leurs pairs ;", ""),
            (
                B,
                "Prendre en compte au mieux les intérêts respectifs des différents membres "
                "contributeurs de la démarche collective PTCE.",
                "",
            ),
        ],
    ),
]

# The five founding networks and the secretary of state countersigned on 19 September 2014
# (report, "Conclusion : Carole Delga"). The networks' representatives are not named there.
COUNTERSIGNATURES_1 = [
    ("Le Labo de l'ESS", "", "réseau fondateur, animateur de la démarche collective PTCE"),
    ("COORACE", "", "réseau fondateur"),
    (
        "RTES",
        "",
        "Réseau des collectivités Territoriales pour une Economie Solidaire, réseau fondateur",
    ),
    (
        "CNCRES",
        "",
        "Conseil National des Chambres Régionales de l’Economie Sociale, réseau fondateur",
    ),
    ("MES", "", "Mouvement pour une Economie Solidaire, réseau fondateur"),
    (
        "Gouvernement",
        "Carole Delga",
        "secrétaire d’État chargée du Commerce, de l’Artisanat, de la Consommation et de "
        "l’Économie sociale et solidaire",
    ),
]

# Annex 3: number → stable slug of the pole (docs/TEAM.md).
SIGNATORIES_2014 = [
    "ecooparc", "ptce-sud-aquitain", "le-damier", "la-coursive-boutaric", "eclis", "coopaxis",
    "ardaines", "cis-dt52", "clus-ter-jura", "poles-noe", "ptce-cooperative-des-lacs-de-l-essonne",
    "fontaine-o-livres", "paris-mix", "resto-passerelle", "phares", "projet-99-200",
    "cergy-pontoise-confluence-seine-et-oise", "de-fil-en-reseaux", "florange-e2i",
    "le-periscope", "le-multiple", "ptce-en-emergence-autour-des-fermes-de-figeac",
    "pole-tarnais-de-cooperation-economique", "lille-metropole-solidaire",
    "pole-alpilles-montagnette", "bou-sol", "ptce-filieres-locales-d-eco-materiaux",
    "ptce-oser-reso", "ptce-pays-d-ancenis", "ptce-nola", "les-ecossolies-le-solilab",
    "ptce-pays-de-bray", "ptce-musiques-actuelles-deux-sevres", "ptce-niortais", "domb-innov",
    "pole-sud", "innovales", "pole-entrepreneurs-solidaires-en-centre-isere",
    "ptce-ulisse-soleni", "culture-cooperation",
]  # fmt: skip


def seed_version_1() -> CharterVersion:
    fields = {k: v for k, v in VERSION_1.items() if k != "number"}
    version, created = CharterVersion.objects.get_or_create(
        number=VERSION_1["number"], defaults={**fields, "is_current": False}
    )
    if not version.signatures.exclude(signer__isnull=True).exists():
        # The wording is frozen once a person signed online; the seed only writes before.
        for name, value in fields.items():
            setattr(version, name, value)
        version.save()
        for order, (numeral, title, intro, items) in enumerate(SECTIONS_1, start=1):
            section, _ = CharterSection.objects.update_or_create(
                version=version,
                order=order,
                defaults={"numeral": numeral, "title": title, "intro": intro},
            )
            for item_order, (kind, text, source) in enumerate(items, start=1):
                CharterItem.objects.update_or_create(
                    section=section,
                    order=item_order,
                    defaults={"kind": kind, "text": text, "source": source},
                )
            section.items.filter(order__gt=len(items)).delete()
        version.sections.filter(order__gt=len(SECTIONS_1)).delete()
    if not CharterVersion.objects.filter(is_current=True).exists():
        version.is_current = True
        version.save(update_fields=["is_current"])
    return version


def run(*, stdout) -> None:
    version = seed_version_1()
    for order, (organisation, person, role) in enumerate(COUNTERSIGNATURES_1, start=1):
        Countersignature.objects.update_or_create(
            version=version,
            organisation=organisation,
            defaults={"person": person, "role": role, "signed_on": SIGNING_DAY, "order": order},
        )

    validated_at = datetime.datetime(2014, 9, 19, 17, 0, tzinfo=ZoneInfo("Europe/Paris"))
    poles = Pole.objects.in_bulk(SIGNATORIES_2014, field_name="slug")
    seeded = 0
    for number, slug in enumerate(SIGNATORIES_2014, start=1):
        pole = poles.get(slug)
        if pole is None:
            stdout.write(f"charter seed: pôle « {slug} » absent, signature n° {number} ignorée")
            continue
        signature = Signature.objects.filter(
            version=version, pole=pole, signer__isnull=True, signed_on=SIGNING_DAY
        ).first()
        if signature is None:
            if Signature.objects.filter(
                version=version, pole=pole, status__in=Signature.ACTIVE_STATUSES
            ).exists():
                stdout.write(f"charter seed: « {slug} » a déjà une signature active, ignorée")
                continue
            signature = Signature(version=version, pole=pole, signed_on=SIGNING_DAY)
        signature.pole_name = pole.name
        signature.place = SIGNING_PLACE
        signature.commitment_build = True
        signature.commitment_community = True
        signature.consent_publication = True
        if signature.status == Signature.Status.SUBMITTED or signature.pk is None:
            signature.status = Signature.Status.VALIDATED
        if signature.status == Signature.Status.VALIDATED:
            signature.validated_at = signature.validated_at or validated_at
        if signature.register_number is None:
            taken = Signature.objects.filter(version=version, register_number=number).exclude(
                pk=signature.pk
            )
            if taken.exists():
                last = Signature.objects.filter(version=version).aggregate(n=Max("register_number"))
                number = (last["n"] or 0) + 1
            signature.register_number = number
        signature.full_clean()
        signature.save()
        if signature.status == Signature.Status.VALIDATED:
            pole_services.pole_set_signatory(pole=pole, signed=True)
        seeded += 1
    stdout.write(f"charter seed: version {version.number}, {seeded} signatures de 2014")
