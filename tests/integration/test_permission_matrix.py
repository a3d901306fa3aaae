"""The permission matrix: every URL pattern of the project, requested (GET) by each role,
answers the status this table expects.

Roles: the public (anonymous), a member (verified account, no pole), the coordinator of pole
X (Domb'Innov, plus an unpublished pole of their own), the coordinator of another pole Y
(object-level rules: X's private pages are refused to them), the regional coordination of
X's former region (Rhône-Alpes: moderates X's requests and edits, nothing else; TOTP, which
it cannot deactivate, as staff), staff
(staff group, TOTP), and a staff account without its second factor yet (sent to the TOTP
activation page from every page but the account pages).

A route with no entry fails the test: whoever adds a URL says here who may open it. Admin
URLs are generated: the index, each app's page, and for every registered model its
changelist, add, change, history and delete pages (staff get 200 when the staff group holds
the matching permission, 403 otherwise; the history of an audited model sends to its
audit log: R); other admin URLs need an entry in ADMIN_MATRIX.

Notation, one token per role in ROLES order: a status code; `L` = 302 to the login page
(/compte/login/?next=…); `A` = 302 to the admin login; `2FA` = 302 to the second-factor page;
`R` = 302 elsewhere (a page that sends on, e.g. a form done, a logout). `MATRIX_PRINT=1`
prints the observed table (to update it after adding routes; then read it before pasting).
"""

import copy
import os

import pytest
from django.contrib import admin
from django.db import transaction
from django.http import HttpResponseServerError
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse

from tests.integration.world import all_routes

pytestmark = pytest.mark.django_db

ROLES = (
    "anonymous",
    "user",
    "coordinator",
    "other_coordinator",
    "regional",
    "staff",
    "staff_without_2fa",
)


# --- Path parameters: real objects of the world, one or more named cases per route -------


