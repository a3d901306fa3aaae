"""Seed the national days: 25 June 2012 and 19 September 2014 (full programme).

Real data only: the fictitious upcoming day used to try registration lives in `events.demo`,
loaded by `manage.py seed_ptce --demo`.

Everything about 19 September 2014 comes from the report of that day (the portal's seed,
« Deuxième journée nationale des PTCE, 19/09/14 », Le Labo de l'ESS, January 2015): the order of
the sessions, the people with their roles, and the pull quotes, copied verbatim. Summaries are
written in the portal's own words. About 25 June 2012 the report says only that it was the first
national day, born of the five networks' collective work; the page says no more.

Idempotent: every row is found again by a stable key (slug, or event + order) and updated.
Runs after the poles seed, so that speakers link to their pole's page when it exists.
"""

from datetime import date

from django.db import transaction
from django.utils.text import slugify

from .models import (
    Event,
    EventOrganisation,
    Intervention,
    Organisation,
    Person,
    Quote,
    Session,
    SessionSpeaker,
)

SOURCE_2014 = (
    "Compte rendu « Deuxième journée nationale des PTCE, 19/09/14 », Le Labo de l'ESS, janvier 2015"
)

# key: (name, acronym)
ORGANISATIONS = {
    "labo": ("Le Labo de l'ESS", "Labo de l'ESS"),
    "coorace": ("COORACE", "COORACE"),
    "rtes": ("Réseau des collectivités Territoriales pour une Économie Solidaire", "RTES"),
    "cncres": (
        "Conseil National des Chambres Régionales de l'Économie Sociale et Solidaire",
        "CNCRES",
    ),
    "mes": ("Mouvement pour l'Économie Solidaire", "MES"),
    "avise": ("Avise", "Avise"),
    "fph": ("Fondation pour le Progrès de l'Homme", "FPH"),
    "crida": ("Centre de recherche et d'information sur la démocratie et l'autonomie", "Crida"),
    "arf": ("Association des Régions de France", "ARF"),
    "cdc": ("Caisse des Dépôts et Consignations", "Caisse des Dépôts"),
    "cget": ("Commissariat général à l'égalité des territoires", "CGET"),
    "assemblee": ("Assemblée nationale", ""),
    "gouvernement": ("Gouvernement", ""),
    "cpe": ("Coopérer pour entreprendre", ""),
    "apes": ("APES", "APES"),
    "fabrique": ("SCIC La Fabrique d'emplois", ""),
    "fablab": ("FabLab de Montreuil", ""),
    "alternord": ("AlterNord", ""),
    "dla-limousin": ("Dispositif local d'accompagnement (DLA) du Limousin", "DLA Limousin"),
    "novetat": ("Novetat'", ""),
    "uia-creteil": ("Université inter-âges de Créteil", ""),
    "region-pdl": ("Conseil régional des Pays de la Loire", ""),
    "adepes": ("Adepes", "Adepes"),
    "amis-terre": ("Les Amis de la Terre", ""),
}

ORGANISERS = ["labo", "coorace", "rtes", "cncres", "mes"]

# slug-less key: (name, role as the report gives it, organisation key, pole slug)
PEOPLE = {
    "bernon": ("Françoise Bernon", "déléguée générale du Labo de l'ESS", "labo", None),
    "pinel": (
        "Sylvia Pinel",
        "ministre du Logement, de l'Égalité des territoires et de la Ruralité",
        "gouvernement",
        None,
    ),
    "alphandery": ("Claude Alphandéry", "président du Labo de l'ESS", "labo", None),
    "chevalier": (
        "Christophe Chevalier",
        "intervenant au nom de COORACE (Pôle Sud, Archer)",
        "coorace",
        "pole-sud",
    ),
    "arevalo": ("Henri Arévalo", "vice-président du RTES", "rtes", None),
    "cabrespines": ("Jean-Louis Cabrespines", "président du CNCRES", "cncres", None),
    "lasnier": ("Bruno Lasnier", "président du MES", "mes", None),
    "adam": ("Michel Adam", "sociologue et praticien de la coopération", None, None),
    "rosenberg": ("Armand Rosenberg", "PTCE Domb'Innov (Ain)", None, "domb-innov"),
    "godey": ("Marion Godey", "PTCE La Coursive Boutaric (Dijon)", None, "la-coursive-boutaric"),
    "cherfaoui": ("Rachid Cherfaoui", "PTCE Pays de Bray (Oise)", None, "ptce-pays-de-bray"),
    "montuzet": ("Stéphane Montuzet", "PTCE Sud Aquitain", None, "ptce-sud-aquitain"),
    "fernandes": (
        "Elena Fernandes",
        "coordinatrice du cluster Initiatives et Cité au sein du PTCE Lille MétroPôle Solidaire",
        None,
        "lille-metropole-solidaire",
    ),
    "lemaitre": (
        "Colin Lemaître",
        "coordinateur du PTCE Culture & Coopération à Saint-Étienne",
        None,
        "culture-cooperation",
    ),
    "ratouit": (
        "Frédéric Ratouit",
        "réseau Coopérer pour entreprendre, représentant le PTCE Les Ecossolies (Loire-Atlantique)",
        "cpe",
        "les-ecossolies-le-solilab",
    ),
    "courouble": (
        "Laurent Courouble",
        "chargé de mission à l'APES (Nord-Pas de Calais)",
        "apes",
        None,
    ),
    "piot": ("Isabelle Piot", "SCIC « La Fabrique d'emplois »", "fabrique", None),
    "pavelot": (
        "Véronique Pavelot",
        "initiatrice de pôles d'économie solidaire à Dijon",
        None,
        None,
    ),
    "auclair": ("Patrice Auclair", "représentant du FabLab de Montreuil", "fablab", None),
    "ternot": ("Alain Ternot", "président d'AlterNord", "alternord", None),
    "champroy": ("Nahoum Champroy", "chargé de mission DLA en Limousin", "dla-limousin", None),
    "caillon": (
        "Jean-Pierre Caillon",
        "accompagne un PTCE dans le nord de la Loire-Atlantique",
        None,
        None,
    ),
    "combes": (
        "Josette Combes",
        "présidente de Novetat' (institut de recherche et développement en Midi-Pyrénées)",
        "novetat",
        None,
    ),
    "duclos": (
        "Laurent Duclos",
        "consultant, membre d'une association grenobloise",
        None,
        None,
    ),
    "grimaldi": (
        "Muriel Grimaldi",
        "membre de l'université inter-âges de Créteil",
        "uia-creteil",
        None,
    ),
    "renaud": ("Fabienne Renaud", "conseillère régionale des Pays de la Loire", "region-pdl", None),
    "sibille": ("Hugues Sibille", "président de l'Avise", "avise", None),
    "calame": ("Pierre Calame", "président honoraire de la FPH", "fph", None),
    "fraisse": (
        "Laurent Fraisse",
        "chercheur au Crida et membre fondateur du Labo de l'ESS",
        "crida",
        None,
    ),
    "kretzschmar": (
        "Cyril Kretzschmar",
        "vice-président du Conseil régional Rhône-Alpes, représentant l'Association des "
        "Régions de France",
        "arf",
        None,
    ),
    "maury": (
        "Jean-Marc Maury",
        "directeur du département développement économique et ESS de la Caisse des Dépôts",
        "cdc",
        None,
    ),
    "carrey-conte": (
        "Fanélie Carrey-Conte",
        "députée du 15e arrondissement de Paris",
        "assemblee",
        None,
    ),
    "du-bouetiez": (
        "Thierry du Bouëtiez",
        "conseiller spécial de la Commissaire générale à l'égalité des territoires",
        "cget",
        None,
    ),
    "dondeyne": ("Bérénice Dondeyne", "présidente de l'Adepes en Midi-Pyrénées", "adepes", None),
    "delsart": ("David Delsart", "Les Amis de la Terre", "amis-terre", None),
    "delga": (
        "Carole Delga",
        "secrétaire d'État chargée du Commerce, de l'Artisanat, de la Consommation et de "
        "l'Économie sociale et solidaire",
        "gouvernement",
        None,
    ),
}

