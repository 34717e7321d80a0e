"""The HTTP API: bearer tokens, tenant isolation, errors as JSON, and each endpoint's effect."""

from __future__ import annotations

import pytest
from django.test import Client

from sinergi.commerce.models import ApiToken, Order, StockBalance
from sinergi.commerce.tokens import api_token_create, api_token_revoke
from sinergi.core.tenancy import tenant_context
from tests.commerce.conftest import variant_make
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


class Api:
    """A client that sends the token and JSON."""

    def __init__(self, token: str | None) -> None:
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def get(self, url: str, **params):
        return self.client.get(f"/api{url}", params, headers=self.headers)

    def post(self, url: str, data=None):
        return self.client.post(
            f"/api{url}", data or {}, content_type="application/json", headers=self.headers
        )

    def patch(self, url: str, data):
        return self.client.patch(
            f"/api{url}", data, content_type="application/json", headers=self.headers
        )


@pytest.fixture
def api(shop) -> Api:
    _token, plain = api_token_create(organisation=shop, name="Laptop kasir", created_by=None)
    return Api(plain)


@pytest.fixture
def kemeja(shop):
    return variant_make(shop, name="Kemeja Batik", variant="M", sku="KMJ-M", stock=3)


# --- Authentication -------------------------------------------------------------------------


def test_without_a_token_the_answer_is_401_json():
    response = Api(None).get("/products")
    assert response.status_code == 401
    assert "Bearer" in response.json()["detail"]


@pytest.mark.parametrize("token", ["nonsense", "sng_deadbeef_wrong", "sng_" + "x" * 300])
def test_an_unknown_token_is_401(shop, token):
    assert Api(token).get("/products").status_code == 401


def test_a_revoked_token_stops_working_at_once(shop):
    token, plain = api_token_create(organisation=shop, name="Old", created_by=None)
    assert Api(plain).get("/products").status_code == 200

    api_token_revoke(organisation=shop, token=token)

    assert Api(plain).get("/products").status_code == 401


def test_a_partner_organisations_token_is_403():
    partner = OrganisationFactory(kind="industry")
    _token, plain = api_token_create(organisation=partner, name="x", created_by=None)
    for _call in range(2):  # the second finds the token in the cache
        response = Api(plain).get("/products")
        assert response.status_code == 403
        assert response.json() == {"detail": "Only shops can use the API."}


def test_a_token_in_use_is_not_looked_up_in_the_database_on_every_call(shop):
    from django.db import connection  # noqa: PLC0415
    from django.test.utils import CaptureQueriesContext  # noqa: PLC0415

    _token, plain = api_token_create(organisation=shop, name="Kasir", created_by=None)
    assert Api(plain).get("/products").status_code == 200

    with CaptureQueriesContext(connection) as queries:
        assert Api(plain).get("/products").status_code == 200

    assert queries.captured_queries
    assert not [q for q in queries if ApiToken._meta.db_table in q["sql"]]


def test_a_revocation_the_cache_missed_takes_effect_when_the_entry_expires(shop):
    """Revoked without telling the cache (its server could not reach it): the remembered
    token lasts at most TOKEN_CACHE_SECONDS; then the database answers."""
    from django.core.cache import cache  # noqa: PLC0415
    from django.utils import timezone  # noqa: PLC0415

    from sinergi.commerce.tokens import token_hash  # noqa: PLC0415

    token, plain = api_token_create(organisation=shop, name="Kasir", created_by=None)
    assert Api(plain).get("/products").status_code == 200
    with tenant_context(shop.pk):
        ApiToken.objects.filter(pk=token.pk).update(revoked_at=timezone.now())

    cache.delete(f"commerce:api-token:{token_hash(plain)}")  # what expiry does

    assert Api(plain).get("/products").status_code == 401


def test_a_revoked_mark_is_not_overwritten_by_a_lookup_in_flight(shop):
    """A call that read the token just before it was revoked does not put it back."""
    from sinergi.commerce import tokens  # noqa: PLC0415

    token, plain = api_token_create(organisation=shop, name="Kasir", created_by=None)
    api_token_revoke(organisation=shop, token=token)
    # The late write of a call that found the token active a moment before.
    tokens._cache_put(tokens.token_hash(plain), token, replace=False)

    assert Api(plain).get("/products").status_code == 401


def test_only_a_hash_of_the_secret_is_stored_and_use_is_recorded(shop):
    token, plain = api_token_create(organisation=shop, name="Sync", created_by=None)
    assert plain.startswith(f"sng_{token.prefix}_")
    assert plain not in token.secret_hash
    assert len(token.secret_hash) == 64

    Api(plain).get("/products")

    with tenant_context(shop.pk):
        assert ApiToken.objects.get(pk=token.pk).last_used_at is not None


# --- Catalog --------------------------------------------------------------------------------