def _kwargs(o) -> dict[str, dict[str, dict]]:
    """route name -> {case: kwargs}; the case "" when there is only one."""
    pole, other = o["pole"], o["other_pole"]
    validated, pending = o["validated_signature"], o["pending_signature"]
    closed, opened = o["closed_assessment"], o["open_assessment"]
    day, upcoming = o["day_2014"], o["upcoming"]
    assessments = {"closed": {"pk": closed.pk}, "open": {"pk": opened.pk}}
    tokens = {
        "answered": {"token": o["answered_invitation"].token},
        "open": {"token": o["open_invitation"].token},
    }
    days = {"2014": {"slug": day.slug}, "upcoming": {"slug": upcoming.slug}}
    return {
        "account_confirm_email": {"forged": {"key": "cle-inventee"}},
        "account_reset_password_from_key": {"forged": {"uidb36": "zz", "key": "cle-inventee"}},
        "poles:detail": {
            "X": {"slug": pole.slug},
            "Y": {"slug": other.slug},
            "unpublished": {"slug": o["unpublished_pole"].slug},
        },
        "poles:claim": {"X": {"slug": pole.slug}},
        "observatory:report_pdf": {"2024": {"year": 2024}, "unknown": {"year": 2099}},
        "poles:moderation_decide": {
            "request": {"kind": "demande", "pk": o["coordination_request"].pk},
            "revision": {"kind": "modification", "pk": o["pole_revision"].pk},
        },
        "poles:edit": {"X": {"slug": pole.slug}, "Y": {"slug": other.slug}},
        "poles:pictures": {"X": {"slug": pole.slug}},
        "charter:version": {"": {"number": validated.version.number}},
        "charter:signature": {
            "validated": {"code": validated.verification_code},
            "pending": {"code": pending.verification_code},
        },
        "charter:signature_pdf": {"validated": {"code": validated.verification_code}},
        "charter:withdraw": {
            "validated": {"code": validated.verification_code},
            "pending": {"code": pending.verification_code},
        },
        "charter:verify": {"": {"code": validated.verification_code}},
        "charter:decide": {"": {"code": pending.verification_code}},
        "charter:withdrawal_decide": {"": {"code": validated.verification_code}},
        **{
            f"referential:{name}": assessments
            for name in ("assessment", "invite", "close", "results", "report_pdf")
        },
        **{
            f"referential:invitation_{name}": {"": {"pk": o["open_invitation"].pk}}
            for name in ("resend", "revoke")
        },
        **{
            f"referential:{name}": tokens
            for name in ("answer_home", "answer_autosave", "token_results", "token_report_pdf")
        },
        "referential:answer_page": {
            "open": {"token": o["open_invitation"].token, "part": 1},
            "answered": {"token": o["answered_invitation"].token, "part": 3},
        },
        **{
            f"events:{name}": days
            for name in (
                "detail",
                "proceedings",
                "ics",
                "register",
                "registration_sent",
                "participants",
                "staff_participants",
                "staff_participants_csv",
                "staff_email",
            )
        },
        **{
            f"resources:{name}": {
                "published": {"slug": o["published_resource"].slug},
                "draft": {"slug": o["draft_resource"].slug},
            }
            for name in ("detail", "edit", "submit")
        },
        "resources:decide": {"": {"slug": o["published_resource"].slug}},
        **{
            f"resources:{name}": {
                kind: {
                    "slug": o[f"{kind}_resource"].slug,
                    "pk": o[f"{kind}_resource"].attachments.get().pk,
                }
                for kind in ("published", "draft")
            }
            for name in ("attachment", "attachment_delete")
        },
        "events:person": {"": {"slug": day.slug, "person_slug": o["speaker"].slug}},
        "events:registration_manage": {
            "": {"slug": upcoming.slug, "token": o["registration"].token}
        },
        "events:staff_check_in": {"": {"slug": upcoming.slug, "pk": o["registration"].pk}},
        "events:staff_certificate": {"": {"slug": upcoming.slug, "pk": o["checked_in"].pk}},
        **{
            f"observatory:{name}": {"": {"slug": pole.slug, "year": 2026}}
            for name in ("report_edit", "report_autosave", "staff_review")
        },
        **{
            f"observatory:{name}": {"": {"year": 2026}}
            for name in ("staff_campaign", "staff_campaign_state")
        },
        "resources:help_offers": {"X": {"slug": pole.slug}, "Y": {"slug": other.slug}},
        "resources:exchange_new": {"X-asks-Y": {"slug": pole.slug, "offer": o["help_offer"].pk}},
        "resources:exchange": {"X-asks-Y": {"pk": o["exchange"].pk}},
        "resources:exchange_decide": {"X-asks-Y": {"pk": o["exchange"].pk}},
        "resources:exchange_withdraw": {"X-asks-Y": {"pk": o["exchange"].pk}},
    }