M, A = Session.Part.MORNING, Session.Part.AFTERNOON
K = Session.Kind

# The programme of 19 September 2014, in the report's order.
# speakers: [(person key, label)], interventions: [(person key, summary)],
# quotes: [(person key, verbatim text, role as printed, is_pull_quote)]
PROGRAMME_2014 = [
    {
        "title": "Mot d'accueil",
        "kind": K.OPENING,
        "part": M,
        "speakers": [("bernon", "")],
        "summary": (
            "La déléguée générale du Labo de l'ESS ouvre la journée : elle invite les pôles "
            "présents à signer la charte dans la salle médias, remercie l'équipe du Labo et les "
            "réseaux partenaires (COORACE, RTES, CNCRES et MES), et rappelle que le concept de "
            "PTCE, récent, est déjà incarné par de nombreuses initiatives et reconnu par "
            "l'article 9 de la loi relative à l'ESS."
        ),
        "interventions": [
            (
                "bernon",
                "Elle souligne l'enjeu de la journée pour les pôles eux-mêmes et annonce la "
                "présence de deux membres du gouvernement : Sylvia Pinel en ouverture, Carole "
                "Delga en conclusion.",
            ),
        ],
        "quotes": [
            (
                "bernon",
                "Il s’agit d’un concept récent, formalisé depuis peu, mais déjà incarné à travers "
                "de nombreuses initiatives, menées avec des partenaires multiples, et conforté "
                "par des politiques publiques",
                "",
                False,
            ),
        ],
    },
    {
        "title": "Accueil : Sylvia Pinel",
        "kind": K.OPENING,
        "part": M,
        "speakers": [("pinel", "")],
        "poles": ["pole-sud", "ptce-pays-de-bray"],
        "summary": (
            "La ministre salue les acteurs de l'ESS qui ont fait passer les pôles d'expériences "
            "locales à des outils reconnus par l'État. L'ancrage territorial est pour elle "
            "« l'ADN des pôles » : l'innovation est possible partout, dans les quartiers "
            "populaires comme dans les territoires ruraux, ainsi que le montrent Pôle Sud Archer "
            "et le PTCE Pays de Bray, lauréats de l'appel à projets."
        ),
        "interventions": [
            (
                "pinel",
                "Elle rappelle les acquis de 2013 (23 pôles soutenus par l'État à hauteur de "
                "3 millions d'euros, la reconnaissance des PTCE par la loi relative à l'ESS) et "
                "fixe trois chantiers : la structuration des pôles entre eux autour de la charte, "
                "la diffusion des valeurs de l'ESS dans l'économie classique, des modèles "
                "économiques solides. Le SGMAP évalue l'appel à projets ; un nouvel appel est "
                "prévu en 2015. Elle invite enfin les pôles à contribuer aux Assises des "
                "ruralités organisées à l'automne.",
            ),
        ],
        "quotes": [
            (
                "pinel",
                "C’est grâce à vous, et à votre précieuse expérience de terrain, que les pôles "
                "ont pu passer du stade d’expériences locales à celui d’outils reconnus et "
                "encouragés par l’Etat",
                "ministre du Logement, de l’égalité des Territoires et de la Ruralité",
                True,
            ),
        ],
    },
    {
        "title": "Émergence de pratiques",
        "kind": K.PLENARY,
        "part": M,
        "speakers": [
            ("alphandery", "Labo de l'ESS"),
            ("chevalier", "COORACE"),
            ("arevalo", "RTES"),
            ("cabrespines", "CNCRES"),
            ("lasnier", "MES"),
        ],
        "summary": (
            "Premier temps d'échanges de la matinée : les dirigeants des cinq réseaux "
            "co-organisateurs, « pionniers de la démarche », cherchent ce qui rassemble les "
            "pôles au-delà de la diversité de leurs expériences."
        ),
        "interventions": [
            (
                "alphandery",
                "Il retrace l'émergence de la démarche, des 360 propositions pour changer de cap "
                "et des États généraux de l'ESS jusqu'à la première journée nationale du 25 juin "
                "2012, puis l'appel à projets et l'article 9. La deuxième journée doit consolider "
                "et amplifier ces succès. La communauté des PTCE n'est pas une fédération fermée "
                "mais une convergence d'énergies ; la charte n'est pas un label. Il conclut sur "
                "la formule de Patrick Viveret : Résistance, Expérimentation, Vision.",
            ),
            (
                "chevalier",
                "Fier d'avoir contribué à l'émergence du concept, il demande que le PTCE reste "
                "une démarche ascendante et non un dispositif de plus, en liant des actions "
                "concrètes sur l'économie locale à un discours qui entre dans le débat public.",
            ),
            (
                "arevalo",
                "Le RTES, une centaine de collectivités qui avaient connu les « pôles d'économie "
                "solidaire », s'est engagé d'emblée. Les collectivités ont leur place dans les "
                "PTCE comme actrices économiques directes et par leurs politiques de "
                "développement (pépinières, hôtels d'entreprises, clusters), sans "
                "instrumentaliser les acteurs.",
            ),
            (
                "cabrespines",
                "Il rappelle le travail commun des cinq structures, engagé quatre ans plus tôt, "
                "et la présence de la moitié des CRESS dans la dynamique. La loi peut figer la "
                "démarche ou lui donner son élan. Le CNCRES anime les pôles par des listes de "
                "discussion, une lettre d'information et un état des lieux des besoins ; il "
                "appelle à un changement d'échelle.",
            ),
            (
                "lasnier",
                "L'émergence des PTCE, portée par plusieurs réseaux ensemble, décloisonne. Les "
                "initiatives nées dans les années 1980-90 doivent se consolider, ce qui appelle "
                "une nouvelle étape de coopération ; ouverts à tous les acteurs et citoyens, les "
                "pôles peuvent renforcer la citoyenneté économique.",
            ),
        ],
        "quotes": [
            (
                "alphandery",
                "La charte des PTCE n’est pas un label assurant des droits vis-à-vis des tiers, "
                "mais un facteur de rassemblement et de reconnaissance autour de valeurs et de "
                "pratiques.",
                "président du Labo de l’ESS",
                True,
            ),
            (
                "chevalier",
                "Le PTCE n’est pas une réunion de plus dans nos agendas, mais porte une vraie "
                "ambition pour les territoires : faire ensemble ce qu’aucun de nous ne peut faire "
                "seul.",
                "COORACE",
                True,
            ),
            (
                "arevalo",
                "Les collectivités territoriales sont des acteurs économiques directs et peuvent "
                "accompagner le développement de leur territoire à travers des politiques "
                "publiques.",
                "Réseau des collectivités Territoriales pour une Économie Solidaire",
                True,
            ),
            (
                "cabrespines",
                "Inscrire un tel dispositif dans une loi peut avoir deux conséquences : soit "
                "scléroser la démarche en l’enfermant dans une définition ; soit donner "
                "l’impulsion nécessaire à sa reconnaissance et à son développement.",
                "Conseil National des CRESS",
                True,
            ),
            (
                "lasnier",
                "Beaucoup d’initiatives nées dans les années 1980-90 se trouvent confrontées à un "
                "problème de consolidation et de pérennisation, ce qui impose une nouvelle étape "
                "dans la coopération.",
                "Mouvement pour l’Économie Solidaire",
                True,
            ),
        ],
    },
    {
        "title": "Des coopérations créatives pour leurs territoires",
        "kind": K.PLENARY,
        "part": M,
        "moderator": "adam",
        "speakers": [
            ("rosenberg", "PTCE Domb'Innov"),
            ("godey", "PTCE La Coursive Boutaric"),
            ("cherfaoui", "PTCE Pays de Bray"),
            ("montuzet", "PTCE Sud Aquitain"),
        ],
        "poles": ["domb-innov", "la-coursive-boutaric", "ptce-pays-de-bray", "ptce-sud-aquitain"],
        "summary": (
            "Michel Adam présente le référentiel d'action des PTCE (trois objectifs généraux, "
            "neuf objectifs principaux, 36 questions comme autant de regards croisés) et s'en "
            "sert pour interroger quatre porteurs de pôles sur leurs points forts et leurs "
            "points faibles."
        ),
        "interventions": [
            (
                "adam",
                "Il cite des précurseurs (Longo Maï, Ardelaine, le Larzac, le REAS), rappelle que "
                "les 140 réponses à l'appel à projets ont conduit à un référentiel commun, élaboré "
                "selon la méthode ECARTS, qu'il décrit comme un outil transversal de co-évolution "
                "plutôt qu'une grille d'analyse.",
            ),
            (
                "rosenberg",
                "Domb'Innov, au sud de l'Ain : 14 entreprises sociales, 300 emplois, 9 millions "
                "d'euros de périmètre économique, une entreprise sociale créée chaque année, sans "
                "structure juridique commune. Force : la diversité des personnes autour de la "
                "table (dirigeants de PME, DRH de grandes sociétés, syndicalistes), des liens "
                "avec France Initiative, une Cigale, un projet de conciergerie de territoire. "
                "Faiblesse : aucune formation à la coopération.",
            ),
            (
                "godey",
                "La Coursive Boutaric réunit une quinzaine de structures culturelles et créatives "
                "dans le quartier des Grésilles à Dijon, nées d'un travail de mémoire avec les "
                "habitants lors de la démolition de l'immeuble Boutaric. Forces : connaissance du "
                "quartier et du secteur, formations-actions, transparence de la gestion. "
                "Faiblesse : des projets hybrides sans soutien public stable, un modèle "
                "économique non assuré malgré l'appel à projets.",
            ),
            (
                "cherfaoui",
                "Le PTCE Pays de Bray, dans l'Oise, est né d'une SCIC créée en 2004 pour faire "
                "coopérer acteurs publics et privés (recyclerie, services à la personne et aux "
                "entreprises) : sept entreprises et 40 coopérateurs. Force : le travail avec "
                "l'Institut J.B. Godin, une pépinière, l'entrée de la CCI de l'Oise et de la Ligue "
                "de l'enseignement. Faiblesses : la communication de proximité et la culture.",
            ),
            (
                "montuzet",
                "Le PTCE Sud Aquitain est né des efforts du Comité de bassin d'emploi face à la "
                "crise de l'agglomération bayonnaise (SCIC, entreprises d'insertion, coopératives "
                "d'activité et d'emploi) et réunit une vingtaine de structures, du Pays basque "
                "au Béarn. Faiblesses : des relations difficiles avec la chambre de commerce et "
                "une approche trop strictement économique.",
            ),
        ],
        "quotes": [
            (
                "adam",
                "Le référentiel fonctionne comme un régulateur du sens qui permet de se poser "
                "les questions essentielles : qu’est-ce qu’on poursuit ? Et comment chaque "
                "acteur se représente l’action ?",
                "",
                False,
            ),
            (
                "rosenberg",
                "Une grande diversité d’acteurs et partenaires : le pôle fait travailler côté à "
                "côté dirigeants de PME, responsables des ressources humaines de grandes sociétés "
                "et syndicalistes.",
                "PTCE Domb’Innov",
                True,
            ),
            (
                "godey",
                "L’animation des pôles de compétitivité est soutenue par les pouvoirs publics, "
                "pourquoi en serait-il différemment pour les PTCE ?",
                "PTCE La Coursive Boutaric",
                True,
            ),
            (
                "cherfaoui",
                "Les liens avec les acteurs économiques sont plutôt bons, mais nous sommes nuls "
                "en communication de proximité, et la dimension culturelle est absente de notre "
                "démarche.",
                "PTCE Pays de Bray",
                True,
            ),
            (
                "montuzet",
                "Avoir construit une coopération à la fois très stratégique et très "
                "opérationnelle ; décloisonner en permanence entre acteurs publics et privés ; "
                "avoir acquis une double légitimité, dans le champ économique comme auprès des "
                "collectivités territoriales.",
                "PTCE Sud Aquitain",
                True,
            ),
        ],
    },
    {
        "title": "La démarche collective",
        "kind": K.PLENARY,
        "part": M,
        "moderator": "fernandes",
        "speakers": [
            ("lemaitre", "co-animation"),
            ("godey", "réaction"),
            ("cherfaoui", "réaction"),
            ("rosenberg", "réaction"),
            ("montuzet", "réaction"),
        ],
        "poles": ["lille-metropole-solidaire", "culture-cooperation"],
        "summary": (
            "Troisième temps de la matinée : partager l'information sur la démarche nationale, "
            "donner la parole aux pôles et échanger sur les attentes. Colin Lemaître et Elena "
            "Fernandes en présentent les acteurs, l'organisation, un premier bilan et les "
            "perspectives jusqu'en 2020 ; les quatre porteurs de pôles réagissent."
        ),
        "interventions": [
            (
                "lemaitre",
                "Il reconnaît un manque de lisibilité : des strates territoriales, des réseaux "
                "fondateurs et associés (Opale, Ufisc), des pôles à plusieurs degrés (23 "
                "lauréats, une trentaine engagés, 150 identifiés) et, depuis un an, des "
                "coordinations régionales en Nord-Pas de Calais et en Rhône-Alpes.",
            ),
            (
                "fernandes",
                "La démarche est pilotée par le Labo de l'ESS avec un comité de pilotage "
                "(réseaux fondateurs et pôles engagés). Ses moyens : une coordination à plein "
                "temps au Labo, un travail sur l'accompagnement piloté par le CNCRES et le MES "
                "(poste depuis supprimé), le guide du RTES sur le rôle des collectivités. La "
                "charte ouvre une nouvelle étape.",
            ),
            (
                "lemaitre",
                "Bilan : des forces (définition et structuration, un plaidoyer qui a obtenu le "
                "premier appel à projets et la loi, la mobilisation des territoires) et des "
                "faiblesses (visibilité, manque de temps de rencontre nationale, ressources "
                "incertaines, dynamiques régionales inégales). Cinq chantiers d'ici 2020 : se "
                "connaître et se reconnaître, rechercher et développer, une stratégie collective "
                "(Europe, décentralisation), mobiliser des ressources (boîte à outils, "
                "accompagnement), analyser et valoriser (indicateurs, plaidoyer).",
            ),
            (
                "godey",
                "Enjeux pour 2015-2020 : la pérennité des structures et de leur modèle "
                "économique, la formation des animateurs et coordinateurs ; la démarche "
                "collective aide à rencontrer d'autres acteurs, mais on avance encore à tâtons.",
            ),
            (
                "cherfaoui",
                "Garder un état d'esprit de bienveillance, de patience et d'innovation pour "
                "changer le rapport aux institutions, et rester ouverts à ceux qui veulent "
                "rejoindre les pôles.",
            ),
            (
                "rosenberg",
                "Rester ouverts, mais accélérer, ce qui demande argent et légitimation ; les "
                "pôles non lauréats sont des PTCE à part entière : il faut un mode collectif de "
                "reconnaissance qui accepte la diversité.",
            ),
            (
                "montuzet",
                "Capitaliser vite sur ce que produisent les pôles pour disposer d'argumentaires, "
                "outiller les pôles de façon opérationnelle et faire place à tous, lauréats ou "
                "non.",
            ),
        ],
        "quotes": [
            (
                "fernandes",
                "La charte formalise l’existence d’une communauté de pôles, qui se reconnaissent "
                "autour de valeurs et de principes d’action partagés.",
                "PTCE Lille MétroPôle Solidaire",
                True,
            ),
            (
                "lemaitre",
                "Nos points forts ? Le travail de définition et de structuration de la démarche, "
                "un plaidoyer politique qui a permis le premier appel à projets et l’inscription "
                "dans la loi, la mobilisation des territoires en faveur des PTCE.",
                "PTCE Culture et Coopération à Saint-Étienne",
                True,
            ),
        ],
    },
    {
        "title": "Le débat avec la salle",
        "kind": K.DEBATE,
        "part": M,
        "moderator": "fernandes",
        "speakers": [
            ("ratouit", "depuis la salle"),
            ("courouble", "depuis la salle"),
            ("lasnier", "depuis la salle"),
            ("piot", "depuis la salle"),
            ("pavelot", "depuis la salle"),
            ("auclair", "depuis la salle"),
            ("ternot", "depuis la salle"),
            ("champroy", "depuis la salle"),
            ("caillon", "depuis la salle"),
            ("combes", "depuis la salle"),
            ("duclos", "depuis la salle"),
            ("grimaldi", "depuis la salle"),
            ("renaud", "depuis la salle"),
        ],
        "poles": ["les-ecossolies-le-solilab"],
        "summary": (
            "Les participants interrogent la démarche et font des propositions : financement "
            "par les citoyens, culture de la coopération, animation non financée, outils pour "
            "les territoires, partenaires sociaux, formation des accompagnateurs, démocratie "
            "économique, écologie, consolidation par les Régions."
        ),
        "interventions": [
            (
                "ratouit",
                "On ne peut plus compter sur les politiques comme avant : aux pôles de trouver "
                "des solutions, y compris financières (monnaies locales, financement "
                "participatif), auprès des citoyens.",
            ),
            (
                "fernandes",
                "Toucher les citoyens suppose de communiquer autrement.",
            ),
            (
                "courouble",
                "La culture de la coopération reste à construire, avec l'Éducation nationale, "
                "les acteurs de la formation, les chambres consulaires et les entreprises qui "
                "veulent coopérer sans savoir comment.",
            ),
            ("lasnier", "L'animation de la dynamique collective n'est pas financée."),
            (
                "piot",
                "Ayant tenté d'accompagner deux pôles (Seine-et-Marne, Lyon), elle constate que "
                "beaucoup ignorent ce qu'est un PTCE et propose un outil, comme un système de "
                "gestion, que les territoires pourraient utiliser pour créer de l'emploi.",
            ),
            (
                "fernandes",
                "Un pôle repose sur la confiance, ce qui rend son processus difficile à modéliser.",
            ),
            (
                "pavelot",
                "Quinze ans de pôles d'économie solidaire à Dijon ont forgé une expertise "
                "d'accompagnement de l'innovation sociale, qu'elle propose de partager.",
            ),
            (
                "auclair",
                "À Montreuil, sur une zone industrielle « verticale », le FabLab crée des "
                "synergies entre 50 entreprises et des candidats entrepreneurs (déchets, "
                "coworking) : valoriser le non-marchand et échanger des moyens plutôt que "
                "compter sur les subventions.",
            ),
            (
                "ternot",
                "La charte ne mentionne pas les partenaires sociaux ; les conditions de travail "
                "méritent l'attention.",
            ),
            (
                "champroy",
                "Il va sans doute accompagner un PTCE dans la Creuse et souhaite, avec l'Avise, "
                "une formation des chargés de mission à l'animation de projets de pôle.",
            ),
            (
                "caillon",
                "Il plaide pour un engagement dans la durée et a trouvé des industriels aux "
                "besoins communs, notamment de formation.",
            ),
            (
                "combes",
                "L'ESS résiste à une économie qui détruit emplois et territoires ; elle craint "
                "une dynamique trop technocratique qui oublierait la démocratie économique.",
            ),
            (
                "duclos",
                "Impressionné par ce que les PTCE ont déclenché, il voit dans la structuration "
                "financière le principal problème.",
            ),
            (
                "grimaldi",
                "L'environnement reste accessoire : elle demande une forte dimension écologique "
                "et d'utiliser la priorité des structures de l'ESS dans les marchés publics "
                "plutôt que de chercher des subventions.",
            ),
            (
                "renaud",
                "La mixité des entreprises fait de l'ESS une force économique ; sa Région, après "
                "une aide à l'émergence des PTCE, envisage de soutenir leur consolidation.",
            ),
        ],
        "quotes": [],
    },
    {
        "title": "Contribution des PTCE à la transformation de l'économie",
        "kind": K.PLENARY,
        "part": A,
        "moderator": "sibille",
        "speakers": [],
        "summary": (
            "Hugues Sibille, président de l'Avise et futur président du Labo de l'ESS, anime "
            "l'après-midi. Les PTCE sont pour lui une très bonne nouvelle, pour quatre raisons : "
            "ils partent du terrain, décloisonnent, cassent la séparation entre économie et "
            "culture et créent de la confiance. Il présente le déroulé de l'après-midi."
        ),
        "interventions": [],
        "quotes": [
            (
                "sibille",
                "Les PTCE sont une immense bonne nouvelle, mais qui nous donne des "
                "responsabilités pour réussir.",
                "président de l’Avise",
                True,
            ),
        ],
    },
    {
        "title": "Le regard de deux experts",
        "kind": K.PLENARY,
        "part": A,
        "moderator": "sibille",
        "speakers": [("calame", ""), ("fraisse", "")],
        "summary": (
            "Pierre Calame situe les PTCE dans la transition vers des sociétés durables, dont "
            "les territoires sont un élément clé ; Laurent Fraisse y voit la promesse d'un "
            "développement économique plus équilibré. Hugues Sibille en tire des conclusions "
            "provisoires."
        ),
        "interventions": [
            (
                "calame",
                "Reconnus par la loi deux ou trois ans après l'apparition du concept, les PTCE "
                "sont un court-circuit inhabituel. Le territoire n'est ni un espace ni une "
                "institution mais une communauté humaine faite de relations ; son capital est "
                "immatériel : des traditions de coopération. Le bien public se co-construit ; "
                "d'autres mouvements suivent la même logique (pactes locaux, échanges "
                "réciproques de savoirs, monnaies complémentaires, communs).",
            ),
            (
                "fraisse",
                "L'engouement révèle la recherche de coopérations dans une concurrence "
                "exacerbée. Prudence : ces initiatives sont émergentes et leur impact reste à "
                "évaluer. Enjeux pour l'ESS (synergies, consolidation, lien avec la recherche) et "
                "pour les territoires (circuits courts, éco-activités, espaces productifs "
                "locaux). Il souhaite que l'animation des PTCE soit soutenue comme celle des "
                "pôles de compétitivité.",
            ),
            (
                "sibille",
                "Trois conclusions provisoires : passer du défensif à l'offensif, la notion de "
                "bien public, l'ESS à l'origine des pôles sans en être le principe directeur. "
                "Trois risques : l'institutionnalisation, la bureaucratisation, le financement.",
            ),
        ],
        "quotes": [
            (
                "calame",
                "Pour réussir un changement systémique, il faut quatre types d’acteurs : des "
                "innovateurs (pour inventer), des théoriciens (pour changer de cadre "
                "conceptuel), des généralisateurs (pour changer d’échelle) et des régulateurs "
                "(pour changer les règles du jeu).",
                "président honoraire de FPH",
                True,
            ),
            (
                "fraisse",
                "Les PTCE ne prétendent pas faire émerger des champions à l’international, mais "
                "ils contribuent à relocaliser et à maintenir des espaces productifs locaux.",
                "chercheur au Crida et membre fondateur du Labo de l’ESS",
                True,
            ),
        ],
    },
    {
        "title": "La table-ronde avec les partenaires publics",
        "kind": K.ROUND_TABLE,
        "part": A,
        "moderator": "sibille",
        "speakers": [
            ("kretzschmar", "Régions"),
            ("maury", "Caisse des Dépôts"),
            ("carrey-conte", "Parlement"),
            ("du-bouetiez", "État"),
        ],
        "summary": (
            "Quatre partenaires publics (Régions, Caisse des Dépôts, Parlement, État) disent "
            "comment ils soutiennent les pôles et ce qu'il reste à régler : place de l'ESS dans "
            "les contrats État-Régions, structuration juridique minimale, application de la loi, "
            "soutien au-delà des seuls lauréats."
        ),
        "interventions": [
            (
                "kretzschmar",
                "Remplaçant Marie-Guite Dufay pour l'ARF, il rappelle que les Régions sont des "
                "acteurs politiques et non des tiroirs-caisses, et que presque toutes intègrent "
                "l'ESS à leur stratégie. Une collectivité soutient un pôle par une subvention "
                "directe (en général 20 000 à 50 000 € sur trois ans) ou en soutenant "
                "l'animation ; une douzaine de Régions le font déjà.",
            ),
            (
                "maury",
                "La Caisse des Dépôts a mis en œuvre l'enveloppe du premier appel à projets et "
                "sera du prochain, en 2015 ; chaque délégation régionale a un correspondant ESS "
                "et le Programme d'investissements d'avenir peut aussi servir. Mais il faut une "
                "structuration minimale, par exemple un groupement d'entreprises.",
            ),
            (
                "carrey-conte",
                "La loi est un beau texte, nécessaire mais pas suffisant : il faut la faire "
                "vivre (décrets, moyens, transversalité des politiques publiques). D'abord "
                "réservée sur la vision inclusive de l'ESS, elle a évolué au contact des pôles. "
                "Vigilance : distinguer initiateurs et associés, ne pas réserver le soutien "
                "public aux lauréats, garantir l'autonomie des acteurs.",
            ),
            (
                "du-bouetiez",
                "Le CGET réunit la Datar, le SGCIV et l'Acsé. La démarche est excellente et son "
                "évaluation a commencé tout de suite. Le soutien de l'État ne doit pas passer "
                "par le seul appel à projets : une centaine de pôles ont besoin d'être soutenus. "
                "Il faut aussi articuler les pôles avec les clusters et les contrats de ville, "
                "et travailler avec les chambres de commerce.",
            ),
        ],
        "quotes": [
            (
                "kretzschmar",
                "La préparation des prochains contrats État-Régions oblige à nous mettre "
                "d’accord sur la place impartie à l’Économie sociale et solidaire, y compris par "
                "rapport à l’utilisation des fonds structurels européens.",
                "vice-président du Conseil régional Rhône-Alpes, représentant l’Association "
                "des Régions de France",
                True,
            ),
            (
                "maury",
                "Au fil des ans, des choses qui ont émergé dans l’ESS sont reprises par les "
                "départements investisseurs de la Caisse.",
                "directeur du département développement économique et ESS de la Caisse des Dépôts",
                True,
            ),
            (
                "carrey-conte",
                "L’expérience des pôles montre que l’on peut dépasser certaines frontières si on "
                "est d’accord sur les objectifs. Ils sont eux-mêmes inclusifs.",
                "députée du 15e arrondissement de Paris",
                True,
            ),
            (
                "du-bouetiez",
                "La démarche est partie du terrain, a été travaillée au sein du Labo de l’ESS "
                "avec des universitaires, avant que l’État s’en saisisse avec le premier appel à "
                "projets.",
                "conseiller spécial de la Commissaire générale à l’égalité des territoires",
                True,
            ),
        ],
    },
    {
        "title": "Le débat avec la salle",
        "kind": K.DEBATE,
        "part": A,
        "moderator": "sibille",
        "speakers": [
            ("dondeyne", "depuis la salle"),
            ("kretzschmar", "réponse"),
            ("maury", "réponse"),
        ],
        "summary": (
            "La salle interroge la table ronde sur le financement : au-delà de l'appel à "
            "projets, quelle ambition pour le deuxième appel et quelle place pour les "
            "collectivités ?"
        ),
        "interventions": [
            (
                "dondeyne",
                "Il existe d'autres financements que l'appel à projets, mais le deuxième appel "
                "devrait dépasser 10 millions d'euros pour répondre aux besoins des ruralités.",
            ),
            (
                "kretzschmar",
                "Le premier appel ne prévoyait rien sur l'implication des collectivités ; une "
                "part des 100 millions d'euros fléchés vers l'ESS pourrait alimenter des fonds "
                "d'innovation sociale.",
            ),
            (
                "sibille",
                "L'idée serait d'appliquer à l'innovation sociale les avances remboursables "
                "qu'Oséo accordait à l'innovation technologique.",
            ),
            (
                "maury",
                "Ce serait un progrès si l'État, la Caisse et les collectivités unissaient leurs "
                "forces pour le prochain appel.",
            ),
        ],
        "quotes": [],
    },
    {
        "title": "Une première synthèse du côté des pôles",
        "kind": K.SYNTHESIS,
        "part": A,
        "speakers": [("lemaitre", ""), ("fernandes", "")],
        "summary": (
            "Colin Lemaître et Elena Fernandes reviennent à la tribune pour une première "
            "synthèse de ce que les porteurs de pôles ont mis en avant : trois « mots pour la "
            "route » et des « messages pour l'avenir »."
        ),
        "interventions": [
            (
                "lemaitre",
                "Une grande affirmation (les pôles rassemblent la diversité des acteurs, des "
                "réseaux et partenaires publics, des citoyens militants), une attente forte "
                "(consolider, changer d'échelle, se légitimer) et un changement de posture "
                "(bienveillance, patience, innovation) ; associer les habitants, mieux prendre "
                "en compte les bassins de vie, négocier des cadres d'expérimentation, intégrer "
                "les défis environnementaux avant la conférence sur le climat de 2015.",
            ),
            (
                "fernandes",
                "Les PTCE sont une dynamique d'entreprenants associés, pas un dispositif : il y a "
                "des ingrédients de réussite mais pas de recette. L'avenir se co-construit à "
                "partir des besoins des pôles ; il faut des rencontres régulières et "
                "conviviales pour rompre l'isolement.",
            ),
        ],
        "quotes": [
            (
                "lemaitre",
                "Les pôles expriment des préoccupations aussi bien opérationnelles (répondre à "
                "des besoins) que politiques (incarner le changement pour demain).",
                "PTCE Culture et Coopération à Saint-Étienne",
                True,
            ),
            (
                "fernandes",
                "N’est-ce pas notre capacité à rêver les pieds sur terre qui fait qu’on en est là "
                "aujourd’hui ?",
                "PTCE Lille MétroPôle Solidaire",
                True,
            ),
        ],
    },
    {
        "title": "Le débat avec la tribune et la salle",
        "kind": K.DEBATE,
        "part": A,
        "speakers": [
            ("delsart", "depuis la salle"),
            ("kretzschmar", "tribune"),
            ("du-bouetiez", "tribune"),
            ("carrey-conte", "tribune"),
            ("maury", "tribune"),
        ],
        "summary": (
            "Une proposition de la salle sur l'écologie, puis les réactions des partenaires "
            "publics à la synthèse."
        ),
        "interventions": [
            (
                "delsart",
                "Il propose un groupe informel des pôles à vocation écologique ; plusieurs "
                "mains se lèvent pour y participer.",
            ),
            (
                "kretzschmar",
                "Les pôles ont un vrai potentiel : répondre à des besoins pas ou mal satisfaits.",
            ),
            (
                "du-bouetiez",
                "Avec humour : il reste à consolider un pôle national de coopération pour le "
                "soutien aux PTCE, pour éviter la dispersion.",
            ),
            (
                "carrey-conte",
                "Saisir le secrétariat d'État à la simplification administrative ; les pôles "
                "servent un autre modèle de développement.",
            ),
            (
                "maury",
                "Passer du soutien en argent à l'apport en ingénierie, en capitalisant sur les "
                "premières expériences structurées.",
            ),
        ],
        "quotes": [],
    },
    {
        "title": "Conclusion de la table-ronde",
        "kind": K.SYNTHESIS,
        "part": A,
        "moderator": "sibille",
        "speakers": [("alphandery", "")],
        "summary": (
            "Applaudi à l'invitation de Hugues Sibille, Claude Alphandéry retient une journée "
            "passionnante qui ouvre une nouvelle étape, et dit ce qu'il attend de chacun : "
            "l'État, les collectivités, la Caisse des Dépôts et les pôles eux-mêmes."
        ),
        "interventions": [
            (
                "alphandery",
                "L'État doit saisir cette voie de redressement productif et social ; les "
                "collectivités, intégrer les pôles dans leurs contrats de plan ; la Caisse des "
                "Dépôts, soutenir leur accompagnement ; les pôles, élargir leurs partenariats et "
                "créer emplois et entreprises. Il salue l'innovation dans l'activité comme dans "
                "la gouvernance, et les 40 pôles signataires de la charte.",
            ),
        ],
        "quotes": [
            (
                "alphandery",
                "Une nouvelle étape de renforcement des pôles comme facteurs de dynamique "
                "territoriale, d’innovation sociale et de développement économique durable.",
                "président du Labo de l’ESS",
                True,
            ),
        ],
    },
    {
        "title": "Signature de la charte",
        "kind": K.CHARTER_SIGNING,
        "part": A,
        "speakers": [("delga", "contresignature"), ("alphandery", "invitation")],
        "summary": (
            "Dès l'ouverture, Françoise Bernon avait invité les pôles présents à signer la "
            "charte de la démarche collective PTCE dans la salle médias : 40 pôles l'ont signée "
            "ce jour-là. À l'invitation de Claude Alphandéry, la secrétaire d'État Carole Delga "
            "et les dirigeants des cinq réseaux co-organisateurs la contresignent à la tribune."
        ),
        "interventions": [],
        "quotes": [],
    },
    {
        "title": "Conclusion : Carole Delga",
        "kind": K.CLOSING,
        "part": A,
        "speakers": [("delga", "")],
        "summary": (
            "La secrétaire d'État conclut la journée : l'ESS, économie d'innovation et non de "
            "réparation, peut être le fer de lance d'un autre modèle de développement, y "
            "compris en Europe. Elle annonce le deuxième appel à projets de 2015."
        ),
        "interventions": [
            (
                "delga",
                "Elle salue l'enthousiasme des acteurs et la charte, « boîte à idées » de la "
                "démarche collective, rappelle la loi du 31 juillet 2014 et veut multiplier et "
                "connecter les pôles pour l'emploi non délocalisable. En 2013, 180 dossiers, 23 "
                "lauréats et 3 millions d'euros ; en 2015, un deuxième appel suivra les "
                "recommandations du SGMAP, avec un meilleur appui aux candidats, un cahier des "
                "charges plus détaillé et un suivi des lauréats.",
            ),
        ],
        "quotes": [
            (
                "delga",
                "Il faut refuser la fatalité, refuser l’idée qu’il n’existe qu’une seule manière "
                "d’entreprendre. L’ESS représente une modalité singulière, à la fois "
                "compétitive, résiliente, porteuse de sens et de valeurs.",
                "secrétaire d’État chargée du Commerce, de l’Artisanat, de la Consommation et "
                "de l’Économie sociale et solidaire.",
                True,
            ),
        ],
    },
]


