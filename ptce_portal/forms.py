from allauth.account import forms as allauth_forms
from allauth.mfa.base import forms as mfa_forms
from allauth.mfa.totp import forms as totp_forms
from django import forms
from django.contrib.auth.hashers import make_password
from django.utils.translation import gettext_lazy as _


class AccountDeleteForm(forms.Form):
    """Deleting one's account: the password confirms it is really the account's owner."""

    password = forms.CharField(
        label=_("Votre mot de passe"),
        strip=False,
        max_length=4096,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("Pour confirmer que c'est bien vous."),
    )


class PortalWordsMixin:
    """An allauth form in the portal's words: labels from the portal's catalogue (French and
    English alike), and no placeholder repeating the label (the field template shows it)."""

    labels: dict = {}
    help_texts: dict = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name in self.labels:
                field.label = self.labels[name]
            if name in self.help_texts:
                field.help_text = self.help_texts[name]
            field.widget.attrs.pop("placeholder", None)


EMAIL_LABEL = _("Adresse e-mail")
NEW_PASSWORD_LABELS = {
    "password1": _("Nouveau mot de passe"),
    "password2": _("Nouveau mot de passe, une seconde fois"),
}


class LoginForm(PortalWordsMixin, allauth_forms.LoginForm):
    labels = {"login": EMAIL_LABEL, "password": _("Mot de passe"), "remember": _("Rester connecté")}


class SignupForm(PortalWordsMixin, allauth_forms.SignupForm):
    """allauth's signup form, with no timing difference between a new address and a known one
    (ACCOUNT_PREVENT_ENUMERATION answers the same page; without this, the known address would
    answer in a few milliseconds instead of the time of hashing the password)."""

    labels = {
        "email": EMAIL_LABEL,
        "password1": _("Mot de passe"),
        "password2": _("Mot de passe, une seconde fois"),
    }
    help_texts = {"email": _("Elle sert d'identifiant ; nous y envoyons un lien de confirmation.")}

    def try_save(self, request):
        if self.account_already_exists:
            # The work of creating the account that the answer must not reveal is skipped.
            make_password(self.cleaned_data.get("password1") or "")
        return super().try_save(request)


class AddEmailForm(PortalWordsMixin, allauth_forms.AddEmailForm):
    labels = {"email": _("Nouvelle adresse e-mail")}


class ChangePasswordForm(PortalWordsMixin, allauth_forms.ChangePasswordForm):
    labels = {"oldpassword": _("Mot de passe actuel"), **NEW_PASSWORD_LABELS}


class SetPasswordForm(PortalWordsMixin, allauth_forms.SetPasswordForm):
    labels = NEW_PASSWORD_LABELS


class ResetPasswordForm(PortalWordsMixin, allauth_forms.ResetPasswordForm):
    labels = {"email": EMAIL_LABEL}


class ResetPasswordKeyForm(PortalWordsMixin, allauth_forms.ResetPasswordKeyForm):
    labels = NEW_PASSWORD_LABELS


class ReauthenticateForm(PortalWordsMixin, allauth_forms.ReauthenticateForm):
    labels = {"password": _("Mot de passe")}


SECOND_FACTOR_CODE = {"code": _("Code de votre application ou code de récupération")}


class MfaAuthenticateForm(PortalWordsMixin, mfa_forms.AuthenticateForm):
    labels = SECOND_FACTOR_CODE


class MfaReauthenticateForm(PortalWordsMixin, mfa_forms.ReauthenticateForm):
    labels = SECOND_FACTOR_CODE


class ActivateTOTPForm(PortalWordsMixin, totp_forms.ActivateTOTPForm):
    labels = {"code": _("Code affiché par votre application")}
