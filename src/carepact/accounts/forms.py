"""Forms for the account and organisation pages.

Forms check types and lengths at the edge; the rules live in the services.
"""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm

from carepact.accounts import throttle
from carepact.accounts.models import COUNTRY_CHOICES, Level, Organisation, OrganisationKind


class SignInForm(AuthenticationForm):
    username = forms.EmailField(
        label="E-mail address",
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "The e-mail address and password do not match an account. "
        "Check them and try again.",
    }

    def clean(self):
        email = self.cleaned_data.get("username")
        reason = throttle.lockout_reason(email, throttle.client_address(self.request))
        if reason:
            raise forms.ValidationError(reason, code="throttled")
        return super().clean()


class OrganisationForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = [
            "name",
            "kind",
            "country",
            "ods_code",
            "ror_id",
            "companies_house_number",
            "lei",
            "website",
        ]
        help_texts = {
            "ods_code": "NHS Organisation Data Service code, for NHS bodies (e.g. RRK).",
            "ror_id": "Research Organization Registry ID, for universities and institutes.",
            "companies_house_number": "For UK companies: 8 digits, or 2 letters and 6 digits.",
            "lei": "Legal Entity Identifier (20 characters), if you have one.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = OrganisationKind.choices
        self.fields["country"].choices = COUNTRY_CHOICES

    def _post_clean(self):
        # Identifier formats and check digits are validated by the service.
        pass


class NewOrganisationForm(OrganisationForm):
    level = forms.ChoiceField(label="Your level in this organisation", choices=Level.choices)
    job_title = forms.CharField(label="Your job title", max_length=200, required=False)


class InvitePersonForm(forms.Form):
    email = forms.EmailField(label="Their e-mail address")
    level = forms.ChoiceField(label="Their level", choices=Level.choices)
    is_admin = forms.BooleanField(
        label="Make them an administrator of the organisation", required=False
    )


class MembershipForm(forms.Form):
    level = forms.ChoiceField(choices=Level.choices)
    job_title = forms.CharField(max_length=200, required=False)
    is_admin = forms.BooleanField(label="Administrator", required=False)


class JoinForm(forms.Form):
    full_name = forms.CharField(label="Your full name", max_length=200)
    password = forms.CharField(
        label="Choose a password",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="At least 10 characters, not a common password, not only digits.",
    )
    password_again = forms.CharField(
        label="The same password again",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        data = super().clean()
        if data.get("password") and data.get("password") != data.get("password_again"):
            self.add_error("password_again", "The two passwords differ.")
        return data


class TokenForm(forms.Form):
    name = forms.CharField(label="What is this token for?", max_length=100)
    expires_in_days = forms.IntegerField(
        label="Expires after (days)",
        min_value=1,
        max_value=366,
        required=False,
        help_text="Leave empty for a token that lasts until you revoke it.",
    )
