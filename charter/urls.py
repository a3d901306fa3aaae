from django.urls import path

from . import views

app_name = "charter"

urlpatterns = [
    path("charte/", views.charter_current, name="current"),
    path("charte/versions/<int:number>/", views.charter_version, name="version"),
    path("charte/signer/", views.sign, name="sign"),
    path("charte/signatures/<str:code>/", views.signature_detail, name="signature"),
    path("charte/signatures/<str:code>/pdf/", views.signature_pdf, name="signature_pdf"),
    path("charte/signatures/<str:code>/retirer/", views.signature_withdraw, name="withdraw"),
    path(
        "charte/validation/<str:code>/retrait/",
        views.withdrawal_decide,
        name="withdrawal_decide",
    ),
    path("charte/verifier/", views.verify_form, name="verify_form"),
    path("charte/verifier/<str:code>/", views.verify, name="verify"),
    path("charte/signataires/", views.signatories, name="signatories"),
    path("charte/signataires/export.csv", views.signatories_csv, name="signatories_csv"),
    path("charte/validation/", views.validation_queue, name="validation"),
    path("charte/validation/<str:code>/", views.validation_decide, name="decide"),
]