def _organisations() -> dict[str, Organisation]:
    result = {}
    for key, (name, acronym) in ORGANISATIONS.items():
        org, _ = Organisation.objects.update_or_create(name=name, defaults={"acronym": acronym})
        result[key] = org
    return result


def _people(orgs) -> dict[str, Person]:
    from poles.models import Pole

    pole_slugs = {entry[3] for entry in PEOPLE.values() if entry[3]}
    poles = {pole.slug: pole for pole in Pole.objects.filter(slug__in=pole_slugs)}
    result = {}
    for key, (name, role, org_key, pole_slug) in PEOPLE.items():
        person, _ = Person.objects.update_or_create(
            slug=slugify(name),
            defaults={
                "name": name,
                "role": role,
                "organisation": orgs.get(org_key) if org_key else None,
                "pole": poles.get(pole_slug) if pole_slug else None,
            },
        )
        result[key] = person
    return result


def _set_organisers(event: Event, orgs, keys) -> None:
    for order, key in enumerate(keys, start=1):
        EventOrganisation.objects.update_or_create(
            event=event,
            organisation=orgs[key],
            role=EventOrganisation.Role.ORGANISER,
            defaults={"order": order},
        )


def _programme(event: Event, people, programme) -> None:
    from poles.models import Pole

    # Rebuilt from scratch so that re-running after an edit of the list leaves no stray row.
    event.sessions.all().delete()
    for order, spec in enumerate(programme, start=1):
        session = Session(
            event=event,
            order=order,
            title=spec["title"],
            kind=spec["kind"],
            part_of_day=spec.get("part", ""),
            summary=spec["summary"],
            moderator=people.get(spec.get("moderator")) if spec.get("moderator") else None,
        )
        session.full_clean()
        session.save()
        SessionSpeaker.objects.bulk_create(
            SessionSpeaker(session=session, person=people[key], order=i, label=label)
            for i, (key, label) in enumerate(spec["speakers"], start=1)
        )
        Intervention.objects.bulk_create(
            Intervention(session=session, person=people[key], order=i, summary=text)
            for i, (key, text) in enumerate(spec["interventions"], start=1)
        )
        Quote.objects.bulk_create(
            Quote(
                session=session,
                person=people[key],
                order=i,
                text=text,
                role_as_printed=role,
                is_pull_quote=pull,
            )
            for i, (key, text, role, pull) in enumerate(spec["quotes"], start=1)
        )
        if spec.get("poles"):
            session.poles.set(Pole.objects.filter(slug__in=spec["poles"]))


