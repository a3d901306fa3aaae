from django.urls import path

from . import views

app_name = "referential"

urlpatterns = [
    path("referentiel/", views.presentation, name="presentation"),
    path("referentiel/reperes/", views.community, name="community"),
    path("referentiel/equipe/", views.staff_overview, name="staff_overview"),
    path("referentiel/evaluations/", views.coordinator_home, name="coordinator_home"),
    path("referentiel/evaluations/<int:pk>/", views.assessment_detail, name="assessment"),
    path("referentiel/evaluations/<int:pk>/inviter/", views.invite, name="invite"),
    path("referentiel/evaluations/<int:pk>/cloturer/", views.assessment_close, name="close"),
    path("referentiel/evaluations/<int:pk>/resultats/", views.results, name="results"),
    path("referentiel/evaluations/<int:pk>/rapport.pdf", views.report_pdf, name="report_pdf"),
    path(
        "referentiel/invitations/<int:pk>/renvoyer/",
        views.invitation_resend,
        name="invitation_resend",
    ),
    path(
        "referentiel/invitations/<int:pk>/revoquer/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
    path("referentiel/repondre/<str:token>/", views.answer_home, name="answer_home"),
    path(
        "referentiel/repondre/<str:token>/partie-<int:part>/", views.answer_page, name="answer_page"
    ),
    path(
        "referentiel/repondre/<str:token>/enregistrer/",
        views.answer_autosave,
        name="answer_autosave",
    ),
    path("referentiel/repondre/<str:token>/resultats/", views.token_results, name="token_results"),
    path(
        "referentiel/repondre/<str:token>/rapport.pdf",
        views.token_report_pdf,
        name="token_report_pdf",
    ),
]
