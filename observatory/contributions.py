"""What observatory adds to the portal (ptce_portal.contributions)."""

from ptce_portal.contributions import ALL_ACTIONS, Audit, Contribution, register

from . import blocks
from .apps import CONTENT_VERSION

register(
    Contribution(
        app_label="observatory",
        order=50,
        staff_permissions={"observatory": ALL_ACTIONS},
        content_version=CONTENT_VERSION,
        page_blocks={"poles.detail": blocks.pole_figures},
        audited_models={
            "observatory.QuestionnaireVersion": Audit(exclude_fields=("created_at",)),
            "observatory.Question": Audit(),
            "observatory.Band": Audit(),
            "observatory.Campaign": Audit(exclude_fields=("created_at",)),
            # Autosaved many times while a coordinator fills it in: the state changes and
            # the review are what the log must keep.
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
