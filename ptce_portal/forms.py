from allauth.account import forms as allauth_forms
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


class SignupForm(allauth_forms.SignupForm):
    """allauth's signup form, with no timing difference between a new address and a known one
    (ACCOUNT_PREVENT_ENUMERATION answers the same page; without this, the known address would
    answer in a few milliseconds instead of the time of hashing the password)."""

    def try_save(self, request):
        if self.account_already_exists:
            # The work of creating the account that the answer must not reveal is skipped.
            make_password(self.cleaned_data.get("password1") or "")
        return super().try_save(request)
