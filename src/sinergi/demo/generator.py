"""The synthetic ecosystem: shops, their people, and partner organisations.

Deterministic for a seed: each layer draws from its own random stream, named after the layer,
so adding a layer later (catalogs, orders, posts, offerings…) leaves the earlier layers'
data unchanged. Sizes run from a 20-shop demo to 100k shops for benchmarks: rows are built in
memory and written with bulk inserts, and every demo user shares one password hash.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from faker import Faker

from sinergi.accounts.api import (
    SECTORS,
    Membership,
    Organisation,
    OrganisationKind,
    Role,
    SizeClass,
    User,
)
from sinergi.core.models import Province, Regency
from sinergi.demo import vocabulary
from sinergi.demo.channels_layer import channels_layer
from sinergi.demo.commerce_layer import commerce_layer
from sinergi.demo.partnerships_layer import partnerships_layer

BATCH = 5000
DEMO_PASSWORD = "sinergi-demo"  # noqa: S105  (the demo's published shared sign-in)
DEMO_DOMAIN = "demo.sinergi.id"
DEMO_SIGN_INS: tuple[tuple[str, str], ...] = (
    (f"pemilik@{DEMO_DOMAIN}", "shop owner (two shops: switch between them)"),
    (f"staf@{DEMO_DOMAIN}", "shop staff (in both of the owner's shops)"),
    (f"industri@{DEMO_DOMAIN}", "industry partner administrator"),
    (f"kampus@{DEMO_DOMAIN}", "academic partner administrator"),
    (f"pemerintah@{DEMO_DOMAIN}", "government officer"),
)
Progress = Callable[[str], None]


@dataclass
class Ecosystem:
    """What the layers generated so far, handed from one layer to the next."""

    seed: int
    shops: list[Organisation] = field(default_factory=list)
    partners: list[Organisation] = field(default_factory=list)
    users: list[User] = field(default_factory=list)
    password_hash: str = ""

    def random(self, layer: str) -> random.Random:
        """The layer's own stream: the same seed and layer name give the same draws."""
        return random.Random(f"{self.seed}:{layer}")

    def faker(self, layer: str) -> Faker:
        fake = Faker("id_ID")
        fake.seed_instance(f"{self.seed}:{layer}")
        return fake

    def __str__(self) -> str:
        return (
            f"{len(self.shops)} shops, {len(self.partners)} partners, "
            f"{len(self.users)} people (seed {self.seed})"
        )


Layer = Callable[[Ecosystem, int], None]


def _bulk(model: Any, rows: list[Any], progress: Progress | None = None) -> list[Any]:
    created = []
    for start in range(0, len(rows), BATCH):
        created.extend(model.objects.bulk_create(rows[start : start + BATCH]))
        if progress and len(rows) > BATCH:
            progress(f"  {model.__name__}: {min(start + BATCH, len(rows))}/{len(rows)}")
    return created


def _weighted_provinces(rng: random.Random, count: int) -> list[Province]:
    provinces = list(Province.objects.all())
    if not provinces:
        raise RuntimeError("no provinces loaded: run `sinergi regions_load` first")
    weights = [vocabulary.PROVINCE_POPULATION_MILLIONS.get(p.code, 1.0) for p in provinces]
    return rng.choices(provinces, weights=weights, k=count)


def _regencies_by_province() -> dict[str, list[Regency]]:
    grouped: dict[str, list[Regency]] = {}
    for regency in Regency.objects.all():
        grouped.setdefault(regency.province_id, []).append(regency)
    return grouped


class _Slugs:
    def __init__(self) -> None:
        self.taken = set(Organisation.objects.values_list("slug", flat=True))

    def __call__(self, name: str) -> str:
        base = slugify(name)[:50] or "org"
        slug, n = base, 1
        while slug in self.taken:
            n += 1
            slug = f"{base}-{n}"
        self.taken.add(slug)
        return slug


class _People:
    """Makes users with unique e-mail addresses under the demo domain."""

    def __init__(self, ecosystem: Ecosystem, fake: Faker) -> None:
        self.ecosystem, self.fake = ecosystem, fake
        self.taken = set(User.objects.values_list("email", flat=True))

    def make(self, *, email: str | None = None, joined_days_ago: int = 0) -> User:
        name = self.fake.name()
        if email is None:
            base = slugify(name).replace("-", ".")[:40] or "pengguna"
            email, n = f"{base}@{DEMO_DOMAIN}", 1
            while email in self.taken:
                n += 1
                email = f"{base}{n}@{DEMO_DOMAIN}"
        self.taken.add(email)
        return User(
            email=email,
            full_name=name,
            password=self.ecosystem.password_hash,
            phone=self.fake.phone_number(),
            date_joined=timezone.now() - timedelta(days=joined_days_ago),
        )


