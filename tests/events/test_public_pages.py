import re

from django.urls import reverse

from events import demo as events_demo
from events import seed as events_seed
from events.models import Event, Person, Quote, Session
from tests.sources import in_report

EXPECTED_ORDER = [
    "Mot d'accueil",
    "Accueil : Sylvia Pinel",
    "Émergence de pratiques",
    "Des coopérations créatives pour leurs territoires",
    "La démarche collective",
    "Le débat avec la salle",
    "Contribution des PTCE à la transformation de l'économie",
    "Le regard de deux experts",
    "La table-ronde avec les partenaires publics",
    "Le débat avec la salle",
    "Une première synthèse du côté des pôles",
    "Le débat avec la tribune et la salle",
    "Conclusion de la table-ronde",
    "Signature de la charte",
    "Conclusion : Carole Delga",
]

# (beginning of the pull quote, name, attribution line as printed) — from the report.
PULL_QUOTES = [
    (
        "C’est grâce à vous, et à votre précieuse expérience",
        "Sylvia Pinel",
        "ministre du Logement, de l’égalité des Territoires et de la Ruralité",
    ),
    ("La charte des PTCE n’est pas un label", "Claude Alphandéry", "président du Labo de l’ESS"),
    ("Le PTCE n’est pas une réunion de plus", "Christophe Chevalier", "COORACE"),
    (
        "Les collectivités territoriales sont des acteurs économiques directs",
        "Henri Arévalo",
        "Réseau des collectivités Territoriales pour une Économie Solidaire",
    ),
    (
        "Inscrire un tel dispositif dans une loi",
        "Jean-Louis Cabrespines",
        "Conseil National des CRESS",
    ),
    (
        "Beaucoup d’initiatives nées dans les années 1980-90",
        "Bruno Lasnier",
        "Mouvement pour l’Économie Solidaire",
    ),
    ("Une grande diversité d’acteurs et partenaires", "Armand Rosenberg", "PTCE Domb’Innov"),
    ("L’animation des pôles de compétitivité", "Marion Godey", "PTCE La Coursive Boutaric"),
    (
        "Les liens avec les acteurs économiques sont plutôt bons",
        "Rachid Cherfaoui",
        "PTCE Pays de Bray",
    ),
    ("Avoir construit une coopération", "Stéphane Montuzet", "PTCE Sud Aquitain"),
    ("La charte formalise l’existence", "Elena Fernandes", "PTCE Lille MétroPôle Solidaire"),
    ("Nos points forts ?", "Colin Lemaître", "PTCE Culture et Coopération à Saint-Étienne"),
    ("Les PTCE sont une immense bonne nouvelle", "Hugues Sibille", "président de l’Avise"),
    ("Pour réussir un changement systémique", "Pierre Calame", "président honoraire de FPH"),
    (
        "Les PTCE ne prétendent pas",
        "Laurent Fraisse",
        "chercheur au Crida et membre fondateur du Labo de l’ESS",
    ),
    (
        "La préparation des prochains contrats État-Régions",
        "Cyril Kretzschmar",
        "vice-président du Conseil régional Rhône-Alpes, représentant l’Association des Régions "
        "de France",
    ),
    (
        "Au fil des ans",
        "Jean-Marc Maury",
        "directeur du département développement économique et ESS de la Caisse des Dépôts",
    ),
    (
        "L’expérience des pôles montre",
        "Fanélie Carrey-Conte",
        "députée du 15e arrondissement de Paris",
    ),
    (
        "La démarche est partie du terrain",
        "Thierry du Bouëtiez",
        "conseiller spécial de la Commissaire générale à l’égalité des territoires",
    ),
    (
        "Les pôles expriment des préoccupations",
        "Colin Lemaître",
        "PTCE Culture et Coopération à Saint-Étienne",
    ),
    ("N’est-ce pas notre capacité à rêver", "Elena Fernandes", "PTCE Lille MétroPôle Solidaire"),
    ("Une nouvelle étape de renforcement", "Claude Alphandéry", "président du Labo de l’ESS"),
    (
        "Il faut refuser la fatalité",
        "Carole Delga",
        "secrétaire d’État chargée du Commerce, de l’Artisanat, de la Consommation et de "
        "l’Économie sociale et solidaire.",
    ),
]


