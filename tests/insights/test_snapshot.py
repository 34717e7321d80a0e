"""The columnar copy of a shop's orders and lines (engine/snapshot.py): after any sequence of
order changes through the commerce services it holds exactly what a full read of the database
holds, it reads only the changed orders, it never mixes shops, and a crash while writing leaves
the previous copy in use."""

import contextlib
import threading
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection, connections
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sinergi.commerce.api import (
    CommerceError,
    Order,
    VariantInput,
    order_cancel,
    order_complete,
    order_pack,
    order_place,
    order_return,
    order_ship,
    payment_record,
    product_create,
    stock_receive,
)
from sinergi.commerce.models import OrderRevision
from sinergi.core.tenancy import tenant_context
from sinergi.insights.engine import load, shop_load, snapshot
from sinergi.insights.engine.load import shop_stamp
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db(transaction=True)

SINCE = datetime(2026, 9, 1, 3, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _copies_in(tmp_path, settings):
    settings.SINERGI_INSIGHTS_DIR = str(tmp_path / "insights")


def _shop(variants=3):
    organisation = OrganisationFactory()
    made = []
    for index in range(variants):
        product = product_create(
            organisation=organisation,
            name=f"Produk {index}",
            variants=[VariantInput(sku=f"P{index}", price=10_000 + 1_000 * index)],
        )
        with tenant_context(organisation.pk):
            variant = product.variants.get()
        stock_receive(organisation=organisation, variant=variant, quantity=1_000)
        made.append(variant)
    return organisation, made


def _rows(table, key):
    return sorted(table.to_pylist(), key=lambda row: tuple(str(row[k]) for k in key))


def _assert_same_as_full_read(organisation):
    copy = snapshot.shop_data(organisation.pk)
    full = shop_load(organisation.pk)
    assert copy.orders.schema == full.orders.schema
    assert copy.lines.schema == full.lines.schema
    assert _rows(copy.orders, ["id"]) == _rows(full.orders, ["id"])
    line_key = ["order_id", "variant_id", "quantity"]
    assert _rows(copy.lines, line_key) == _rows(full.lines, line_key)
    return copy


def _place(organisation, variants, index, count=1):
    lines = [(variants[(index + i) % len(variants)].pk, 1 + (index + i) % 3) for i in range(count)]
    return order_place(
        organisation=organisation,
        channel="whatsapp",
        lines=lines,
        placed_at=SINCE + timedelta(hours=index),
    )


ACTIONS = ("place", "pay", "pack", "ship", "complete", "cancel", "return")


def _act(organisation, variants, orders, action, pick):
    if action == "place" or not orders:
        orders.append(_place(organisation, variants, len(orders), count=1 + pick % 3))
        return
    order = orders[pick % len(orders)]
    with tenant_context(organisation.pk):
        order.refresh_from_db()
    steps = {
        "pay": lambda: payment_record(
            organisation=organisation, order=order, amount=max(order.total, 1), method="cash"
        ),
        "pack": lambda: order_pack(organisation=organisation, order=order),
        "ship": lambda: order_ship(organisation=organisation, order=order),
        "complete": lambda: order_complete(organisation=organisation, order=order),
        "cancel": lambda: order_cancel(organisation=organisation, order=order),
        "return": lambda: order_return(organisation=organisation, order=order),
    }
    with contextlib.suppress(CommerceError):  # not allowed from the status: nothing changes
        steps[action]()


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    st.lists(st.tuples(st.sampled_from(ACTIONS), st.integers(0, 50)), min_size=1, max_size=10),
    st.lists(st.booleans(), min_size=10, max_size=10),
)
def test_the_copy_equals_a_full_read_after_any_changes(monkeypatch, steps, looks):
    # Small tails are folded into the base often, so that both paths are exercised.
    monkeypatch.setattr(snapshot, "TAIL_MIN_LINES", 3)
    organisation, variants = _shop()
    orders = [_place(organisation, variants, 0, count=2)]
    _assert_same_as_full_read(organisation)
    for (action, pick), look in zip(steps, looks, strict=False):
        _act(organisation, variants, orders, action, pick)
        if look:  # the copy is refreshed after some steps only: several changes at once
            _assert_same_as_full_read(organisation)
    _assert_same_as_full_read(organisation)


def test_a_refresh_reads_only_the_changed_orders(monkeypatch):
    organisation, variants = _shop()
    orders = [_place(organisation, variants, index, count=2) for index in range(6)]
    snapshot.shop_data(organisation.pk)
    reads = []
    real = snapshot.shop_load

    def counting(*args, **kwargs):
        data = real(*args, **kwargs)
        reads.append((kwargs.get("changed_since"), data.orders.num_rows, data.lines.num_rows))
        return data

    monkeypatch.setattr(snapshot, "shop_load", counting)

    order_cancel(organisation=organisation, order=orders[2])
    _place(organisation, variants, 7, count=3)
    copy = _assert_same_as_full_read(organisation)

    assert reads[0][0] is not None  # a delta read, not a full one
    assert reads[0][1:] == (2, 5)  # the cancelled order and the new one, with their lines
    with tenant_context(organisation.pk):
        cancelled = Order.objects.get(pk=orders[2].pk)
    statuses = dict(
        zip(copy.orders.column("id").to_pylist(), copy.orders.column("status"), strict=True)
    )
    assert str(statuses[cancelled.pk]) == "cancelled"
    line_statuses = {
        str(status)
        for order_id, status in zip(
            copy.lines.column("order_id").to_pylist(), copy.lines.column("status"), strict=True
        )
        if order_id == cancelled.pk
    }
    assert line_statuses == {"cancelled"}


