"""Which models are audited, and which of their fields never reach the log.

Personal details (e-mail, phone, names of people, free text a person typed about
themselves) are masked: the log records THAT they changed, never the values, so an
erased account leaves nothing of the person in the log. Secrets (tokens) and
bookkeeping (auto_now dates, counters kept by F() updates) are excluded.

Not audited: referential.Answer. Answers are written by invited respondents (not by a
coordinator or staff) through their personal link, autosaved many times per
questionnaire, and they are confidential inputs of an anonymous benchmark; the
invitation's first answer date and the assessment's closing are logged instead.
"""

from auditlog.registry import auditlog
from django.apps import apps
from django.db.models import ForeignObjectRel

MASK_CALLABLE = "audit.masking.mask"

# app_label.ModelName -> register() options
AUDITED_MODELS: dict[str, dict] = {
    # accounts: only who may do what (active, staff, superuser, groups), never the
    # person's details; last_login is not logged
    "ptce_portal.User": {
        "include_fields": ["is_active", "is_staff", "is_superuser"],
        "m2m_fields": {"groups"},
    },
    # poles
    "poles.Region": {},
    "poles.Department": {},
    "poles.Theme": {},
    "poles.Pole": {
        "m2m_fields": {"themes", "departments"},
        "mask_fields": ["contact_email", "contact_phone"],
        "exclude_fields": ["created_at", "updated_at"],
    },
    "poles.PoleMember": {},
    "poles.PoleCoordinator": {
        "mask_fields": ["message"],
        "exclude_fields": ["requested_at"],
    },
    "poles.PoleRevision": {
        # the proposed values are logged on the Pole when the revision is applied
        "exclude_fields": ["data", "created_at"],
    },
    "poles.CallForProjects": {"m2m_fields": {"laureates"}},
    # who moderates the poles of a region (appointed by staff)
    "poles.RegionalCoordination": {"exclude_fields": ["created_at"]},
    # charter
    "charter.CharterVersion": {"exclude_fields": ["created_at"]},
    "charter.CharterSection": {},
    "charter.CharterItem": {},
    "charter.Signature": {
        "mask_fields": [
            "pole_contact",
            "representative_last_name",
            "representative_first_name",
            "representative_email",
            "representative_phone",
            "signature_name",
        ],
        "exclude_fields": ["verification_code", "created_at", "updated_at"],
    },
    "charter.Countersignature": {},
    # referential
    "referential.ReferentialVersion": {"exclude_fields": ["created_at"]},
    "referential.GeneralObjective": {},
    "referential.PrincipalObjective": {},
    "referential.Indicator": {},
    "referential.Assessment": {},
    "referential.Invitation": {
        "mask_fields": ["email", "name"],
        # last_answer_at moves on every autosave of the respondent
        "exclude_fields": ["token", "created_at", "last_answer_at"],
    },
    # events
    "events.Organisation": {},
    "events.Event": {
        # seats_taken is a counter kept by F() updates under the event's row lock
        "exclude_fields": ["seats_taken", "created_at", "updated_at"],
        "m2m_fields": set(),
    },
    "events.EventOrganisation": {},
    "events.Person": {},
    "events.Session": {"m2m_fields": {"poles"}},
    "events.SessionSpeaker": {},
    "events.Intervention": {},
    "events.Quote": {},
    "events.Registration": {
        "mask_fields": ["first_name", "last_name", "email", "accessibility_needs"],
        "exclude_fields": ["token", "created_at"],
    },
}

# Models whose str() names a person: their log entries get a neutral label instead
# (see audit.signals.neutral_object_repr).
PERSONAL_REPR_MODELS = {
    "ptce_portal.user",
    "poles.polecoordinator",
    "poles.regionalcoordination",
    "referential.invitation",
    "events.registration",
}


def register_models() -> None:
    for label, options in AUDITED_MODELS.items():
        model = apps.get_model(label)
        if auditlog.contains(model):
            continue
        opts = dict(options)
        # Reverse relations ("sections", "signatures"…) are not fields of the row: auditlog
        # would log them on creation as "charter.CharterSection.None".
        reverse = [f.name for f in model._meta.get_fields() if isinstance(f, ForeignObjectRel)]
        opts["exclude_fields"] = [*opts.get("exclude_fields", []), *reverse]
        if opts.get("mask_fields"):
            opts["mask_callable"] = MASK_CALLABLE
        auditlog.register(model, **opts)