def organisations_layer(ecosystem: Ecosystem, shop_count: int) -> None:
    """Shops across provinces and sectors with owners and staff; partners of all kinds."""
    rng, fake = ecosystem.random("organisations"), ecosystem.faker("organisations")
    slugs, people = _Slugs(), _People(ecosystem, fake)
    regencies = _regencies_by_province()
    memberships: list[tuple[int, int, str]] = []  # (user index, organisation index, role)
    users: list[User] = []
    organisations: list[Organisation] = []

    def add_user(user: User, org_index: int, role: str) -> None:
        users.append(user)
        memberships.append((len(users) - 1, org_index, role))

    named = iter(email for email, _ in DEMO_SIGN_INS)
    provinces = _weighted_provinces(rng, shop_count)
    for index, province in enumerate(provinces):
        sector = rng.choice(SECTORS)
        regency = rng.choice(regencies[province.code])
        name = vocabulary.shop_name(rng, fake, sector.family, regency.short_name)
        days = rng.randint(30, 900)
        organisations.append(
            Organisation(
                name=name,
                slug=slugs(name),
                kind=OrganisationKind.SHOP,
                kbli_code=sector.code,
                size_class=rng.choices(
                    [SizeClass.MICRO, SizeClass.SMALL, SizeClass.MEDIUM], weights=[88, 10, 2]
                )[0],
                province=province,
                regency=regency,
                description=vocabulary.shop_description(rng, sector.family, regency.short_name),
                address=f"{fake.street_address()}, {regency.short_name}",
                phone=f"+628{rng.randint(11, 59)}{rng.randint(10_000_000, 99_999_999)}",
                sales_channels=vocabulary.sales_channels(rng, sector.family),
                created_at=timezone.now() - timedelta(days=days),
            )
        )
        owner_email = next(named, None) if index == 0 else None
        add_user(people.make(email=owner_email, joined_days_ago=days), index, Role.OWNER)
        for _ in range(rng.choices([0, 1, 2, 3], weights=[45, 35, 15, 5])[0]):
            add_user(people.make(joined_days_ago=rng.randint(1, days)), index, Role.STAFF)
    if shop_count:
        # The demo staff account works in the first shop; the owner also runs the second, and
        # the staff helps there too (so both shops have staff's posts waiting for approval).
        add_user(people.make(email=next(named)), 0, Role.STAFF)
        if shop_count > 1:
            memberships += [(0, 1, Role.OWNER), (len(users) - 1, 1, Role.STAFF)]

    first_partner = len(organisations)
    partner_plan = vocabulary.partner_plan(rng, shop_count)
    for kind, province_choice in partner_plan:
        province = province_choice or _weighted_provinces(rng, 1)[0]
        regency = rng.choice(regencies[province.code])
        name = vocabulary.partner_name(rng, fake, kind, province.name, regency.short_name)
        organisations.append(
            Organisation(
                name=name,
                slug=slugs(name),
                kind=kind,
                is_verified=True,
                province=province,
                regency=regency,
                description=vocabulary.partner_description(kind),
                address=f"{fake.street_address()}, {regency.short_name}",
                phone=f"+62{rng.randint(21, 99)}{rng.randint(1_000_000, 9_999_999)}",
                email=f"info@{slugify(name)[:30]}.{DEMO_DOMAIN}",
                created_at=timezone.now() - timedelta(days=rng.randint(60, 900)),
            )
        )
    named_partners: dict[str, str] = {
        OrganisationKind.INDUSTRY: f"industri@{DEMO_DOMAIN}",
        OrganisationKind.ACADEMIA: f"kampus@{DEMO_DOMAIN}",
        OrganisationKind.GOVERNMENT: f"pemerintah@{DEMO_DOMAIN}",
    }
    for index in range(first_partner, len(organisations)):
        partner_kind = organisations[index].kind
        email = named_partners.pop(partner_kind, None)
        admin_role = Role.ADMIN
        staff_role = Role.OFFICER if partner_kind == OrganisationKind.GOVERNMENT else Role.STAFF
        add_user(
            people.make(email=email, joined_days_ago=rng.randint(30, 600)),
            index,
            staff_role if email and partner_kind == OrganisationKind.GOVERNMENT else admin_role,
        )
        for _ in range(rng.randint(1, 3)):
            add_user(people.make(joined_days_ago=rng.randint(1, 400)), index, staff_role)
        if email and partner_kind == OrganisationKind.GOVERNMENT:
            add_user(people.make(), index, admin_role)

    _bulk(Organisation, organisations)
    _bulk(User, users)
    saved_orgs = list(
        Organisation.objects.filter(slug__in=[o.slug for o in organisations]).order_by("pk")
    )
    by_slug = {org.slug: org for org in saved_orgs}
    organisations = [by_slug[o.slug] for o in organisations]
    by_email = dict(
        User.objects.filter(email__in=[u.email for u in users]).values_list("email", "pk")
    )
    _bulk(
        Membership,
        [
            Membership(user_id=by_email[users[u].email], organisation=organisations[o], role=role)
            for u, o, role in memberships
        ],
    )
    _bulk(
        EmailAddress,
        [
            EmailAddress(user_id=by_email[u.email], email=u.email, verified=True, primary=True)
            for u in users
        ],
    )
    ecosystem.shops.extend(organisations[:first_partner])
    ecosystem.partners.extend(organisations[first_partner:])
    ecosystem.users.extend(users)


# Later layers (catalog, orders, posts, offerings, programme effects…) append themselves here.
LAYERS: list[tuple[str, Layer]] = [
    ("organisations", organisations_layer),
    ("commerce", commerce_layer),
    ("channels", channels_layer),
    ("partnerships", partnerships_layer),
]


def ecosystem_generate(*, shops: int, seed: int, progress: Progress | None = None) -> Ecosystem:
    """Generate an ecosystem of ``shops`` shops into an empty database, layer by layer."""
    if shops < 1:
        raise ValueError("an ecosystem needs at least one shop")
    ecosystem = Ecosystem(seed=seed, password_hash=make_password(DEMO_PASSWORD))
    for name, layer in LAYERS:
        started = time.perf_counter()
        with transaction.atomic():
            layer(ecosystem, shops)
        if progress:
            progress(f"{name}: {time.perf_counter() - started:.1f} s")
    return ecosystem