def test_a_copy_made_before_the_first_change_is_refreshed_with_the_delta(monkeypatch):
    organisation, variants = _shop()
    _place(organisation, variants, 0, count=2)
    with tenant_context(organisation.pk):  # as the shops that had orders before revisions
        OrderRevision.objects.all().delete()
        Order.objects.update(revision=0)
    snapshot.shop_data(organisation.pk)
    reads = []
    real = snapshot.shop_load
    monkeypatch.setattr(
        snapshot,
        "shop_load",
        lambda *args, **kwargs: reads.append(kwargs.get("changed_since")) or real(*args, **kwargs),
    )

    _place(organisation, variants, 1, count=1)  # the shop's first revision: a new epoch
    _assert_same_as_full_read(organisation)

    assert reads[0] == 0  # the orders changed since, not the whole shop


def test_an_unchanged_shop_reads_no_orders(monkeypatch):
    organisation, variants = _shop()
    _place(organisation, variants, 0)
    snapshot.shop_data(organisation.pk)
    monkeypatch.setattr(
        snapshot, "_refresh", lambda *a: pytest.fail("an unchanged copy was refreshed")
    )

    data = snapshot.shop_data(organisation.pk)

    assert data.orders.num_rows == 1


def test_copies_never_mix_shops():
    first, first_variants = _shop()
    second, second_variants = _shop()
    _place(first, first_variants, 0, count=2)
    _place(second, second_variants, 1, count=1)
    snapshot.shop_data(first.pk)
    snapshot.shop_data(second.pk)
    _place(first, first_variants, 2, count=3)

    one = _assert_same_as_full_read(first)
    two = _assert_same_as_full_read(second)

    with tenant_context(first.pk):
        first_ids = set(Order.objects.values_list("pk", flat=True))
    with tenant_context(second.pk):
        second_ids = set(Order.objects.values_list("pk", flat=True))
    assert set(one.orders.column("id").to_pylist()) == first_ids
    assert set(two.orders.column("id").to_pylist()) == second_ids
    assert set(one.lines.column("order_id").to_pylist()) <= first_ids
    assert set(two.lines.column("order_id").to_pylist()) <= second_ids


def test_a_crash_while_writing_keeps_the_previous_copy(monkeypatch):
    organisation, variants = _shop()
    _place(organisation, variants, 0, count=2)
    snapshot.shop_data(organisation.pk)
    directory = snapshot.root() / str(organisation.pk)
    before = (directory / "manifest.json").read_text()
    _place(organisation, variants, 1, count=2)
    real_write = snapshot._table_write
    written = []

    def crash(path, rows):
        real_write(path, rows)
        written.append(path)
        raise OSError("disk full")  # after one file, before the manifest

    monkeypatch.setattr(snapshot, "_table_write", crash)
    with pytest.raises(OSError, match="disk full"):
        snapshot.shop_data(organisation.pk)
    assert (directory / "manifest.json").read_text() == before
    assert written
    assert written[0].exists()  # a leftover file the manifest does not name

    monkeypatch.setattr(snapshot, "_table_write", real_write)
    data = _assert_same_as_full_read(organisation)
    assert data.orders.num_rows == 2
    assert not written[0].exists()  # the next refresh removed the leftover


def test_a_recreated_shop_is_read_afresh():
    organisation, variants = _shop()
    _place(organisation, variants, 0, count=2)
    snapshot.shop_data(organisation.pk)
    directory = snapshot.root() / str(organisation.pk)
    manifest = (directory / "manifest.json").read_text()
    # Another shop's copy under this id (as after the id was reused): another creation time.
    (directory / "manifest.json").write_text(manifest.replace('"created": "', '"created": "x'))

    _assert_same_as_full_read(organisation)


def test_the_stamp_changes_exactly_when_an_order_changes():
    organisation, variants = _shop()
    order = _place(organisation, variants, 0)
    stamp = shop_stamp(organisation.pk)
    assert shop_stamp(organisation.pk) == stamp

    order_pack(organisation=organisation, order=order)
    packed = shop_stamp(organisation.pk)
    assert packed != stamp
    assert shop_stamp(organisation.pk) == packed
    with pytest.raises(CommerceError):
        order_return(organisation=organisation, order=order)  # not allowed: nothing changes
    assert shop_stamp(organisation.pk) == packed


def test_the_revision_is_read_with_one_lookup(django_assert_max_num_queries):
    organisation, variants = _shop()
    _place(organisation, variants, 0)
    with django_assert_max_num_queries(1):
        epoch, revision = load.shop_revision(organisation.pk)
    assert epoch > 0
    assert revision == 1


def test_refreshes_during_concurrent_order_changes_miss_nothing():
    """Writers place and cancel orders in threads of their own while a reader keeps refreshing
    the copy: the copy still equals a full read at the end (PostgreSQL: real concurrency)."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers")
    organisation, variants = _shop()
    snapshot.shop_data(organisation.pk)
    writers, per_writer = 6, 5
    barrier = threading.Barrier(writers + 1)

    def write(index: int) -> None:
        try:
            barrier.wait(timeout=30)
            for step in range(per_writer):
                order = _place(organisation, variants, index * per_writer + step, count=2)
                if step % 2:
                    order_cancel(organisation=organisation, order=order)
        finally:
            connections.close_all()

    def read() -> int:
        refreshes = 0
        try:
            barrier.wait(timeout=30)
            while any(thread.is_alive() for thread in threads):
                snapshot.shop_data(organisation.pk)
                refreshes += 1
        finally:
            connections.close_all()
        return refreshes

    threads = [threading.Thread(target=write, args=(index,)) for index in range(writers)]
    for thread in threads:
        thread.start()
    refreshes = read()
    for thread in threads:
        thread.join()

    copy = _assert_same_as_full_read(organisation)
    assert refreshes > 1
    assert copy.orders.num_rows == writers * per_writer
