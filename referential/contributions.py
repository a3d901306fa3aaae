"""What referential adds to the portal (ptce_portal.contributions)."""

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

from . import dashboard, demo, personal_data, seed

register(
    Contribution(
        app_label="referential",
        order=30,
        navigation=(NavEntry(_("Référentiel"), "referential:presentation", order=40),),
        dashboard_panel=dashboard.panel,
        personal_data=PersonalData.of(personal_data),
        seed=Step(seed.run, order=40),
        demo=Step(demo.run, order=30),
        email_kinds={"referential/email/invitation.txt": _("Invitation à l'auto-évaluation")},
        staff_permissions={"referential": ALL_ACTIONS},
        # The invitation to answer an assessment carries the respondent's personal link.
        personal_link_kinds=("referential/email/invitation",),
        # Not audited: Answer. Answers are written by invited respondents (not by a
        # coordinator or staff) through their personal link, autosaved many times per
        # questionnaire, and they are confidential inputs of an anonymous benchmark; the
        # invitation's first answer date and the assessment's closing are logged instead.
        audited_models={
            "referential.ReferentialVersion": Audit(exclude_fields=("created_at",)),
            "referential.GeneralObjective": Audit(),
            "referential.PrincipalObjective": Audit(),
            "referential.Indicator": Audit(),
            "referential.Assessment": Audit(),
            "referential.Invitation": Audit(
                mask_fields=("email", "name"),
                # last_answer_at moves on every autosave of the respondent
                exclude_fields=("token", "created_at", "last_answer_at"),
                names_a_person=True,
            ),
        },
    )
)
