"""Which models are audited, and which of their fields never reach the log.

Each app declares its audited models in its contribution (`audited_models`:
{"app_label.ModelName": ptce_portal.contributions.Audit(...)}); this module registers them
with django-auditlog once the contributions are discovered.

Personal details (e-mail, phone, names of people, free text a person typed about
themselves) are masked: the log records THAT they changed, never the values, so an
erased account leaves nothing of the person in the log. Secrets (tokens) and
bookkeeping (auto_now dates, counters kept by F() updates) are excluded.
"""

from auditlog.registry import auditlog
from django.apps import apps
from django.db.models import ForeignObjectRel

from ptce_portal import contributions

MASK_CALLABLE = "audit.masking.mask"


def audited_models() -> dict[str, contributions.Audit]:
    """ "app_label.ModelName" -> how it is audited, from every app's contribution."""
    return contributions.audited_models()


def personal_repr_models() -> set[str]:
    """ "app_label.modelname" of the models whose str() names a person: their log entries get
    a neutral label instead (see audit.signals.neutral_object_repr)."""
    return {label.lower() for label, audit in audited_models().items() if audit.names_a_person}


def register_models() -> None:
    for label, audit in audited_models().items():
        model = apps.get_model(label)
        if auditlog.contains(model):
            continue
        opts: dict = {}
        if audit.include_fields:
            opts["include_fields"] = list(audit.include_fields)
        if audit.m2m_fields:
            opts["m2m_fields"] = set(audit.m2m_fields)
        if audit.mask_fields:
            opts["mask_fields"] = list(audit.mask_fields)
            opts["mask_callable"] = MASK_CALLABLE
        # Reverse relations are not fields of the row: auditlog would log them on creation
        # as "<app>.<Model>.None".
        reverse = [f.name for f in model._meta.get_fields() if isinstance(f, ForeignObjectRel)]
        opts["exclude_fields"] = [*audit.exclude_fields, *reverse]
        auditlog.register(model, **opts)
