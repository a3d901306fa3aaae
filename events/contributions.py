"""What events adds to the portal (ptce_portal.contributions)."""

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

register(
    Contribution(
        app_label="events",
        order=40,
        navigation=(NavEntry(_("Journées nationales"), "events:list", order=50),),
        dashboard_panel=dashboard.panel,
        home_figures=selectors.home_figures,
        page_blocks={"portal.home": blocks.coming_day},
        staff_queues=selectors.staff_queues,
        personal_data=PersonalData.of(personal_data),
        seed=Step(seed.run, order=20),
        demo=Step(demo.run, order=40),
        email_kinds={
            "events/email/confirmation.txt": _("Inscription à une journée confirmée"),
            "events/email/waitlisted.txt": _("Inscription en liste d'attente"),
            "events/email/promoted.txt": _("Place libérée : inscription confirmée"),
            "events/email/reminder.txt": _("Rappel avant une journée"),
            "events/email/cancelled.txt": _("Inscription annulée"),
        },
        staff_permissions={"events": ALL_ACTIONS},
        # Registration e-mails carry the link to manage one's registration.
        personal_link_kinds=("events/email/",),
        audited_models={
            "events.Organisation": Audit(),
            # seats_taken is a counter kept by F() updates under the event's row lock
            "events.Event": Audit(exclude_fields=("seats_taken", "created_at", "updated_at")),
            "events.EventOrganisation": Audit(),
            "events.Person": Audit(),
            "events.Session": Audit(m2m_fields=("poles",)),
            "events.SessionSpeaker": Audit(),
            "events.Intervention": Audit(),
            "events.Quote": Audit(),
            "events.Registration": Audit(
                mask_fields=("first_name", "last_name", "email", "accessibility_needs"),
                exclude_fields=("token", "created_at"),
                names_a_person=True,
            ),
        },
    )
)
