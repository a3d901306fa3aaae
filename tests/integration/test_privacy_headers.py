"""Personal pages stay out of caches (`Cache-Control: private, no-store`), and every response
says which browser features the portal refuses (Permissions-Policy): the URLs of the
permission matrix, requested by the person they belong to."""

import pytest

from tests.integration.test_permission_matrix import get, targets

pytestmark = pytest.mark.django_db

# (matrix key, role): every personal page and personal-link page, opened by its owner.
PERSONAL_PAGES = [
    ("dashboard", "user"),
    ("account_email", "user"),
    ("account_change_password", "user"),
    ("account_delete", "user"),
    ("mfa_index", "user"),
    ("personal_data_export", "user"),
    ("account_confirm_email[forged]", "anonymous"),
    ("account_reset_password_from_key[forged]", "anonymous"),
    ("referential:coordinator_home", "coordinator"),
    ("referential:assessment[closed]", "coordinator"),
    ("referential:results[closed]", "coordinator"),
    ("referential:report_pdf[closed]", "coordinator"),
    ("referential:answer_home[open]", "anonymous"),
    ("referential:answer_page[open]", "anonymous"),
    ("referential:token_results[answered]", "anonymous"),
    ("referential:token_report_pdf[answered]", "anonymous"),
    ("events:registration_manage", "anonymous"),
    ("charter:signature[pending]", "coordinator"),
    ("charter:sign", "user"),
    ("poles:edit[X]", "coordinator"),
]

PUBLIC_PAGES = ["home", "poles:directory", "poles:map", "charter:current", "events:list"]


def test_personal_pages_are_private_and_never_stored(world, clients):
    found, _missing = targets(world)
    wrong = []
    for key, role in PERSONAL_PAGES:
        url, _expected = found[key]
        response = get(clients[role], url)
        assert response.status_code == 200, (key, role, response.status_code)
        if response.get("Cache-Control") != "private, no-store":
            wrong.append(f"{key} ({role}) {url}: {response.get('Cache-Control')!r}")
    assert not wrong, "personal pages that caches may keep:\n" + "\n".join(wrong)


def test_public_pages_stay_cacheable_for_the_public(world, clients):
    found, _missing = targets(world)
    for key in PUBLIC_PAGES:
        response = get(clients["anonymous"], found[key][0])
        assert response.status_code == 200
        assert "no-store" not in response.get("Cache-Control", ""), key
        # The same page for a signed-in member names them: private.
        assert get(clients["user"], found[key][0])["Cache-Control"] == "private, no-store"


def test_every_response_carries_the_permissions_policy(world, clients):
    found, _missing = targets(world)
    missing = []
    for key, (url, _expected) in sorted(found.items()):
        for role in ("anonymous", "coordinator", "staff_without_2fa"):
            response = get(clients[role], url)
            policy = response.get("Permissions-Policy", "")
            if "camera=()" not in policy or "geolocation=()" not in policy:
                missing.append(f"{key} ({role})")
    assert not missing, f"{len(missing)} response(s) without Permissions-Policy: {missing[:20]}"
