"""What charter adds to the portal (ptce_portal.contributions)."""

from django.utils.translation import gettext_lazy as _

from ptce_portal.contributions import (
    ALL_ACTIONS,
    Audit,
    Contribution,
    NavEntry,
    PersonalData,
    Step,
    register,
)

from . import blocks, dashboard, demo, personal_data, seed, selectors
from .apps import CONTENT_VERSION

register(
    Contribution(
        app_label="charter",
        order=20,
        navigation=(NavEntry(_("Charte"), "charter:current", order=30),),
        dashboard_panel=dashboard.panel,
        staff_queues=selectors.staff_queues,
        personal_data=PersonalData.of(personal_data),
        seed=Step(seed.run, order=30),
        demo=Step(demo.run, order=20),
        page_blocks={"poles.detail": blocks.pole_signature},
        content_version=CONTENT_VERSION,
        email_kinds={
            "charter/email/submitted.txt": _("Signature de la charte reçue"),
            "charter/email/validated.txt": _("Signature validée"),
            "charter/email/refused.txt": _("Signature refusée"),
            "charter/email/withdrawn.txt": _("Signature retirée"),
            "charter/email/staff_submitted.txt": _("Nouvelle signature à valider (équipe)"),
            "charter/email/staff_withdrawn.txt": _("Signature retirée (équipe)"),
            "charter/email/staff_withdrawal_requested.txt": _(
                "Retrait de signature demandé (équipe)"
            ),
            "charter/email/withdrawal_refused.txt": _("Retrait de signature non accepté"),
        },
        staff_permissions={"charter": ALL_ACTIONS},
        audited_models={
            "charter.CharterVersion": Audit(exclude_fields=("created_at",)),
            "charter.CharterSection": Audit(),
            "charter.CharterItem": Audit(),
            "charter.Signature": Audit(
                mask_fields=(
                    "pole_contact",
                    "representative_last_name",
                    "representative_first_name",
                    "representative_email",
                    "representative_phone",
                    "signature_name",
                ),
                exclude_fields=("verification_code", "created_at", "updated_at"),
            ),
            "charter.Countersignature": Audit(),
        },
    )
)
