"""What observatory adds to the portal (ptce_portal.contributions)."""

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
        app_label="observatory",
        order=50,
        navigation=(NavEntry(_("Observatoire"), "observatory:index", order=60),),
        dashboard_panel=dashboard.panel,
        staff_queues=selectors.staff_queues,
        personal_data=PersonalData.of(personal_data),
        seed=Step(seed.run, order=50),
        demo=Step(demo.run, order=50),
        email_kinds={
            "observatory/email/accepted.txt": _("Rapport à l'observatoire accepté"),
            "observatory/email/returned.txt": _("Rapport à l'observatoire renvoyé"),
            "observatory/email/reminder.txt": _("Relance avant la clôture de l'observatoire"),
        },
        staff_permissions={"observatory": ALL_ACTIONS},
        content_version=CONTENT_VERSION,
        page_blocks={"poles.detail": blocks.pole_figures},
        audited_models={
            "observatory.QuestionnaireVersion": Audit(exclude_fields=("created_at",)),
            "observatory.Question": Audit(),
            "observatory.Band": Audit(),
            "observatory.Campaign": Audit(exclude_fields=("created_at",)),
            # Autosaved many times while a coordinator fills it in: the log keeps its
            # states and the review, not every keystroke.
            "observatory.Report": Audit(
                include_fields=(
                    "state",
                    "return_reason",
                    "submitted_at",
                    "submitted_by",
                    "reviewed_at",
                    "reviewed_by",
                )
            ),
        },
    )
)