# fmt: off
# --- The table -----------------------------------------------------------------------------
# Tokens: anonymous, member, coordinator of X, coordinator of Y, regional coordination of X's
# (former) region, staff, staff without a second factor yet. Rules worth knowing:
# staff pages are a 404 for signed-in people who are not staff (not advertised); a pole's
# self-assessments belong to its coordinators (staff see the national overview only); a
# coordinator of Y gets 403 on X's edit page and 404 on X's signatures and assessments.
MATRIX = {
    "account_change_password":                   "L   200 200 200 200 200 200",
    "account_confirm_email[forged]":             "200 200 200 200 200 200 200",
    "account_confirm_login_code":                "R   R   R   R   R   R   R",
    "account_confirm_reauthentication_code":     "L   R   R   R   R   R   R",
    "account_delete":                            "L   200 200 200 200 200 2FA",
    "account_email":                             "L   200 200 200 200 200 200",
    "account_email_verification_sent":           "200 200 200 200 200 200 200",
    "account_inactive":                          "200 200 200 200 200 200 200",
    "account_login":                             "200 R   R   R   R   R   R",
    "account_logout":                            "R   200 200 200 200 200 200",
    "account_reauthenticate":                    "L   200 200 200 200 200 200",
    "account_request_reauthentication_code":     "L   200 200 200 200 200 200",
    "account_resend_verification":               "405 405 405 405 405 405 405",
    "account_reset_password":                    "200 200 200 200 200 200 200",
    "account_reset_password_done":               "200 200 200 200 200 200 200",
    "account_reset_password_from_key[forged]":   "200 200 200 200 200 200 200",
    "account_reset_password_from_key_done":      "200 200 200 200 200 200 200",
    "account_set_password":                      "L   R   R   R   R   R   R",
    "account_signup":                            "200 R   R   R   R   R   R",
    "charter:current":                           "200 200 200 200 200 200 2FA",
    "charter:decide":                            "L   404 404 404 404 405 2FA",
    "charter:sign":                              "L   200 200 200 200 200 2FA",
    "charter:signatories":                       "200 200 200 200 200 200 2FA",
    "charter:signatories_csv":                   "200 200 200 200 200 200 2FA",
    "charter:signature[pending]":                "L   404 200 404 404 200 2FA",
    "charter:signature[validated]":              "L   404 200 404 404 200 2FA",
    "charter:signature_pdf[validated]":          "L   404 200 404 404 200 2FA",
    "charter:validation":                        "L   404 404 404 404 200 2FA",
    "charter:verify":                            "200 200 200 200 200 200 2FA",
    "charter:verify_form":                       "200 200 200 200 200 200 2FA",
    "charter:version":                           "R   R   R   R   R   R   2FA",
    "charter:withdraw[pending]":                 "L   404 200 404 404 200 2FA",
    "charter:withdraw[validated]":               "L   404 200 404 404 200 2FA",
    "charter:withdrawal_decide":                 "L   404 404 404 404 405 2FA",
    "dashboard":                                 "L   200 200 200 200 200 2FA",
    "events:detail[2014]":                       "200 200 200 200 200 200 2FA",
    "events:detail[upcoming]":                   "200 200 200 200 200 200 2FA",
    "events:ics[2014]":                          "404 404 404 404 404 404 2FA",
    "events:ics[upcoming]":                      "200 200 200 200 200 200 2FA",
    "events:list":                               "200 200 200 200 200 200 2FA",
    "events:participants[2014]":                 "404 404 404 404 404 404 2FA",
    "events:participants[upcoming]":             "200 200 200 200 200 200 2FA",
    "events:person":                             "200 200 200 200 200 200 2FA",
    "events:proceedings[2014]":                  "200 200 200 200 200 200 2FA",
    "events:proceedings[upcoming]":              "404 404 404 404 404 404 2FA",
    "events:register[2014]":                     "200 200 200 200 200 200 2FA",
    "events:register[upcoming]":                 "200 200 200 200 200 200 2FA",
    "events:registration_manage":                "200 200 200 200 200 200 2FA",
    "events:registration_sent[2014]":            "200 200 200 200 200 200 2FA",
    "events:registration_sent[upcoming]":        "200 200 200 200 200 200 2FA",
    "events:staff_certificate":                  "L   404 404 404 404 200 2FA",
    "events:staff_check_in":                     "L   404 404 404 404 405 2FA",
    "events:staff_email[2014]":                  "L   404 404 404 404 200 2FA",
    "events:staff_email[upcoming]":              "L   404 404 404 404 200 2FA",
    "events:staff_participants[2014]":           "L   404 404 404 404 200 2FA",
    "events:staff_participants[upcoming]":       "L   404 404 404 404 200 2FA",
    "events:staff_participants_csv[2014]":       "L   404 404 404 404 200 2FA",
    "events:staff_participants_csv[upcoming]":   "L   404 404 404 404 200 2FA",
    "health":                                    "200 200 200 200 200 200 200",
    "home":                                      "200 200 200 200 200 200 2FA",
    "legal_notice":                              "200 200 200 200 200 200 2FA",
    "mfa_activate_totp":                         "L   R   R   R   R   R   R",
    "mfa_authenticate":                          "R   R   R   R   R   R   R",
    "mfa_deactivate_totp":                       "L   404 404 404 R   R   404",
    "mfa_download_recovery_codes":               "L   404 404 404 404 404 404",
    "mfa_generate_recovery_codes":               "L   R   R   R   R   R   R",
    "mfa_index":                                 "L   200 200 200 200 200 200",
    "mfa_reauthenticate":                        "L   R   R   R   200 200 R",
    "mfa_view_recovery_codes":                   "L   404 404 404 404 404 404",
    "observatory:report_autosave":               "L   405 405 405 405 405 2FA",
    "observatory:report_edit":                   "L   404 200 404 404 404 2FA",
    "observatory:staff_campaign":                "L   404 404 404 404 200 2FA",
    "observatory:staff_campaign_state":          "L   404 404 404 404 405 2FA",
    "observatory:staff_campaigns":               "L   404 404 404 404 200 2FA",
    "observatory:staff_review":                  "L   404 404 404 404 200 2FA",
    "personal_data":                             "200 200 200 200 200 200 2FA",
    "source_code":                               "200 200 200 200 200 200 2FA",
    "personal_data_export":                      "L   200 200 200 200 200 2FA",
    "observatory:aggregates_csv":                "200 200 200 200 200 200 2FA",
    "observatory:aggregates_json":               "200 200 200 200 200 200 2FA",
    "observatory:index":                         "200 200 200 200 200 200 2FA",
    "observatory:poles_csv":                     "200 200 200 200 200 200 2FA",
    "observatory:poles_json":                    "200 200 200 200 200 200 2FA",
    "observatory:report_pdf[2024]":              "200 200 200 200 200 200 2FA",
    "observatory:report_pdf[unknown]":           "404 404 404 404 404 404 2FA",
    "poles:api_csv":                             "200 200 200 200 200 200 2FA",
    "poles:api_geojson":                         "200 200 200 200 200 200 2FA",
    "poles:api_json":                            "200 200 200 200 200 200 2FA",
    "poles:claim[X]":                            "L   200 200 200 200 200 2FA",
    "poles:detail[X]":                           "200 200 200 200 200 200 2FA",
    "poles:detail[Y]":                           "200 200 200 200 200 200 2FA",
    "poles:detail[unpublished]":                 "404 404 200 404 404 200 2FA",
    "poles:directory":                           "200 200 200 200 200 200 2FA",
    "poles:edit[X]":                             "L   403 200 403 403 200 2FA",
    "poles:edit[Y]":                             "L   403 403 200 403 200 2FA",
    "poles:pictures[X]":                         "L   403 200 403 403 200 2FA",
    "poles:map":                                 "200 200 200 200 200 200 2FA",
    "poles:map_points":                          "200 200 200 200 200 200 2FA",
    "poles:map_embed":                           "200 200 200 200 200 200 2FA",
    "poles:moderation":                          "L   404 404 404 200 404 2FA",
    "poles:moderation_decide[request]":          "L   405 405 405 405 405 2FA",
    "poles:moderation_decide[revision]":         "L   405 405 405 405 405 2FA",
    "poles:open_data":                           "200 200 200 200 200 200 2FA",
    "poles:sources":                             "200 200 200 200 200 200 2FA",
    "poles:propose":                             "L   200 200 200 200 200 2FA",
    "referential:answer_autosave[answered]":     "405 405 405 405 405 405 2FA",
    "referential:answer_autosave[open]":         "405 405 405 405 405 405 2FA",
    "referential:answer_home[answered]":         "200 200 200 200 200 200 2FA",
    "referential:answer_home[open]":             "200 200 200 200 200 200 2FA",
    "referential:answer_page[answered]":         "200 200 200 200 200 200 2FA",
    "referential:answer_page[open]":             "200 200 200 200 200 200 2FA",
    "referential:assessment[closed]":            "L   404 200 404 404 404 2FA",
    "referential:assessment[open]":              "L   404 200 404 404 404 2FA",
    "referential:close[closed]":                 "L   405 405 405 405 405 2FA",
    "referential:close[open]":                   "L   405 405 405 405 405 2FA",
    "referential:community":                     "200 200 200 200 200 200 2FA",
    "referential:coordinator_home":              "L   200 200 200 200 200 2FA",
    "referential:invitation_resend":             "L   405 405 405 405 405 2FA",
    "referential:invitation_revoke":             "L   405 405 405 405 405 2FA",
    "referential:invite[closed]":                "L   405 405 405 405 405 2FA",
    "referential:invite[open]":                  "L   405 405 405 405 405 2FA",
    "referential:presentation":                  "200 200 200 200 200 200 2FA",
    "referential:report_pdf[closed]":            "L   404 200 404 404 404 2FA",
    "referential:report_pdf[open]":              "L   404 200 404 404 404 2FA",
    "referential:results[closed]":               "L   404 200 404 404 404 2FA",
    "referential:results[open]":                 "L   404 200 404 404 404 2FA",
    "referential:staff_overview":                "L   404 404 404 404 200 2FA",
    "referential:token_report_pdf[answered]":    "200 200 200 200 200 200 2FA",
    "referential:token_report_pdf[open]":        "404 404 404 404 404 404 2FA",
    "referential:token_results[answered]":       "200 200 200 200 200 200 2FA",
    "referential:token_results[open]":           "R   R   R   R   R   R   2FA",
    "resources:attachment[draft]":               "404 404 200 404 404 200 2FA",
    "resources:attachment[published]":           "200 200 200 200 200 200 2FA",
    "resources:attachment_delete[draft]":        "L   405 405 405 405 405 2FA",
    "resources:attachment_delete[published]":    "L   405 405 405 405 405 2FA",
    "resources:create":                          "L   403 200 200 403 200 2FA",
    "resources:decide":                          "L   404 404 404 404 405 2FA",
    "resources:detail[draft]":                   "404 404 200 404 404 200 2FA",
    "resources:detail[published]":               "200 200 200 200 200 200 2FA",
    "resources:edit[draft]":                     "L   404 200 404 404 200 2FA",
    "resources:edit[published]":                 "L   403 403 403 403 200 2FA",
    "resources:list":                            "200 200 200 200 200 200 2FA",
    "resources:moderation":                      "L   404 404 404 404 200 2FA",
    "resources:submit[draft]":                   "L   405 405 405 405 405 2FA",
    "resources:submit[published]":               "L   405 405 405 405 405 2FA",
    # Peers: a pole's offers and requests are its coordinators' (Y: the pole asked by X).
    "resources:exchange[X-asks-Y]":              "L   404 200 200 404 404 2FA",
    "resources:exchange_decide[X-asks-Y]":       "L   405 405 405 405 405 2FA",
    "resources:exchange_withdraw[X-asks-Y]":     "L   404 200 404 404 404 2FA",
    "resources:exchange_new[X-asks-Y]":          "L   404 200 404 404 404 2FA",
    "resources:help_offers[X]":                  "L   404 200 404 404 404 2FA",
    "resources:help_offers[Y]":                  "L   404 404 200 404 404 2FA",
    "resources:peers":                           "L   200 200 200 200 200 2FA",
    "set_language":                              "R   R   R   R   R   R   R",
}

