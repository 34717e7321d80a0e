"""People, organisations and the memberships that join them."""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sinergi.core.models import Province, Regency
from sinergi.core.tenancy import TenantModel


class UserManager(BaseUserManager["User"]):
    """Users sign in with their e-mail address; there is no user name."""

    use_in_migrations = True

    def _create(self, email: str, password: str | None, **fields: Any) -> User:
        if not email:
            raise ValueError("an e-mail address is required")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **fields: Any) -> User:
        fields.setdefault("is_staff", False)
        fields.setdefault("is_superuser", False)
        return self._create(email, password, **fields)

    def create_superuser(self, email: str, password: str | None = None, **fields: Any) -> User:
        fields.update(is_staff=True, is_superuser=True)
        return self._create(email, password, **fields)


class User(AbstractUser):
    """A person. Platform operators are superusers; everyone else acts through memberships."""

    username = None  # type: ignore[assignment]
    first_name = None  # type: ignore[assignment]
    last_name = None  # type: ignore[assignment]
    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    objects: ClassVar[UserManager] = UserManager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name or self.email

    def get_short_name(self) -> str:
        """The first name, skipping titles such as "dr." or "Hj."."""
        words = [word.rstrip(",") for word in self.full_name.split()]
        return next((word for word in words if not word.endswith(".")), self.email)


class OrganisationKind(models.TextChoices):
    SHOP = "shop", _("Shop (UMKM)")
    INDUSTRY = "industry", _("Industry partner")
    ACADEMIA = "academia", _("Academic partner")
    GOVERNMENT = "government", _("Government agency")


PARTNER_KINDS = frozenset(
    {OrganisationKind.INDUSTRY, OrganisationKind.ACADEMIA, OrganisationKind.GOVERNMENT}
)


class SizeClass(models.TextChoices):
    """Business size per Law 20/2008 as amended by Government Regulation 7/2021."""

    MICRO = "micro", _("Micro")
    SMALL = "small", _("Small")
    MEDIUM = "medium", _("Medium")


class SalesChannel(models.TextChoices):
    STOREFRONT = "storefront", _("Own web storefront")
    WHATSAPP = "whatsapp", "WhatsApp"
    INSTAGRAM = "instagram", "Instagram"
    FACEBOOK = "facebook", "Facebook"
    TIKTOK = "tiktok", "TikTok"
    SHOPEE = "shopee", "Shopee"
    TOKOPEDIA = "tokopedia", "Tokopedia"
    TIKTOK_SHOP = "tiktok_shop", "TikTok Shop"
    FOOD_DELIVERY = "food_delivery", _("GoFood / GrabFood")
    WALK_IN = "walk_in", _("Walk-in store")


class Organisation(models.Model):
    """A shop or a partner (industry, academia, government): the unit of tenancy."""

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(
        _("web address"),
        max_length=60,
        unique=True,
        help_text=_("Used in your storefront address; letters, numbers and dashes."),
    )
    kind = models.CharField(_("kind"), max_length=12, choices=OrganisationKind.choices)
    is_verified = models.BooleanField(
        _("verified by the platform"),
        default=False,
        help_text=_("Partners are verified by the platform operator before they publish."),
    )
    description = models.TextField(_("about"), blank=True, max_length=2000)
    kbli_code = models.CharField(
        _("sector (KBLI)"),
        max_length=5,
        blank=True,
        validators=[RegexValidator(r"^\d{5}$", _("A KBLI code has five digits."))],
    )
    size_class = models.CharField(
        _("size class"), max_length=6, choices=SizeClass.choices, blank=True
    )
    province = models.ForeignKey(
        Province,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("province"),
    )
    regency = models.ForeignKey(
        Regency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("regency or city"),
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)
    sales_channels = models.JSONField(_("channels you sell on"), default=list, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=OrganisationKind.values),
                name="organisation_kind_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(kind=OrganisationKind.SHOP) | models.Q(size_class=""),
                name="organisation_size_class_only_for_shops",
            ),
        ]
        indexes = [models.Index(fields=["kind", "province"], name="org_kind_province")]

    def __str__(self) -> str:
        return self.name

    @property
    def is_shop(self) -> bool:
        return self.kind == OrganisationKind.SHOP

    @property
    def is_partner(self) -> bool:
        return self.kind in PARTNER_KINDS

    def sales_channel_labels(self) -> list[str]:
        labels = dict(SalesChannel.choices)
        return [str(labels[code]) for code in self.sales_channels if code in labels]


class Role(models.TextChoices):
    OWNER = "owner", _("Owner")
    STAFF = "staff", _("Staff")
    ADMIN = "admin", _("Administrator")
    OFFICER = "officer", _("Officer")


# The roles each kind of organisation gives out, the managing role first.
ROLES_BY_KIND: dict[str, tuple[Role, ...]] = {
    OrganisationKind.SHOP: (Role.OWNER, Role.STAFF),
    OrganisationKind.INDUSTRY: (Role.ADMIN, Role.STAFF),
    OrganisationKind.ACADEMIA: (Role.ADMIN, Role.STAFF),
    OrganisationKind.GOVERNMENT: (Role.ADMIN, Role.OFFICER),
}
MANAGING_ROLES = frozenset({Role.OWNER, Role.ADMIN})


class Membership(models.Model):
    """A user's place in an organisation, with the role that decides what they may do."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices)
    created_at = models.DateTimeField(_("joined"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="membership_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organisation} ({self.role})"

    @property
    def can_manage(self) -> bool:
        """Owners and administrators edit the profile and the team."""
        return self.role in MANAGING_ROLES


class Invitation(TenantModel):
    """An invitation to join an organisation, sent by e-mail and accepted once."""

    email = models.EmailField(_("e-mail"))
    role = models.CharField(_("role"), max_length=10, choices=Role.choices)
    invited_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.UniqueConstraint(
                "organisation",
                Lower("email"),
                condition=models.Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="invitation_one_open_per_email",
            ),
        ]

    def __str__(self) -> str:
        return self.email

    @property
    def is_open(self) -> bool:
        return (
            self.accepted_at is None
            and self.revoked_at is None
            and self.expires_at > timezone.now()
        )
