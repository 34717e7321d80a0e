# ruff: noqa: F811  (pytest fixtures imported from test_views_common are used as arguments)
"""Catalog pages: who may open them, adding and editing products, filters, no N+1."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from sinergi.commerce.models import Category, Product, ProductPhoto, Variant
from sinergi.commerce.services.catalog import product_photo_add
from sinergi.core.tenancy import across_tenants, tenant_context
from tests.commerce.conftest import variant_make
from tests.commerce.routes import png_upload
from tests.commerce.test_views_common import (  # noqa: F401  (fixtures)
    owner_client,
    owner_of,
    staff_client,
    staff_of,
)
from tests.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

WORKSPACE_PAGES = [
    "commerce:product_list",
    "commerce:product_create",
    "commerce:stock_list",
    "commerce:movement_list",
    "commerce:low_stock_alert",
    "commerce:order_list",
    "commerce:order_create",
    "commerce:order_product_search",
    "commerce:debtor_list",
    "commerce:customer_list",
]


def _variant_rows(*rows: dict[str, str], total: int | None = None) -> dict[str, str]:
    data = {
        "variants-TOTAL_FORMS": str(total or len(rows)),
        "variants-INITIAL_FORMS": "0",
        "variants-MIN_NUM_FORMS": "0",
        "variants-MAX_NUM_FORMS": "50",
    }
    for number, row in enumerate(rows):
        defaults = {"low_stock_threshold": "3", "is_active": "on"}
        for key, value in {**defaults, **row}.items():
            data[f"variants-{number}-{key}"] = value
    return data


@pytest.mark.parametrize("name", WORKSPACE_PAGES)
def test_anonymous_people_are_sent_to_sign_in(client, name):
    response = client.get(reverse(name))

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("name", WORKSPACE_PAGES)
def test_partners_have_no_shop_pages(signed_in, settings, name):
    settings.SINERGI_REQUIRE_PARTNER_MFA = False
    partner = MembershipFactory(organisation=OrganisationFactory(kind="industry", size_class=""))

    assert signed_in(partner.user).get(reverse(name)).status_code == 404


def test_owner_adds_a_product_with_two_variants_and_a_photo(shop, owner_client):
    data = {
        "name": "Kemeja Batik Parang",
        "new_category": "Kemeja",
        "description": "Katun, cap tangan",
        "is_active": "on",
        "image": png_upload(size=(2000, 1500)),
        **_variant_rows(
            {"name": "M", "sku": "KBP-M", "price": "175.000", "cost_price": "100000"},
            {"name": "L", "sku": "KBP-L", "price": "Rp 185.000"},
            {},
            total=3,
        ),
    }

    response = owner_client.post(reverse("commerce:product_create"), data)

    with tenant_context(shop.pk):
        product = Product.objects.get()
        variants = list(product.variants.order_by("position").values_list("sku", "name", "price"))
        photo = ProductPhoto.objects.get()
        category = Category.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("commerce:product_edit", args=[product.pk])
    assert (product.name, category.name, product.category_id) == (
        "Kemeja Batik Parang",
        "Kemeja",
        category.pk,
    )
    assert variants == [("KBP-M", "M", 175_000), ("KBP-L", "L", 185_000)]
    with photo.thumbnail.open() as handle, Image.open(handle) as thumb:
        assert (thumb.format, max(thumb.size)) == ("WEBP", 480)


def test_a_duplicate_sku_is_refused_and_nothing_is_created(shop, owner_client):
    variant_make(shop, sku="KBP-L")
    data = {
        "name": "Kemeja Baru",
        "is_active": "on",
        **_variant_rows({"name": "L", "sku": "KBP-L", "price": "185000"}),
    }

    response = owner_client.post(reverse("commerce:product_create"), data)

    assert response.status_code == 400
    assert "KBP-L" in response.content.decode()
    with tenant_context(shop.pk):
        assert Product.objects.count() == 1


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ({"sku": "A 1", "price": "1000"}, "sku"),
        ({"sku": "A1", "price": "seribu"}, "price"),
        ({"sku": "A1", "price": "-5"}, "price"),
    ],
)
def test_bad_variant_rows_get_a_clear_error(shop, owner_client, row, message):
    response = owner_client.post(
        reverse("commerce:product_create"),
        {"name": "Keripik", "is_active": "on", **_variant_rows(row)},
    )

    assert response.status_code == 400
    errors = response.context["formset"].forms[0].errors
    assert list(errors) == [message]
    assert errors[message][0] in response.content.decode()
    with tenant_context(shop.pk):
        assert not Product.objects.exists()


def test_a_product_needs_a_variant(shop, owner_client):
    response = owner_client.post(
        reverse("commerce:product_create"),
        {"name": "Keripik", "is_active": "on", **_variant_rows({}, total=1)},
    )

    assert response.status_code == 400
    assert "at least one variant" in response.content.decode()


def test_a_file_that_is_not_a_picture_is_refused(shop, owner_client):
    variant = variant_make(shop)
    response = owner_client.post(
        reverse("commerce:photo_upload", args=[variant.product_id]),
        {"image": SimpleUploadedFile("x.jpg", b"not a picture", content_type="image/jpeg")},
    )

    assert response.status_code == 400
    with tenant_context(shop.pk):
        assert not ProductPhoto.objects.exists()


def test_owner_edits_price_and_adds_a_variant(shop, owner_client):
    variant = variant_make(shop, name="Keripik Tempe", sku="KT-100", price=12_500)
    data = {
        "name": "Keripik Tempe Pedas",
        "is_active": "on",
        "variants-TOTAL_FORMS": "2",
        "variants-INITIAL_FORMS": "1",
        "variants-MIN_NUM_FORMS": "0",
        "variants-MAX_NUM_FORMS": "50",
        "variants-0-id": str(variant.pk),
        "variants-0-name": "100 g",
        "variants-0-sku": "KT-100",
        "variants-0-price": "13000",
        "variants-0-low_stock_threshold": "5",
        "variants-0-is_active": "on",
        "variants-1-name": "250 g",
        "variants-1-sku": "KT-250",
        "variants-1-price": "30000",
        "variants-1-low_stock_threshold": "3",
        "variants-1-is_active": "on",
    }

    response = owner_client.post(reverse("commerce:product_edit", args=[variant.product_id]), data)

    assert response.status_code == 302
    with tenant_context(shop.pk):
        rows = list(
            Variant.objects.order_by("position").values_list(
                "sku", "name", "price", "low_stock_threshold"
            )
        )
        assert Product.objects.get().name == "Keripik Tempe Pedas"
    assert rows == [("KT-100", "100 g", 13_000, 5), ("KT-250", "250 g", 30_000, 3)]


def test_staff_see_products_but_cannot_change_them(shop, staff_client):
    variant = variant_make(shop, price=12_500)
    url = reverse("commerce:product_edit", args=[variant.product_id])

    assert staff_client.get(reverse("commerce:product_list")).status_code == 200
    assert staff_client.get(url).status_code == 200
    assert staff_client.get(reverse("commerce:product_create")).status_code == 403
    assert staff_client.post(url, {"name": "Murah"}).status_code == 403
    assert (
        staff_client.post(
            reverse("commerce:product_archive", args=[variant.product_id])
        ).status_code
        == 403
    )
    with tenant_context(shop.pk):
        assert Product.objects.get().is_active


def test_archive_hides_and_restores(shop, owner_client):
    variant = variant_make(shop)
    url = reverse("commerce:product_archive", args=[variant.product_id])

    owner_client.post(url)
    with tenant_context(shop.pk):
        assert not Product.objects.get().is_active
    archived = owner_client.get(reverse("commerce:product_list"), {"status": "archived"})
    active = owner_client.get(reverse("commerce:product_list"))
    owner_client.post(url)

    assert [p.pk for p in archived.context["page"]] == [variant.product_id]
    assert list(active.context["page"]) == []
    with tenant_context(shop.pk):
        assert Product.objects.get().is_active


def test_list_search_category_and_stock_filters(shop, owner_client):
    low = variant_make(shop, name="Kemeja Batik", sku="KB-1", stock=2, threshold=3)
    variant_make(shop, name="Keripik Tempe", sku="KT-1", stock=50)
    out = variant_make(shop, name="Sambal Roa", sku="SR-1", stock=0)
    url = reverse("commerce:product_list")

    def names(**params):
        return [p.name for p in owner_client.get(url, params).context["page"]]

    assert names(q="kt-1") == ["Keripik Tempe"]
    assert names(stock="low") == ["Kemeja Batik", "Sambal Roa"]
    assert names(stock="out") == ["Sambal Roa"]
    assert {low.product.name, out.product.name} <= set(names())
    page = owner_client.get(url).content.decode()
    assert "running low" in page or "hampir habis" in page


def test_product_list_costs_the_same_queries_for_3_and_12_products(shop, owner_client):
    url = reverse("commerce:product_list")
    for n in range(3):
        variant_make(shop, name=f"Produk {n}", stock=n)
    with CaptureQueriesContext(connection) as few:
        owner_client.get(url)
    for n in range(3, 12):
        variant = variant_make(shop, name=f"Produk {n}", stock=n)
        product_photo_add(
            organisation=shop, product=variant.product, upload=png_upload(size=(50, 50))
        )
    with CaptureQueriesContext(connection) as many:
        response = owner_client.get(url)

    assert len(response.context["page"]) == 12
    assert len(many) == len(few)


def test_low_stock_banner_and_workspace_home(shop, owner_client):
    variant_make(shop, name="Kemeja Batik", variant="L", stock=1, threshold=3)
    variant_make(shop, name="Keripik", stock=40)

    banner = owner_client.get(reverse("commerce:low_stock_alert")).content.decode()
    home = owner_client.get(reverse("web:workspace")).content.decode()

    assert "Kemeja Batik — L" in banner
    assert "Keripik" not in banner
    assert reverse("commerce:low_stock_alert") in home


def test_other_shops_products_never_show(shop, owner_client):
    other = OrganisationFactory()
    variant_make(other, name="Milik Tetangga")
    variant_make(shop, name="Milik Sendiri")

    page = owner_client.get(reverse("commerce:product_list")).content.decode()

    assert "Milik Sendiri" in page
    assert "Milik Tetangga" not in page
    with across_tenants(reason="test"):
        assert Product.objects.count() == 2


def _commerce_routes():
    import tests.commerce.routes  # noqa: F401, PLC0415  (registers the routes)
    from tests.tenancy import TENANT_ROUTES  # noqa: PLC0415

    return [
        route
        for _name, route in sorted(TENANT_ROUTES.items())
        if route.make.__module__ == "tests.commerce.routes"
    ]


@pytest.mark.parametrize("route", _commerce_routes(), ids=lambda r: r.url_name)
def test_anonymous_people_cannot_open_or_change_any_object(client, shop, route):
    from tests.tenancy import database_snapshot  # noqa: PLC0415

    url = reverse(route.url_name, kwargs=route.make(shop))
    before = database_snapshot()

    for method in route.methods:
        response = getattr(client, method)(url, data=route.data() if route.data else {})
        assert response.status_code == 302, f"{method.upper()} {url}"
        assert response["Location"].startswith("/accounts/login/")

    assert database_snapshot() == before
