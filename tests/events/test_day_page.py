"""A long day page keeps its table of contents in view: a sticky column on a wide screen,
a link back to it at the bottom of the screen on a phone (CSS only, no inline style)."""

import pytest


@pytest.mark.django_db
def test_the_programme_has_a_table_of_contents_that_stays_in_view(client, day_2014, settings):
    html = client.get(day_2014.get_absolute_url()).content.decode()
    assert '<section class="programme"' in html
    assert 'id="programme-en-bref"' in html
    assert 'href="#programme-en-bref"' in html  # the way back from anywhere in the programme
    assert "style=" not in html.split("<main", 1)[1]
    css = (settings.BASE_DIR / "static" / "events" / "events.css").read_text()
    assert ".programme-toc { position: sticky" in css
