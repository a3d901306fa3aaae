from django.urls import path

from .views import public, staff

app_name = "events"

urlpatterns = [
    path("journees/", public.event_list, name="list"),
    path("journees/<slug:slug>/", public.event_detail, name="detail"),
    path(
        "journees/<slug:slug>/intervenants/<slug:person_slug>/",
        public.person_detail,
        name="person",
    ),
    path("journees/<slug:slug>/actes.pdf", public.proceedings_pdf, name="proceedings"),
    path("journees/<slug:slug>/agenda.ics", public.event_ics_file, name="ics"),
    path("journees/<slug:slug>/inscription/", public.register, name="register"),
    path(
        "journees/<slug:slug>/inscription/demande-envoyee/",
        public.registration_sent,
        name="registration_sent",
    ),
    path(
        "journees/<slug:slug>/inscription/<str:token>/",
        public.registration_manage,
        name="registration_manage",
    ),
    path("journees/<slug:slug>/participants/", public.public_participants, name="participants"),
    path(
        "journees/<slug:slug>/equipe/participants/",
        staff.staff_participants,
        name="staff_participants",
    ),
    path(
        "journees/<slug:slug>/equipe/participants.csv",
        staff.staff_participants_csv,
        name="staff_participants_csv",
    ),
    path(
        "journees/<slug:slug>/equipe/participants/<int:pk>/presence/",
        staff.staff_check_in,
        name="staff_check_in",
    ),
    path(
        "journees/<slug:slug>/equipe/participants/<int:pk>/attestation.pdf",
        staff.staff_certificate,
        name="staff_certificate",
    ),
    path("journees/<slug:slug>/equipe/message/", staff.staff_email, name="staff_email"),
]