# Admin URLs that are not one model's standard pages.
ADMIN_MATRIX = {
    "admin:auth_user_password_change":               "A   A   A   A   A   403 2FA",
    "admin:autocomplete":                            "A   A   A   A   A   403 2FA",
    "admin:index":                                   "A   A   A   A   A   200 2FA",
    "admin:jsi18n":                                  "A   A   A   A   A   200 2FA",
    "admin:login":                                   "L   403 403 403 403 L   L",
    "admin:logout":                                  "R   R   R   R   R   405 2FA",
    "admin:password_change":                         "A   A   A   A   A   200 2FA",
    "admin:password_change_done":                    "A   A   A   A   A   200 2FA",
    "admin:poles_pole_import_csv":                   "A   A   A   A   A   200 2FA",
    "admin:referential_referentialversion_import":   "A   A   A   A   A   200 2FA",
    "admin:view_on_site":                            "A   A   A   A   A   R   2FA",
}
# fmt: on


# --- Walking the URL resolver --------------------------------------------------------------


def admin_route_names(patterns=None, namespace="admin:") -> list[str]:
    """Every named route of the admin site (the model admins' included URLs too)."""
    if patterns is None:
        resolver = next(
            e
            for e in get_resolver().url_patterns
            if isinstance(e, URLResolver) and e.namespace == "admin"
        )
        patterns = resolver.url_patterns
    names = []
    for entry in patterns:
        if isinstance(entry, URLResolver):
            names.extend(admin_route_names(entry.url_patterns, namespace))
        elif isinstance(entry, URLPattern) and entry.name:
            names.append(f"{namespace}{entry.name}")
    return names


