"""The columnar engine: ADBC reads the same Arrow tables as Django's own connection (SQLite
file and PostgreSQL), and cached results follow new, cancelled and returned orders."""

import sqlite3
from datetime import UTC, date, datetime, timedelta

import numpy as np
import pytest
from django.db import connection
from django.utils import timezone

from sinergi.commerce.models import Order
from sinergi.commerce.services.orders import order_changed
from sinergi.core.tenancy import tenant_context
from sinergi.insights import selectors
from sinergi.insights.engine import Filters, shop_load
from sinergi.insights.engine.source import Source, source_default
from sinergi.insights.forecast import (
    AVERAGE,
    HOLT_WINTERS,
    Forecast,
    demand_forecast,
    reorder_quantity,
    stock_cover_days,
)
from tests.factories import OrganisationFactory
from tests.insights.orders import shop_generate
from tests.insights.test_metrics import _one_order

TABLES = ("orders", "lines", "variants", "stock", "customers")


def _sorted(table):
    return table.sort_by(
        [(table.column_names[0], "ascending")]
        + [(name, "ascending") for name in table.column_names[1:2]]
    )


@pytest.mark.django_db(transaction=True)
def test_adbc_reads_what_django_reads(tmp_path):
    shop = shop_generate(OrganisationFactory(), orders=120)
    through_django = shop_load(shop.organisation.pk, source=Source(connection.vendor, "", False))
    if connection.vendor == "sqlite":
        path = tmp_path / "copy.sqlite3"
        target = sqlite3.connect(path)
        connection.ensure_connection()
        connection.connection.backup(target)
        target.close()
        source = Source("sqlite", str(path), True)
    else:
        source = source_default()
        assert source.use_adbc

    through_adbc = shop_load(shop.organisation.pk, source=source)

    for name in TABLES:
        ours, theirs = getattr(through_adbc, name), getattr(through_django, name)
        assert ours.schema == theirs.schema, name
        assert _sorted(ours).to_pylist() == _sorted(theirs).to_pylist(), name
    assert through_adbc.orders.num_rows == 120


@pytest.mark.django_db
def test_results_are_cached_until_orders_change(monkeypatch):
    organisation = OrganisationFactory()
    order = _one_order(organisation, datetime(2026, 11, 20, 3, 0, tzinfo=UTC))
    loads = []
    real_load = selectors.shop_load
    monkeypatch.setattr(selectors, "shop_load", lambda pk: loads.append(pk) or real_load(pk))
    monkeypatch.setattr(selectors, "STAMP_SECONDS", 0)
    selectors._loaded.clear()
    filters = Filters(date(2026, 11, 1), date(2026, 11, 27))

    def revenue() -> int:
        page = selectors.insights_page(
            organisation_id=organisation.pk, page="sales", filters=filters
        )
        return page["current"]["revenue"]

    assert revenue() == 20_000
    assert revenue() == 20_000
    assert len(loads) == 1

    _one_order(organisation, datetime(2026, 11, 21, 3, 0, tzinfo=UTC))
    assert revenue() == 40_000
    assert len(loads) == 2

    with tenant_context(organisation.pk):
        Order.objects.filter(pk=order.pk).update(status="cancelled", cancelled_at=timezone.now())
        order_changed(organisation.pk, order.pk)
    assert revenue() == 20_000
    assert len(loads) == 3


def test_forecast_with_a_weekly_pattern_uses_holt_winters():
    weeks = 12
    history = np.tile([1, 1, 1, 1, 2, 6, 6], weeks).astype(float)

    forecast = demand_forecast(history)

    assert forecast.method == HOLT_WINTERS
    assert len(forecast.daily) == 14
    assert forecast.per_day == pytest.approx(history.mean(), rel=0.15)
    assert max(forecast.daily) > 4  # the weekend peak survives


def test_short_history_falls_back_to_the_average():
    forecast = demand_forecast(np.array([2.0, 0.0, 4.0]))

    assert forecast.method == AVERAGE
    assert forecast.per_day == pytest.approx(2.0)


def test_reorder_and_cover():
    forecast = Forecast([2.0] * 14, AVERAGE)
    history = np.full(28, 2.0)

    assert stock_cover_days(forecast, 10) == 5
    assert stock_cover_days(Forecast([0.0] * 14, AVERAGE), 10) is None
    # 2 a day for 7 + 14 days = 42, no variation so no safety stock, minus 10 available.
    assert reorder_quantity(forecast, history, 10) == 32
    assert reorder_quantity(forecast, history, 100) == 0


def test_default_range_is_the_last_30_days():
    today = date(2026, 11, 27)

    filters = selectors.default_filters(today)

    assert (filters.start, filters.end) == (today - timedelta(days=29), today)


@pytest.mark.django_db
def test_the_stamp_can_be_kept_a_few_seconds(monkeypatch):
    organisation = OrganisationFactory()
    _one_order(organisation, datetime(2026, 11, 20, 3, 0, tzinfo=UTC))
    filters = Filters(date(2026, 11, 1), date(2026, 11, 27))
    selectors.cache.clear()

    def revenue() -> int:
        page = selectors.insights_page(
            organisation_id=organisation.pk, page="sales", filters=filters
        )
        return page["current"]["revenue"]

    assert revenue() == 20_000
    _one_order(organisation, datetime(2026, 11, 21, 3, 0, tzinfo=UTC))
    assert revenue() == 40_000  # by default the stamp is read on every request
    monkeypatch.setattr(selectors, "STAMP_SECONDS", 10)
    assert revenue() == 40_000
    _one_order(organisation, datetime(2026, 11, 22, 3, 0, tzinfo=UTC))
    assert revenue() == 40_000  # within STAMP_SECONDS: the kept stamp
    selectors.cache.delete(f"insights:stamp:{organisation.pk}")  # as when it expires
    assert revenue() == 60_000


@pytest.mark.django_db
def test_ecosystem_monthly_revenue_per_shop():
    from collections import defaultdict  # noqa: PLC0415

    from sinergi.insights.engine.ecosystem import ecosystem_load, shops_monthly  # noqa: PLC0415

    shops = [shop_generate(OrganisationFactory(), seed=seed, orders=80) for seed in (3, 4)]

    result = shops_monthly(*ecosystem_load(source=Source(connection.vendor, "", False)))

    expected: dict[tuple[int, date], list[int]] = defaultdict(lambda: [0, 0])
    for shop in shops:
        for order in shop.orders:
            if order.counted:
                month = order.local_day.replace(day=1)
                expected[(shop.organisation.pk, month)][0] += order.revenue
                expected[(shop.organisation.pk, month)][1] += 1
    assert {
        (row["organisation_id"], row["month"]): [int(row["revenue"]), int(row["orders"])]
        for row in result
    } == dict(expected)
