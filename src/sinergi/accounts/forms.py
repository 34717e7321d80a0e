"""Forms of the accounts pages."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sinergi.accounts.models import (
    ROLES_BY_KIND,
    Organisation,
    OrganisationKind,
    SalesChannel,
)
from sinergi.accounts.sectors import SECTORS, is_known_kbli
from sinergi.core.models import Regency


class SignupExtraForm(forms.Form):
    """What allauth's sign-up asks beyond e-mail and password."""

    full_name = forms.CharField(label=_("Full name"), max_length=150)

    def signup(self, request: Any, user: Any) -> None:
        user.full_name = self.cleaned_data["full_name"]
        user.save(update_fields=["full_name"])


class OrganisationForm(forms.ModelForm):
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    sales_channels = forms.MultipleChoiceField(
        label=_("Channels you sell on"),
        choices=SalesChannel.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Organisation
        fields = [
            "name",
            "kind",
            "description",
            "kbli_code",
            "size_class",
            "province",
            "regency",
            "address",
            "phone",
            "email",
            "website",
            "sales_channels",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "kbli_code": forms.TextInput(
                attrs={"list": "kbli-codes", "inputmode": "numeric", "autocomplete": "off"}
            ),
            "phone": forms.TextInput(attrs={"inputmode": "tel", "placeholder": "+62 812…"}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["kind"]  # what an organisation is does not change later
        province = self.data.get("province") or self.instance.province_id
        regency = self.fields["regency"]
        assert isinstance(regency, forms.ModelChoiceField)
        regency.queryset = Regency.objects.filter(province_id=province or "")
        self.fields["province"].widget.attrs.update(
            {
                "hx-get": "/places/regencies/",
                "hx-target": "#id_regency",
                "hx-trigger": "change",
            }
        )
        self.sectors = SECTORS

    def clean_kbli_code(self) -> str:
        code: str = self.cleaned_data["kbli_code"].strip()
        if code and not is_known_kbli(code):
            raise forms.ValidationError(
                _("Enter a five-digit KBLI 2020 code, such as 56102 for a warung makan.")
            )
        return code

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("kind") or self.instance.kind
        if kind != OrganisationKind.SHOP:
            data["size_class"] = ""
        elif not data.get("size_class"):
            self.add_error("size_class", _("Choose the size class of your business."))
        regency, province = data.get("regency"), data.get("province")
        if regency and province and regency.province_id != province.pk:
            self.add_error("regency", _("This regency is not in the chosen province."))
        return data


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"))
    role = forms.ChoiceField(label=_("Role"))

    def __init__(self, *args: Any, kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        role = self.fields["role"]
        assert isinstance(role, forms.ChoiceField)
        role.choices = [(r.value, r.label) for r in ROLES_BY_KIND[kind]]