def _history_redirects(model_admin) -> bool:
    """Audited admins (and the log itself) send Django's history page to the audit log."""
    from audit.admin import LogEntryAdmin
    from audit.mixins import AuditHistoryMixin

    return isinstance(model_admin, AuditHistoryMixin | LogEntryAdmin)


def model_admin_targets(world) -> dict[str, tuple[str, str]]:
    """Generated admin entries: key -> (url, expected tokens). What staff may do is what the
    model admin allows them (the staff group's permissions, narrowed by the admin, e.g. no
    signature added by hand); an object missing from the world is asked by an unknown id
    (the admin sends staff back to its index: R)."""
    from django.test import RequestFactory

    request = RequestFactory().get("/admin/")
    request.user = world.users["staff"]
    targets = {}
    for model, model_admin in admin.site._registry.items():
        meta = model._meta
        prefix = f"admin:{meta.app_label}_{meta.model_name}"
        first = model._default_manager.order_by("pk").first()
        can_view = model_admin.has_view_or_change_permission(request)
        views = {
            "changelist": ([], can_view),
            "add": ([], model_admin.has_add_permission(request)),
        }
        for view, allowed in (
            ("change", model_admin.has_view_or_change_permission(request, first)),
            ("history", model_admin.has_view_or_change_permission(request, first)),
            ("auditlog", model_admin.has_view_or_change_permission(request, first)),
            ("delete", model_admin.has_delete_permission(request, first)),
        ):
            views[view] = ([first.pk if first else 987654321], allowed)
        for view, (args, allowed) in views.items():
            name = f"{prefix}_{view}"
            try:
                url = reverse(name, args=args)
            except NoReverseMatch:
                continue  # e.g. no audit log page for this model
            status = ("200" if first or not args else "R") if allowed else "403"
            if view == "history" and allowed and _history_redirects(model_admin):
                status = "R"  # one history per object: the audit log
            targets[name] = (url, f"A A A A A {status} 2FA")
    for app_label in {model._meta.app_label for model in admin.site._registry}:
        url = reverse("admin:app_list", kwargs={"app_label": app_label})
        allowed = world.users["staff"].has_module_perms(app_label)
        targets[f"admin:app_list[{app_label}]"] = (
            url,
            f"A A A A A {200 if allowed else 404} 2FA",
        )
    return targets


