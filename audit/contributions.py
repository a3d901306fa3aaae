"""What the audit trail adds to the portal (ptce_portal.contributions): staff read it."""

from ptce_portal.contributions import LAST, Contribution, register

register(
    Contribution(
        app_label="audit",
        order=5,
        staff_order=LAST,  # in the admin's own order, after the portal's apps
        staff_permissions={"audit": ("view",)},  # the admin of the trail (a proxy of auditlog's)
    )
)
