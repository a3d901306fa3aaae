"""What the resource centre adds to the portal (ptce_portal.contributions)."""

from django.utils.translation import gettext_lazy as _

from ptce_portal.contributions import (
    ALL_ACTIONS,
    Audit,
    Contribution,
    PersonalData,
    Step,
    register,
)

from . import dashboard, demo, home, personal_data, selectors
from .apps import CONTENT_VERSION

register(
    Contribution(
        app_label="resources",
        order=50,
        dashboard_panel=dashboard.panel,
        staff_queues=selectors.staff_queues,
        personal_data=PersonalData.of(personal_data),
        demo=Step(demo.run, order=50),
        page_blocks={"portal.home": home.block},
        content_version=CONTENT_VERSION,
        staff_permissions={"resources": ALL_ACTIONS},
        email_kinds={
            "resources/email/staff_submitted.txt": _("Ressource à publier (équipe)"),
            "resources/email/published.txt": _("Ressource publiée"),
            "resources/email/refused.txt": _("Ressource non publiée"),
        },
        audited_models={
            "resources.Resource": Audit(
                exclude_fields=("search_vector", "created_at", "updated_at"),
                m2m_fields=("themes", "objectives", "poles"),
            ),
            "resources.Attachment": Audit(exclude_fields=("created_at",)),
        },
    )
)