def targets(world) -> tuple[dict[str, tuple[str, str]], list[str]]:
    """key -> (url, expected tokens) for every route; and the routes with no entry."""
    kwargs = _kwargs(world.objects)
    found, missing = {}, []
    for route in all_routes():
        cases = kwargs.get(route.name, {"": {}}) if route.params else {"": {}}
        if route.params and route.name not in kwargs:
            missing.append(f"{route.name} (no objects for {route.params})")
            continue
        for case, values in cases.items():
            key = f"{route.name}[{case}]" if case else route.name
            expected = MATRIX.get(key)
            if expected is None:
                missing.append(key)
            found[key] = (reverse(route.name, kwargs=values), expected)
    generated = model_admin_targets(world)
    for name in admin_route_names():
        if name == "admin:app_list":
            continue  # generated per app
        if name in generated:
            continue
        if name not in ADMIN_MATRIX:
            missing.append(name)
            if not os.environ.get("MATRIX_PRINT"):
                continue
        path_kwargs = ADMIN_KWARGS.get(name)
        found[name] = (
            reverse(name, kwargs=path_kwargs(world)) if path_kwargs else reverse(name),
            ADMIN_MATRIX.get(name),
        )
    found.update(generated)
    return found, missing


def _view_on_site_kwargs(world):
    from django.contrib.contenttypes.models import ContentType

    pole = world.objects["pole"]
    return {"content_type_id": ContentType.objects.get_for_model(pole).pk, "object_id": pole.pk}