def text_of(html: str) -> str:
    """Visible text with tags dropped and whitespace collapsed."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).replace("&#x27;", "'").split())


def test_list_shows_both_national_days_and_the_demo(client, seeded_events):
    response = client.get(reverse("events:list"))
    assert response.status_code == 200
    text = text_of(response.content.decode())
    assert "Première journée nationale des PTCE" in text
    assert "Deuxième journée nationale des PTCE" in text
    assert "Lundi 25 juin 2012" in text
    assert "Vendredi 19 septembre 2014" in text
    upcoming, past = text.split("Journées passées")
    assert "Journée nationale de démonstration" in upcoming
    assert "Démonstration" in upcoming
    assert "Deuxième journée" in past and "Première journée" in past


def test_2014_page_has_the_sessions_in_the_report_order(client, day_2014):
    html = client.get(day_2014.get_absolute_url()).content.decode()
    titles = re.findall(r'<h4 id="sequence-\d+-titre" class="session-title">(.*?)</h4>', html)
    assert [t.replace("&#x27;", "'") for t in titles] == EXPECTED_ORDER
    assert list(day_2014.sessions.values_list("title", flat=True)) == EXPECTED_ORDER
    text = text_of(html)
    assert "près de 400 participant·es" in text
    assert "Centre de conférences Pierre Mendès-France" in text


def test_2014_page_names_at_least_25_speakers_with_their_roles(client, day_2014):
    html = client.get(day_2014.get_absolute_url()).content.decode()
    section = html.split('id="intervenants"')[1].split("</section>")[0]
    items = re.findall(
        r"<li>\s*<a href=\"([^\"]+)\">([^<]+)</a>\s*<span class=\"muted\">([^<]+)</span>", section
    )
    assert len(items) >= 25
    named = {name: role for _, name, role in items}
    assert named["Sylvia Pinel"].startswith("ministre du Logement")
    assert named["Hugues Sibille"] == "président de l&#x27;Avise"
    assert named["Thierry du Bouëtiez"].startswith("conseiller spécial")
    assert all(role.strip() for role in named.values())
    for url, _, _ in items:
        assert url.startswith("/journees/journee-nationale-2014/intervenants/")


def test_pull_quotes_are_verbatim_and_attributed_to_the_right_person(client, day_2014):
    pull = Quote.objects.filter(session__event=day_2014, is_pull_quote=True).select_related(
        "person"
    )
    assert pull.count() == len(PULL_QUOTES) == 23
    html = client.get(day_2014.get_absolute_url()).content.decode()
    figures = re.findall(r'<figure class="event-quote">(.*?)</figure>', html, flags=re.S)
    rendered = [text_of(f).replace("&#x27;", "'").replace(" ,", ",") for f in figures]
    for start, name, role in PULL_QUOTES:
        quote = pull.get(text__startswith=start)
        assert quote.person.name == name
        assert quote.role_as_printed == role
        matches = [r for r in rendered if start in r]
        assert len(matches) == 1, start
        assert matches[0].endswith(f"— {name}, {role}")


def test_quotes_match_the_report_word_for_word():
    people = events_seed.people_rows()
    for day in events_seed.national_days():
        for session in day.get("programme", []):
            for quote in session["quotes"]:
                assert in_report(quote["text"]), quote["text"][:50]
                if quote.get("role_as_printed"):
                    name = people[quote["person"]]["name"]
                    assert in_report(f"{name}, {quote['role_as_printed']}")


def test_poles_that_spoke_link_to_their_directory_page(client, day_2014):
    html = client.get(day_2014.get_absolute_url()).content.decode()
    section = html.split('id="poles"')[1].split("</section>")[0]
    for slug in [
        "domb-innov",
        "la-coursive-boutaric",
        "ptce-pays-de-bray",
        "ptce-sud-aquitain",
        "lille-metropole-solidaire",
        "culture-cooperation",
        "les-ecossolies-le-solilab",
        "pole-sud",
    ]:
        assert f'href="/poles/{slug}/"' in section


def test_charter_signatures_of_the_day_or_the_report_figure(client, day_2014):
    text = text_of(client.get(day_2014.get_absolute_url()).content.decode())
    assert "Signatures de la charte ce jour-là" in text
    assert ("40 pôles ont signé la charte" in text) or ("validées à la date" in text)


def test_speaker_page_shows_what_they_said(client, day_2014):
    url = reverse("events:person", args=[day_2014.slug, "marion-godey"])
    text = text_of(client.get(url).content.decode()).replace("&#x27;", "'")
    assert "Marion Godey" in text
    assert "La Coursive Boutaric" in text
    assert "Des coopérations créatives pour leurs territoires" in text
    assert "La démarche collective" in text
    assert "L’animation des pôles de compétitivité" in text


def test_unknown_day_or_person_is_a_404(client, day_2014):
    assert client.get("/journees/pas-de-journee/").status_code == 404
    assert client.get(reverse("events:person", args=[day_2014.slug, "inconnu"])).status_code == 404
    # A real person who did not speak that day.
    Person.objects.create(name="Personne Absente", slug="personne-absente")
    assert (
        client.get(reverse("events:person", args=[day_2014.slug, "personne-absente"])).status_code
        == 404
    )


def test_2012_page_says_only_what_is_known(client, seeded_events):
    event = Event.objects.get(slug="journee-nationale-2012")
    text = text_of(client.get(event.get_absolute_url()).content.decode())
    assert "25 juin 2012" in text
    assert "Programme" not in text
    assert event.sessions.count() == 0


def test_detail_query_count_is_flat(client, day_2014, django_assert_max_num_queries):
    with django_assert_max_num_queries(25):
        assert client.get(day_2014.get_absolute_url()).status_code == 200


def test_seed_is_idempotent(seeded_events):
    counts = (
        Event.objects.count(),
        Person.objects.count(),
        Session.objects.count(),
        Quote.objects.count(),
    )
    events_seed.run()
    events_demo.demo_day()
    assert counts == (
        Event.objects.count(),
        Person.objects.count(),
        Session.objects.count(),
        Quote.objects.count(),
    )
    assert counts[0] == 3 and counts[1] >= 25


def test_home_figures(seeded_events):
    from events.selectors import home_figures

    figures = home_figures()
    assert figures["events_last_participants"]["value"] == "≈ 400"
    assert "19 septembre 2014" in figures["events_last_participants"]["label"]
    assert figures["events_national_days"]["value"] == 2
    assert "events_next_day" not in figures  # the demo day is not announced on the home page
    Event.objects.filter(slug="journee-demonstration").update(is_demo=False)
    assert home_figures()["events_next_day"]["label"].startswith("prochaine journée")


def test_list_counts_the_same_people_as_the_day_page(
    client, day_2014, django_assert_max_num_queries
):
    with django_assert_max_num_queries(12):
        text = text_of(client.get(reverse("events:list")).content.decode())
    assert "15 séquences au programme · 36 personnes nommées" in text