def seed_2012(orgs) -> Event:
    event, _ = Event.objects.update_or_create(
        slug="journee-nationale-2012",
        defaults={
            "title": "Première journée nationale des PTCE",
            "edition": 1,
            "date": date(2012, 6, 25),
            "summary": "La première rencontre nationale des pôles territoriaux de coopération "
            "économique.",
            "description": (
                "Le compte rendu de la deuxième journée nationale rappelle que le travail "
                "collectif des cinq réseaux (Le Labo de l'ESS, COORACE, le RTES, le CNCRES et "
                "le MES) pour analyser l'action des pôles a abouti à cette première journée "
                "nationale des PTCE, le 25 juin 2012. Le portail ne dispose pas encore de son "
                "programme ni de son compte rendu."
            ),
            "source": SOURCE_2014,
            "capacity": None,
            "registration_opens_at": None,
            "registration_closes_at": None,
            "is_demo": False,
        },
    )
    return event


def seed_2014(orgs, people) -> Event:
    event, _ = Event.objects.update_or_create(
        slug="journee-nationale-2014",
        defaults={
            "title": "Deuxième journée nationale des PTCE",
            "edition": 2,
            "date": date(2014, 9, 19),
            "venue": "Centre de conférences Pierre Mendès-France",
            "address": "Ministère de l'Économie et des Finances, Bercy",
            "city": "Paris",
            "summary": (
                "À Bercy, près de 400 participants, l'ouverture par Sylvia Pinel, quatre pôles "
                "à la tribune, une table ronde des partenaires publics et la signature de la "
                "charte par 40 pôles."
            ),
            "description": (
                "Plus de deux ans après la première, la deuxième journée nationale des pôles "
                "territoriaux de coopération économique réunit près de 400 participants au "
                "centre de conférences Pierre Mendès-France du ministère de l'Économie et des "
                "Finances. Sylvia Pinel l'ouvre, Carole Delga la conclut ; entre les deux, les "
                "réseaux fondateurs, quatre pôles, deux experts et quatre partenaires publics "
                "prennent la parole, et 40 pôles signent la charte de la démarche collective."
            ),
            "proceedings_summary": (
                "La journée affirme la communauté des PTCE, reconnue depuis peu par l'article 9 "
                "de la loi relative à l'ESS. Les pôles y disent leurs forces (diversité des "
                "acteurs, ancrage territorial, coopération entre public et privé) et leurs "
                "manques : lisibilité, temps de rencontre, ressources pour l'animation, "
                "outillage, capitalisation, indicateurs, et une reconnaissance qui accepte la "
                "diversité sans devenir un label. Les partenaires publics annoncent un deuxième "
                "appel à projets en 2015."
            ),
            "participants_count": 400,
            "participants_count_approx": True,
            "signatures_count": 40,
            "source": SOURCE_2014,
            "capacity": None,
            "registration_opens_at": None,
            "registration_closes_at": None,
            "is_demo": False,
        },
    )
    _set_organisers(event, orgs, ORGANISERS)
    _programme(event, people, PROGRAMME_2014)
    return event


def run(*, stdout=None) -> None:
    with transaction.atomic():
        orgs = _organisations()
        people = _people(orgs)
        seed_2012(orgs)
        seed_2014(orgs, people)
    if stdout is not None:
        stdout.write(
            f"events: {Event.objects.count()} journées, {Person.objects.count()} personnes, "
            f"{Session.objects.count()} séquences, {Quote.objects.count()} citations"
        )
