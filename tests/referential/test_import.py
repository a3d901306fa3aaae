import csv
import io

import pytest
import yaml
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from referential.importer import ReferentialFileError, parse_referential
from referential.models import GeneralObjective, Indicator, PrincipalObjective, ReferentialVersion
from referential.seed import WORKING_VERSION
from referential.services import version_import, version_publish
from tests.factories import StaffFactory


def working_data() -> dict:
    return yaml.safe_load(WORKING_VERSION.read_text(encoding="utf-8"))


def to_yaml(data) -> bytes:
    return yaml.safe_dump(data, allow_unicode=True).encode("utf-8")


def to_csv(data, *, drop_last=False, delimiter=";") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(
        [
            "objectif_general_code",
            "objectif_general",
            "objectif_principal_code",
            "objectif_principal",
            "objectif_principal_court",
            "indicateur_code",
            "question",
            "aide",
        ]
    )
    rows = []
    for g in data["objectifs_generaux"]:
        for p in g["objectifs_principaux"]:
            for i in p["indicateurs"]:
                rows.append(
                    [
                        g["code"],
                        g["titre"],
                        p["code"],
                        p["titre"],
                        p["titre_court"],
                        i["code"],
                        i["question"],
                        i["aide"],
                    ]
                )
    if drop_last:
        rows.pop()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def nothing_imported():
    return (
        ReferentialVersion.objects.count() == 0
        and GeneralObjective.objects.count() == 0
        and Indicator.objects.count() == 0
    )


def test_yaml_import_creates_a_draft_version(db):
    data = working_data()
    data["version"]["code"] = "officielle-v3-7"
    parsed = parse_referential(to_yaml(data), filename="ref.yaml")
    version = version_import(parsed=parsed)
    assert not version.is_published
    assert Indicator.objects.filter(version=version).count() == 36
    version_publish(version=version)
    version.refresh_from_db()
    assert version.is_published


def test_csv_import_with_code_and_title(db):
    parsed = parse_referential(
        to_csv(working_data()), filename="ref.csv", code="csv-2015", title="Version CSV"
    )
    version = version_import(parsed=parsed, publish=True)
    assert version.is_published
    assert Indicator.objects.filter(version=version).count() == 36
    assert PrincipalObjective.objects.get(version=version, code="2.3").short_title


def test_csv_with_35_questions_is_refused(db):
    with pytest.raises(ReferentialFileError) as exc:
        parse_referential(
            to_csv(working_data(), drop_last=True), filename="ref.csv", code="x", title="X"
        )
    text = " ".join(exc.value.errors)
    assert "35" in text and "36" in text
    assert "3.3" in text  # the principal objective that lacks an indicator
    assert nothing_imported()


def test_yaml_with_35_questions_is_refused(db):
    data = working_data()
    data["objectifs_generaux"][0]["objectifs_principaux"][1]["indicateurs"].pop()
    with pytest.raises(ReferentialFileError) as exc:
        parse_referential(to_yaml(data), filename="ref.yaml")
    assert any("1.2" in e and "4 indicateurs" in e for e in exc.value.errors)
    assert nothing_imported()


def test_duplicate_code_is_refused(db):
    data = working_data()
    data["objectifs_generaux"][1]["objectifs_principaux"][0]["indicateurs"][3]["code"] = "2.1.1"
    with pytest.raises(ReferentialFileError) as exc:
        parse_referential(to_yaml(data), filename="ref.yaml")
    assert any("Code en double" in e and "2.1.1" in e for e in exc.value.errors)


def test_wrong_shape_two_general_objectives(db):
    data = working_data()
    data["objectifs_generaux"].pop()
    with pytest.raises(ReferentialFileError) as exc:
        parse_referential(to_yaml(data), filename="ref.yaml")
    assert any("exactement 3 objectifs généraux" in e for e in exc.value.errors)


def test_bad_encoding_is_refused(db):
    raw = to_csv(working_data()).decode("utf-8").encode("latin-1", errors="replace")
    with pytest.raises(ReferentialFileError) as exc:
        parse_referential(raw, filename="ref.csv", code="x", title="X")
    assert "UTF-8" in exc.value.errors[0]


def test_unreadable_yaml_and_unknown_extension(db):
    with pytest.raises(ReferentialFileError) as exc:
        parse_referential(b"version: [unclosed", filename="ref.yaml")
    assert "YAML illisible" in exc.value.errors[0]
    with pytest.raises(ReferentialFileError):
        parse_referential(b"{}", filename="ref.json")


def test_existing_code_is_refused_and_nothing_changes(version):
    parsed = parse_referential(WORKING_VERSION.read_bytes(), filename="w.yaml")
    with pytest.raises(ReferentialFileError) as exc:
        version_import(parsed=parsed)
    assert "existe déjà" in exc.value.errors[0]
    assert Indicator.objects.count() == 36


