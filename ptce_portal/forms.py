from django import forms
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