ADMIN_KWARGS = {
    "admin:view_on_site": _view_on_site_kwargs,
    "admin:auth_user_password_change": lambda world: {"id": world.users["user"].pk},
}


# --- Observing ----------------------------------------------------------------------------


def observe(response) -> str:
    if response.status_code in (301, 302, 303):
        location = response["Location"]
        if location.startswith(reverse("account_login") + "?"):
            return "L"
        if location.startswith(reverse("admin:login")):
            return "A"
        if location.startswith(reverse("mfa_activate_totp")):
            return "2FA"
        return "R"
    return str(response.status_code)


def security_headers_problem(url: str, response) -> str:
    """What an HTML page lacks of the enforced Content-Security-Policy ("" when nothing):
    scripts and styles from the portal only, no framing except the map for partner sites."""
    if not response.get("Content-Type", "").startswith("text/html"):
        return ""
    if isinstance(response, HttpResponseServerError):
        return ""  # reported by the matrix itself
    policy = response.get("Content-Security-Policy", "")
    directives = dict(
        (part.strip().split(" ", 1) + [""])[:2] for part in policy.split(";") if part.strip()
    )
    for directive, value in (("script-src", "'self'"), ("style-src", "'self'")):
        if directives.get(directive) != value:
            return f"{directive} is {directives.get(directive)!r}, not {value!r}"
    framed = url == reverse("poles:map_embed") and response.status_code == 200
    framing = "" if framed else "'none'"
    if directives.get("frame-ancestors", "") != framing:
        return f"frame-ancestors is {directives.get('frame-ancestors')!r}"
    return ""


def get(client, url):
    """One GET in a savepoint rolled back afterwards, the session cookies restored: requests
    do not depend on each other."""
    cookies = client.cookies
    client.cookies = copy.deepcopy(cookies)
    try:
        with transaction.atomic():
            response = client.get(url)
            transaction.set_rollback(True)
    except Exception as exc:  # a 500: reported in the matrix, not as an error of the test
        response = HttpResponseServerError(repr(exc))
    finally:
        client.cookies = cookies
    return response


def test_every_url_pattern_has_an_entry(world):
    _found, missing = targets(world)
    assert not missing, (
        f"{len(missing)} URL(s) without an entry in the permission matrix "
        "(tests/integration/test_permission_matrix.py):\n" + "\n".join(missing)
    )


def test_permission_matrix(world, clients):
    found, _missing = targets(world)
    assert len(found) > 250
    wrong, observed, headers_missing = [], {}, []
    for key, (url, expected) in sorted(found.items()):
        responses = [get(clients[role], url) for role in ROLES]
        observed[key] = " ".join(observe(response) for response in responses)
        headers_missing.extend(
            f"{key} ({role}) {url}: {problem}"
            for role, response in zip(ROLES, responses, strict=True)
            if (problem := security_headers_problem(url, response))
        )
        if expected is not None and observed[key] != " ".join(expected.split()):
            wrong.append(f"{key} {url}: expected {expected!r}, got {observed[key]!r}")
    if os.environ.get("MATRIX_PRINT"):
        width = max(len(k) for k in observed) + 4
        for key, value in observed.items():
            print(f"    {key!r}:".ljust(width + 6) + f"{value!r},")
    assert not wrong, f"{len(wrong)} status(es) differ from the matrix:\n" + "\n".join(wrong)
    assert not headers_missing, (
        f"{len(headers_missing)} response(s) without the security headers:\n"
        + "\n".join(headers_missing[:40])
    )


def test_the_matrix_has_no_stale_entry(world):
    """An entry for a route that no longer exists is an error too (renamed URL)."""
    found, _missing = targets(world)
    stale = sorted(set(MATRIX) - set(found)) + sorted(set(ADMIN_MATRIX) - set(found))
    assert not stale, f"entries for routes that do not exist: {stale}"
    for key, value in {**MATRIX, **ADMIN_MATRIX}.items():
        assert len(value.split()) == len(ROLES), key