def test_product_create_list_get_and_update(api):
    created = api.post(
        "/products",
        {
            "name": "Keripik Balado",
            "category": "Makanan",
            "variants": [
                {"sku": "KRP-100", "name": "100 g", "price": 12000},
                {"sku": "KRP-250", "name": "250 g", "price": 25000, "cost_price": 15000},
            ],
        },
    )
    assert created.status_code == 201, created.content
    product = created.json()
    assert product["category"] == "Makanan"
    assert [v["sku"] for v in product["variants"]] == ["KRP-100", "KRP-250"]

    listed = api.get("/products").json()
    assert listed["count"] == 1
    assert listed["items"][0]["id"] == product["id"]

    patched = api.patch(f"/products/{product['id']}", {"description": "Pedas manis"})
    assert patched.status_code == 200
    assert patched.json()["description"] == "Pedas manis"
    assert patched.json()["name"] == "Keripik Balado"

    variant_id = product["variants"][0]["id"]
    changed = api.patch(f"/variants/{variant_id}", {"price": 13000})
    assert changed.status_code == 200
    assert (changed.json()["price"], changed.json()["sku"]) == (13000, "KRP-100")

    added = api.post(f"/products/{product['id']}/variants", {"sku": "KRP-500", "price": 45000})
    assert added.status_code == 201
    assert api.get(f"/products/{product['id']}").json()["variants"][-1]["sku"] == "KRP-500"


def test_duplicate_sku_is_a_400_naming_the_field(api, kemeja):
    response = api.post(f"/products/{kemeja.product_id}/variants", {"sku": "KMJ-M", "price": 1})
    assert response.status_code == 400
    body = response.json()
    assert "KMJ-M" in body["detail"]
    assert body["errors"][0]["field"] == "sku"


def test_invalid_body_is_a_400_listing_the_fields(api):
    response = api.post("/products", {"name": "", "variants": []})
    assert response.status_code == 400
    fields = {e["field"] for e in response.json()["errors"]}
    assert {"body.data.name", "body.data.variants"} <= fields


def test_product_list_query_count_does_not_grow_with_products(
    api, shop, django_assert_max_num_queries
):
    for i in range(5):
        variant_make(shop, name=f"Produk {i}")
    with django_assert_max_num_queries(6):
        assert api.get("/products").json()["count"] == 5


# --- Stock ----------------------------------------------------------------------------------


def test_receive_adjust_balances_and_movements(api, kemeja):
    received = api.post("/stock/receive", {"variant_id": kemeja.pk, "quantity": 5, "note": "PO 12"})
    assert received.status_code == 201
    assert received.json()["on_hand_delta"] == 5

    adjusted = api.post("/stock/adjust", {"variant_id": kemeja.pk, "delta": -2, "note": "rusak"})
    assert adjusted.status_code == 201

    balances = api.get("/stock/balances", variant_id=kemeja.pk).json()["items"]
    assert [(b["sku"], b["on_hand"], b["reserved"], b["available"]) for b in balances] == [
        ("KMJ-M", 6, 0, 6)
    ]
    kinds = [m["kind"] for m in api.get("/stock/movements").json()["items"]]
    assert kinds == ["adjustment", "receipt", "receipt"]


def test_adjusting_below_zero_is_a_409(api, kemeja):
    response = api.post("/stock/adjust", {"variant_id": kemeja.pk, "delta": -10})
    assert response.status_code == 409
    assert response.json()["detail"]


# --- Orders ---------------------------------------------------------------------------------


def test_order_create_get_list_and_steps(api, shop, kemeja):
    created = api.post(
        "/orders",
        {
            "channel": "whatsapp",
            "lines": [{"variant_id": kemeja.pk, "quantity": 2}],
            "customer_name": "Sari",
            "customer_phone": "0812 3456 7890",
            "shipping_fee": 10000,
        },
    )
    assert created.status_code == 201, created.content
    order = created.json()
    assert (order["status"], order["subtotal"], order["total"]) == ("placed", 300000, 310000)
    assert order["customer_phone"] == "+6281234567890"
    assert order["lines"][0]["sku"] == "KMJ-M"

    paid = api.post(f"/orders/{order['id']}/payments", {"method": "qris"})
    assert (paid.status_code, paid.json()["status"], paid.json()["amount_paid"]) == (
        201,
        "paid",
        310000,
    )
    shipped = api.post(f"/orders/{order['id']}/ship")
    assert (shipped.status_code, shipped.json()["status"]) == (200, "shipped")
    again = api.post(f"/orders/{order['id']}/cancel")
    assert again.status_code == 409
    assert "cannot be cancelled" in again.json()["detail"]

    assert api.get(f"/orders/{order['id']}").json()["status"] == "shipped"
    assert api.get("/orders", status="shipped").json()["count"] == 1
    assert api.get("/orders", status="placed").json()["count"] == 0
    with tenant_context(shop.pk):
        balance = StockBalance.objects.get(variant=kemeja)
    assert (balance.on_hand, balance.reserved) == (1, 0)


