from django.urls import path

from .views import coordinators, public, respondents, staff

app_name = "referential"

urlpatterns = [
    path("referentiel/", public.presentation, name="presentation"),
    path("referentiel/reperes/", public.community, name="community"),
    path("referentiel/equipe/", staff.staff_overview, name="staff_overview"),
    path("referentiel/evaluations/", coordinators.coordinator_home, name="coordinator_home"),
    path("referentiel/evaluations/<int:pk>/", coordinators.assessment_detail, name="assessment"),
    path("referentiel/evaluations/<int:pk>/inviter/", coordinators.invite, name="invite"),
    path("referentiel/evaluations/<int:pk>/cloturer/", coordinators.assessment_close, name="close"),
    path("referentiel/evaluations/<int:pk>/resultats/", coordinators.results, name="results"),
    path(
        "referentiel/evaluations/<int:pk>/rapport.pdf", coordinators.report_pdf, name="report_pdf"
    ),
    path(
        "referentiel/invitations/<int:pk>/renvoyer/",
        coordinators.invitation_resend,
        name="invitation_resend",
    ),
    path(
        "referentiel/invitations/<int:pk>/revoquer/",
        coordinators.invitation_revoke,
        name="invitation_revoke",
    ),
    path("referentiel/repondre/<str:token>/", respondents.answer_home, name="answer_home"),
    path(
        "referentiel/repondre/<str:token>/partie-<int:part>/",
        respondents.answer_page,
        name="answer_page",
    ),
    path(
        "referentiel/repondre/<str:token>/enregistrer/",
        respondents.answer_autosave,
        name="answer_autosave",
    ),
    path(
        "referentiel/repondre/<str:token>/resultats/",
        respondents.token_results,
        name="token_results",
    ),
    path(
        "referentiel/repondre/<str:token>/rapport.pdf",
        respondents.token_report_pdf,
        name="token_report_pdf",
    ),
]
