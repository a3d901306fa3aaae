"""Error reports to ADMINS (Django's AdminEmailHandler) without personal-link secrets: the
report's subject, text and HTML go through ptce_portal.log_masking.mask_secrets (the request's
path, the traceback's local variables)."""

from django.utils.log import AdminEmailHandler

from .log_masking import mask_secrets


class MaskedAdminEmailHandler(AdminEmailHandler):
    def send_mail(self, subject, message, *args, **kwargs):
        if kwargs.get("html_message"):
            kwargs["html_message"] = mask_secrets(kwargs["html_message"])
        super().send_mail(mask_secrets(subject), mask_secrets(message), *args, **kwargs)