def test_sold_out_is_a_409_naming_the_product(api, shop, kemeja):
    response = api.post(
        "/orders", {"channel": "phone", "lines": [{"variant_id": kemeja.pk, "quantity": 4}]}
    )
    assert response.status_code == 409
    assert "Kemeja Batik" in response.json()["detail"]
    with tenant_context(shop.pk):
        assert not Order.objects.exists()


def test_order_with_external_id_is_created_once(api, shop, kemeja):
    body = {
        "channel": "shopee",
        "external_id": "2401ABC",
        "lines": [{"variant_id": kemeja.pk, "quantity": 1}],
    }
    first = api.post("/orders", body).json()
    second = api.post("/orders", body).json()
    assert first["id"] == second["id"]
    with tenant_context(shop.pk):
        assert Order.objects.count() == 1


# --- Other tenants --------------------------------------------------------------------------


@pytest.fixture
def foreign(shop):
    """Another shop's product, variant and order."""
    other = OrganisationFactory()
    variant = variant_make(other, name="Rahasia", sku="SECRET", stock=5)
    from sinergi.commerce.services.orders import order_place  # noqa: PLC0415

    order = order_place(organisation=other, channel="phone", lines=[(variant.pk, 1)])
    return {"shop": other, "variant": variant, "order": order}


def test_other_shops_ids_answer_404_and_change_nothing(api, foreign):
    variant, order = foreign["variant"], foreign["order"]
    calls = [
        api.get(f"/products/{variant.product_id}"),
        api.patch(f"/products/{variant.product_id}", {"name": "Dicuri"}),
        api.post(f"/products/{variant.product_id}/variants", {"sku": "X", "price": 1}),
        api.patch(f"/variants/{variant.pk}", {"price": 1}),
        api.post("/stock/receive", {"variant_id": variant.pk, "quantity": 1}),
        api.post("/stock/adjust", {"variant_id": variant.pk, "delta": -1}),
        api.get(f"/orders/{order.pk}"),
        api.post(f"/orders/{order.pk}/cancel"),
        api.post(f"/orders/{order.pk}/payments", {"method": "cash"}),
        api.post(
            "/orders", {"channel": "phone", "lines": [{"variant_id": variant.pk, "quantity": 1}]}
        ),
    ]
    assert [r.status_code for r in calls] == [404] * len(calls)
    assert calls[0].json() == {"detail": "Not found."}
    assert api.get("/stock/balances").json()["count"] == 0
    assert api.get("/orders").json()["count"] == 0
    with tenant_context(foreign["shop"].pk):
        order.refresh_from_db()
        variant.refresh_from_db()
        balance = StockBalance.objects.get(variant=variant)
    assert (order.status, variant.price, variant.product.name) == ("placed", 150000, "Rahasia")
    assert (balance.on_hand, balance.reserved) == (5, 1)


# --- Documentation --------------------------------------------------------------------------


def test_openapi_document_and_docs_are_served_without_a_cdn():
    schema = Client().get("/api/openapi.json").json()
    assert schema["info"]["title"] == "Sinergi shop API"
    assert "/api/orders" in schema["paths"]
    assert schema["components"]["securitySchemes"]["ShopBearer"]["scheme"] == "bearer"

    page = Client().get("/api/docs").content.decode()
    assert "http://" not in page
    assert "https://" not in page
    assert Client().get("/api/docs/swagger-ui-bundle.js").status_code == 200


def test_placing_an_order_through_the_api_costs_few_queries(api, kemeja):
    """Variants with the default location, balance, order, lines, ledger, then number and
    revision (one statement on PostgreSQL); the token of the call before is remembered."""
    from django.db import connection  # noqa: PLC0415
    from django.test.utils import CaptureQueriesContext  # noqa: PLC0415

    order = {"channel": "phone", "lines": [{"variant_id": kemeja.pk, "quantity": 1}]}
    assert api.post("/orders", order).status_code == 201  # marks the token used

    with CaptureQueriesContext(connection) as queries:
        response = api.post("/orders", order)

    assert response.status_code == 201
    assert len(response.json()["lines"]) == 1
    statements = [
        q["sql"] for q in queries if not q["sql"].upper().startswith(("SAVEPOINT", "RELEASE"))
    ]
    assert not [sql for sql in statements if ApiToken._meta.db_table in sql]
    assert len(statements) == (6 if connection.vendor == "postgresql" else 9), statements


@pytest.mark.parametrize("path", ["/api/products", "/api/stock/balances", "/api/orders"])
def test_a_misspelt_filter_is_refused_not_ignored(client, path):
    _token, plain = api_token_create(
        organisation=OrganisationFactory(), name="typo", created_by=None
    )

    response = client.get(f"{path}?limit=5&statsu=paid", HTTP_AUTHORIZATION=f"Bearer {plain}")

    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"field": "query.statsu", "message": "Unknown query parameter."}
    ]
