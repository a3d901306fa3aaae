"""What the resource centre adds to the portal (ptce_portal.contributions)."""

from ptce_portal.contributions import ALL_ACTIONS, Audit, Contribution, register

from .apps import CONTENT_VERSION

register(
    Contribution(
        app_label="resources",
        order=50,
        content_version=CONTENT_VERSION,
        staff_permissions={"resources": ALL_ACTIONS},
        audited_models={
            "resources.Resource": Audit(
                exclude_fields=("search_vector", "created_at", "updated_at"),
                m2m_fields=("themes", "objectives", "poles"),
            ),
            "resources.Attachment": Audit(exclude_fields=("created_at",)),
        },
    )
)