def test_publish_refuses_a_version_with_35_questions(version):
    data = working_data()
    data["version"]["code"] = "brouillon"
    draft = version_import(parsed=parse_referential(to_yaml(data), filename="d.yaml"))
    Indicator.objects.filter(version=draft, code="3.3.4").delete()
    with pytest.raises(ValidationError) as exc:
        version_publish(version=draft)
    assert any("3.3" in m for m in exc.value.messages)
    draft.refresh_from_db()
    assert not draft.is_published


def test_management_command(tmp_path, db):
    good = tmp_path / "ok.csv"
    good.write_bytes(to_csv(working_data(), delimiter=","))
    bad = tmp_path / "bad.csv"
    bad.write_bytes(to_csv(working_data(), drop_last=True))
    with pytest.raises(CommandError, match="Rien n'a été importé"):
        call_command("import_referential", str(bad), "--code", "bad", "--title", "Bad")
    assert nothing_imported()
    out = io.StringIO()
    call_command(
        "import_referential",
        str(good),
        "--code",
        "v37",
        "--title",
        "V 3.7",
        "--publish",
        stdout=out,
    )
    assert "36 questions" in out.getvalue()
    assert ReferentialVersion.objects.get(code="v37").is_published


def test_admin_upload(client, db):
    client.force_login(StaffFactory())
    url = "/admin/referential/referentialversion/importer/"
    assert client.get(url).status_code == 200
    bad = SimpleUploadedFile("ref.csv", to_csv(working_data(), drop_last=True))
    response = client.post(url, {"file": bad, "code": "bad", "title": "Bad"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "a été importé" in html and "35" in html
    assert nothing_imported()
    good = SimpleUploadedFile("ref.yaml", to_yaml(working_data()))
    response = client.post(url, {"file": good, "publish": "on"})
    assert response.status_code == 302
    assert ReferentialVersion.objects.get(code="travail-2014").is_published
    version = ReferentialVersion.objects.get(code="travail-2014")
    assert client.get("/admin/referential/referentialversion/").status_code == 200
    change = client.get(f"/admin/referential/referentialversion/{version.pk}/change/")
    assert change.status_code == 200
    assert "Cultiver et servir le territoire" in change.content.decode()
    principal = PrincipalObjective.objects.get(version=version, code="1.1")
    url = f"/admin/referential/principalobjective/{principal.pk}/change/"
    assert client.get(url).status_code == 200


def alias_bomb(levels: int = 9) -> bytes:
    """Nested aliases: 440 bytes that expand to 9**9 items once walked (it cost seconds of
    CPU and gigabytes of memory when the importer printed the version code)."""
    lines = ["a0: &a0 [x,x,x,x,x,x,x,x,x]"]
    for i in range(1, levels):
        lines.append(f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]")
    lines += ["version:", f"  code: *a{levels - 1}", "objectifs_generaux: []"]
    return "\n".join(lines).encode()


def test_yaml_aliases_and_anchors_are_refused_before_anything_is_expanded(client, db):
    with pytest.raises(ReferentialFileError) as exc:
        parse_referential(alias_bomb(), filename="bombe.yaml")
    assert exc.value.errors == [
        "Le fichier YAML utilise une ancre ou un alias (« & » ou « * », ligne 1) : ils sont "
        "refusés par sécurité. Écrivez chaque valeur en entier."
    ]
    # An anchor alone is refused too (the portal's data never needs one).
    data = working_data()
    text = to_yaml(data).decode().replace("version:", "version: &v", 1)
    with pytest.raises(ReferentialFileError, match="ancre ou un alias"):
        parse_referential(text.encode(), filename="ancre.yaml")

    client.force_login(StaffFactory())
    url = "/admin/referential/referentialversion/importer/"
    response = client.post(url, {"file": SimpleUploadedFile("bombe.yml", alias_bomb())})
    assert response.status_code == 400
    assert "ancre ou un alias" in response.text
    assert len(response.content) < 100_000  # nothing expanded into the page
    assert nothing_imported()


def test_deep_nesting_and_lists_in_place_of_texts_are_refused_with_a_message(db):
    deep = b"version: " + b"[" * 5000 + b"]" * 5000  # was a RecursionError (a 500)
    with pytest.raises(ReferentialFileError, match="plus de 20 niveaux"):
        parse_referential(deep, filename="profond.yaml")
    data = working_data()
    data["version"]["code"] = ["une", "liste"]
    with pytest.raises(ReferentialFileError, match="liste ou un dictionnaire"):
        parse_referential(to_yaml(data), filename="liste.yaml")
    # The portal's own file still reads.
    assert parse_referential(WORKING_VERSION.read_bytes(), filename="w.yaml").question_count == 36
