"""Fast writes for the demo generator: rows numbered here and inserted with ``executemany``."""

from __future__ import annotations

from datetime import UTC, datetime
from operator import itemgetter
from typing import Any

from django.core.management.color import no_style
from django.db import connection
from django.db.models import Max

from sinergi.commerce.api import Customer, Order, OrderLine, Payment, StockBalance, StockMovement
from sinergi.core.crypto import BlindIndexField, EncryptedTextField, blind_index, data_encrypt

BATCH = 5000

Row = dict[str, Any]


class Rows:
    """The rows of a batch of shops by model, with ids given out here: the generator writes
    into a database nobody else is writing to, so it can number rows itself and insert them
    with plain ``executemany`` (the ORM's per-object work would cost ten times more)."""

    MODELS = (Customer, Order, OrderLine, Payment, StockMovement, StockBalance)

    def __init__(self) -> None:
        self.next_id = {
            model: (model._base_manager.aggregate(m=Max("id"))["m"] or 0) + 1
            for model in self.MODELS
        }
        self.rows: dict[Any, list[Row]] = {model: [] for model in self.MODELS}

    def add(self, model: Any, **values: Any) -> int:
        pk = self.next_id[model]
        self.next_id[model] += 1
        values["id"] = pk
        self.rows[model].append(values)
        return pk

    def write(self) -> None:
        for model in self.MODELS:
            _insert(model, self.rows[model])
            self.rows[model] = []

    def finish(self) -> None:
        """Move PostgreSQL's id sequences past the ids given out here."""
        statements = connection.ops.sequence_reset_sql(no_style(), list(self.MODELS))
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)


def _moment(value: datetime | None) -> Any:
    """Aware datetimes as the database stores them (SQLite: naive UTC text)."""
    if value is None or connection.vendor != "sqlite":
        return value
    return str(value.astimezone(UTC).replace(tzinfo=None))


def _insert(model: Any, rows: list[Row]) -> None:
    if not rows:
        return
    fields = model._meta.concrete_fields
    given = rows[0].keys()
    defaults = {f.attname: f.get_default() for f in fields if f.attname not in given}
    moments = [f.attname for f in fields if f.get_internal_type() == "DateTimeField"]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    table = connection.ops.quote_name(model._meta.db_table)
    sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"  # noqa: S608  (names from the model)
    row_of = itemgetter(*[f.attname for f in fields])
    # Personal data is encrypted as the ORM would (docs/adr/0008). Each distinct value is
    # encrypted once per insert (a customer's name on all their orders): equal ciphertexts
    # reveal equal values, which is harmless for made-up people and keeps generation fast.
    encrypted = [f.attname for f in fields if isinstance(f, EncryptedTextField)]
    digests = [(f.attname, f.source) for f in fields if isinstance(f, BlindIndexField)]
    sealed: dict[str, str] = {}
    indexed: dict[str, str] = {}
    for row in rows:
        if defaults:
            row.update(defaults)
        for name in moments:
            row[name] = _moment(row[name])
        for name, source in digests:
            plain = row[source]
            if plain not in indexed:
                indexed[plain] = blind_index(plain)
            row[name] = indexed[plain]
        for name in encrypted:
            plain = row[name]
            if plain not in sealed:
                sealed[plain] = data_encrypt(plain) if plain else plain
            row[name] = sealed[plain]
    with connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH):
            cursor.executemany(sql, [row_of(row) for row in rows[start : start + BATCH]])
