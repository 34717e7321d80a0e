import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command

from sinergi.accounts.models import Membership, Organisation, OrganisationKind
from sinergi.accounts.sectors import is_known_kbli
from sinergi.channels.models import Post, PostAttribution, PostMetric
from sinergi.core.places import regions_load
from sinergi.core.tenancy import across_tenants
from sinergi.demo.generator import DEMO_PASSWORD, DEMO_SIGN_INS, ecosystem_generate

pytestmark = pytest.mark.django_db


def _fingerprint():
    return list(
        Organisation.objects.order_by("pk").values_list(
            "name", "kind", "kbli_code", "regency_id", "sales_channels"
        )
    )


def _channels_fingerprint():
    """What the channels layer drew: TikTok counts, attributions and posts waiting for approval."""
    with across_tenants(reason="the test compares every shop's channels"):
        return (
            list(
                PostMetric.objects.filter(variant__account__platform="tiktok")
                .order_by("variant__post__scheduled_at", "captured_at", "video_views")
                .values_list("video_views", "likes", "comments", "shares")
            ),
            list(
                PostAttribution.objects.order_by("order__placed_at", "order__number").values_list(
                    "order__number", "post__caption", "source"
                )
            ),
            list(
                Post.objects.filter(variants__status="awaiting_approval")
                .order_by("scheduled_at", "caption")
                .values_list("caption", "created_by__email")
            ),
        )


def _empty_database():
    """Flush between two generations; PostgreSQL allows it only outside a transaction, hence
    the tests that call this are transactional."""
    call_command("flush", interactive=False, verbosity=0)
    regions_load()


@pytest.mark.django_db(transaction=True)
def test_same_seed_gives_the_same_ecosystem():
    ecosystem_generate(shops=12, seed=3)
    first, channels = _fingerprint(), _channels_fingerprint()
    _empty_database()

    ecosystem_generate(shops=12, seed=3)

    assert _fingerprint() == first
    assert all(channels)
    assert _channels_fingerprint() == channels


@pytest.mark.django_db(transaction=True)
def test_another_seed_gives_another_ecosystem():
    ecosystem_generate(shops=12, seed=3)
    first = [name for name, *_ in _fingerprint()]
    _empty_database()

    ecosystem_generate(shops=12, seed=4)

    assert [name for name, *_ in _fingerprint()] != first


def test_shops_are_complete_and_located_in_their_province():
    ecosystem_generate(shops=40, seed=1)
    shops = Organisation.objects.filter(kind=OrganisationKind.SHOP).select_related("regency")

    assert shops.count() == 40
    for shop in shops:
        assert is_known_kbli(shop.kbli_code)
        assert shop.regency.province_id == shop.province_id
        assert shop.size_class in {"micro", "small", "medium"}
        assert shop.sales_channels
        assert shop.memberships.filter(role="owner").exists()
    assert len({shop.province_id for shop in shops}) > 5


def test_every_kind_of_partner_exists_with_staff():
    ecosystem_generate(shops=20, seed=1)

    for kind in ("industry", "academia", "government"):
        partners = Organisation.objects.filter(kind=kind)
        assert partners.exists()
        assert all(p.memberships.count() >= 2 for p in partners)


def test_demo_sign_ins_work_and_land_where_the_demo_says():
    ecosystem_generate(shops=20, seed=7)

    for email, _ in DEMO_SIGN_INS:
        assert authenticate(email=email, password=DEMO_PASSWORD) is not None
    owner = Membership.objects.filter(user__email=DEMO_SIGN_INS[0][0])
    assert sorted(owner.values_list("role", flat=True)) == ["owner", "owner"]
    staff = Membership.objects.filter(user__email=DEMO_SIGN_INS[1][0])
    assert set(staff.values_list("role", flat=True)) == {"staff"}
    assert set(staff.values_list("organisation_id", flat=True)) == set(
        owner.values_list("organisation_id", flat=True)
    )
    assert Membership.objects.get(user__email=DEMO_SIGN_INS[4][0]).role == "officer"
    assert Membership.objects.get(user__email=DEMO_SIGN_INS[3][0]).organisation.kind == "academia"
