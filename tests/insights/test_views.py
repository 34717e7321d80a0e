"""Who may open the insights pages and exports, what they show, and the empty state."""

import csv
import io
from datetime import date

import pytest
from django.test import override_settings
from django.urls import reverse
from openpyxl import load_workbook

from sinergi.accounts.models import OrganisationKind, Role
from tests.insights.orders import shop_generate

pytestmark = pytest.mark.django_db

PAGES = ["overview", "sales", "products", "channels", "customers", "basket", "restock"]
RANGE = {"start": "2026-08-01", "end": "2026-11-27"}


@pytest.mark.parametrize("page", [*PAGES, "export"])
def test_anonymous_goes_to_sign_in(client, page):
    response = client.get(reverse(f"insights:{page}"))

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("page", [*PAGES, "export"])
@pytest.mark.parametrize("kind", [OrganisationKind.INDUSTRY, OrganisationKind.GOVERNMENT])
@override_settings(SINERGI_REQUIRE_PARTNER_MFA=False)
def test_partner_workspace_has_no_insights(member, signed_in, page, kind):
    membership = member(kind=kind, role=Role.ADMIN)

    response = signed_in(membership.user).get(reverse(f"insights:{page}"), {"table": "sales"})

    assert response.status_code == 404


def test_staff_may_not_see_customers_or_export_them(member, signed_in):
    staff = member(role=Role.STAFF)
    client = signed_in(staff.user)

    assert client.get(reverse("insights:customers")).status_code == 403
    export = client.get(reverse("insights:export"), {"table": "customers", "format": "csv"})
    assert export.status_code == 403


@pytest.mark.parametrize("page", [p for p in PAGES if p != "customers"])
def test_staff_sees_the_other_pages(member, signed_in, page):
    staff = member(role=Role.STAFF)

    response = signed_in(staff.user).get(reverse(f"insights:{page}"))

    assert response.status_code == 200
    assert reverse("insights:customers") not in response.content.decode()


@pytest.mark.parametrize("page", PAGES)
def test_shop_without_orders_says_what_to_do(owner, signed_in, page):
    response = signed_in(owner.user).get(reverse(f"insights:{page}"))

    assert response.status_code == 200
    assert "record your first order" in response.content.decode()


@pytest.mark.parametrize("page", PAGES)
def test_owner_sees_every_page_with_orders(owner, signed_in, page):
    shop_generate(owner.organisation, orders=150)

    response = signed_in(owner.user).get(reverse(f"insights:{page}"), RANGE)

    body = response.content.decode()
    assert response.status_code == 200
    assert "record your first order" not in body
    assert "cancelled and returned orders are excluded" in body


def test_overview_says_how_revenue_changed(owner, signed_in):
    shop_generate(owner.organisation, orders=300)

    body = signed_in(owner.user).get(reverse("insights:overview"), RANGE).content.decode()

    assert "Revenue in this period" in body
    assert "<svg" in body
    assert "<title>" in body


def test_other_shops_orders_never_show(owner, signed_in, member):
    other = member()
    shop_generate(other.organisation, orders=50)

    response = signed_in(owner.user).get(reverse("insights:overview"), RANGE)

    assert "record your first order" in response.content.decode()


def test_bad_filter_names_the_field_and_falls_back(owner, signed_in):
    shop_generate(owner.organisation, orders=20)

    response = signed_in(owner.user).get(
        reverse("insights:sales"), {"start": "2026-11-20", "end": "2026-11-01"}
    )

    assert response.status_code == 200
    assert "The end date must be on or after the start date." in response.content.decode()


@pytest.mark.parametrize(
    "table",
    ["sales", "products", "slow_movers", "channels", "customers", "basket", "restock"],
)
def test_every_table_exports_as_csv_and_xlsx(owner, signed_in, table):
    shop_generate(owner.organisation, orders=200)
    client = signed_in(owner.user)

    csv_response = client.get(
        reverse("insights:export"), {"table": table, "format": "csv", **RANGE}
    )
    xlsx_response = client.get(
        reverse("insights:export"), {"table": table, "format": "xlsx", **RANGE}
    )

    assert csv_response.status_code == 200
    assert "attachment" in csv_response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(csv_response.content.decode("utf-8-sig"))))
    sheet = load_workbook(io.BytesIO(xlsx_response.content)).active
    assert sheet is not None
    assert [cell.value for cell in sheet[1]] == rows[0]
    assert sheet.max_row == len(rows)


def test_sales_export_matches_the_page_numbers(owner, signed_in):
    generated = shop_generate(owner.organisation, orders=200)
    client = signed_in(owner.user)

    response = client.get(
        reverse("insights:export"),
        {"table": "sales", "format": "csv", "grain": "month", **RANGE},
    )

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))[1:]
    expected = sum(
        o.revenue
        for o in generated.orders
        if o.counted and date(2026, 8, 1) <= o.local_day <= date(2026, 11, 27)
    )
    assert sum(int(row[1]) for row in rows) == expected


def test_unknown_export_is_404(owner, signed_in):
    response = signed_in(owner.user).get(reverse("insights:export"), {"table": "nope"})

    assert response.status_code == 404
