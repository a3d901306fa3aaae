"""What poles adds to the portal (ptce_portal.contributions)."""

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

from . import dashboard, demo, permissions, personal_data, seed, selectors

register(
    Contribution(
        app_label="poles",
        order=10,
        navigation=(
            NavEntry(_("Pôles"), "poles:directory", order=10),
            NavEntry(_("Carte"), "poles:map", order=20),
        ),
        dashboard_panel=dashboard.panel,
        home_figures=selectors.home_figures,
        staff_queues=selectors.staff_queues,
        personal_data=PersonalData.of(personal_data),
        seed=Step(seed.run, order=10),
        demo=Step(demo.run, order=10),
        email_kinds={
            "poles/email/coordination_approved.txt": _("Coordination du pôle acceptée"),
            "poles/email/coordination_refused.txt": _("Coordination du pôle refusée"),
            "poles/email/revision_decided.txt": _("Modification de la fiche décidée"),
            "poles/email/staff_new_request.txt": _("Nouvelle demande de coordination (équipe)"),
            "poles/email/staff_revision.txt": _("Modification de fiche à relire (équipe)"),
        },
        staff_permissions={"poles": ALL_ACTIONS},
        needs_second_factor=permissions.needs_second_factor,
        audited_models={
            "poles.Region": Audit(),
            "poles.Department": Audit(),
            "poles.Theme": Audit(),
            "poles.Pole": Audit(
                m2m_fields=("themes", "departments"),
                mask_fields=("contact_email", "contact_phone"),
                exclude_fields=("created_at", "updated_at"),
            ),
            "poles.PoleMember": Audit(),
            "poles.PoleCoordinator": Audit(
                mask_fields=("message",), exclude_fields=("requested_at",), names_a_person=True
            ),
            # The proposed values are logged on the Pole when the revision is applied.
            "poles.PoleRevision": Audit(exclude_fields=("data", "created_at")),
            "poles.CallForProjects": Audit(m2m_fields=("laureates",)),
            # Where facts come from: the documents and each pole's fact sources.
            "poles.Source": Audit(),
            "poles.FactSource": Audit(),
            # Who moderates the poles of a region (appointed by staff).
            "poles.RegionalCoordination": Audit(
                exclude_fields=("created_at",), names_a_person=True
            ),
        },
    )
)
