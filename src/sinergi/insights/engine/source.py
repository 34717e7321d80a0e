"""Reading one shop's commerce rows in bulk, as Arrow tables.

The commerce tables are read with plain SQL through ADBC (SQLite or PostgreSQL, from Django's
DATABASES settings) and ``fetch_arrow_table``: one round trip per table, columnar all the way,
no ORM objects. Table names come from the commerce models' ``db_table`` (looked up through the
app registry, so insights does not import commerce's internals).

Two cases cannot use a second connection: an in-memory SQLite database (tests) and a caller
inside an open transaction (its uncommitted rows are invisible to another connection). There
the same SQL runs on Django's own connection and the rows are turned into the same Arrow
schema.
"""

from __future__ import annotations

import logging
import re
import threading
from dataclasses import dataclass
from typing import Any

import pyarrow as pa
from django.apps import apps
from django.db import connections

ALIAS = "default"

logger = logging.getLogger(__name__)


def table(model: str, app: str = "commerce") -> str:
    """The database table of a model (commerce's, by default), quoted for SQL."""
    return '"' + apps.get_model(app, model)._meta.db_table + '"'


@dataclass(frozen=True)
class Source:
    """Where the commerce rows live: ``vendor`` is "sqlite" or "postgresql"."""

    vendor: str
    location: str
    use_adbc: bool = True


def source_default(alias: str = ALIAS) -> Source:
    """The source behind Django's connection ``alias``."""
    connection = connections[alias]
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        name = str(settings["NAME"])
        in_memory = name == ":memory:" or "mode=memory" in name
        return Source("sqlite", name, use_adbc=not in_memory and not connection.in_atomic_block)
    if connection.vendor == "postgresql":
        user = settings.get("USER") or ""
        password = settings.get("PASSWORD") or ""
        host = settings.get("HOST") or "127.0.0.1"
        port = settings.get("PORT") or 5432
        auth = user + (f":{password}" if password else "")
        url = f"postgresql://{auth}{'@' if auth else ''}{host}:{port}/{settings['NAME']}"
        return Source("postgresql", url, use_adbc=not connection.in_atomic_block)
    raise NotImplementedError(f"insights cannot read from {connection.vendor}")


def _placeholders(vendor: str, sql: str) -> str:
    """SQL written for Django (``%s`` placeholders, ``%%`` for %) in the driver's style."""
    numbers = iter(range(1, 1000))

    def swap(match: re.Match[str]) -> str:
        if match.group(0) == "%%":
            return "%"
        return f"${next(numbers)}" if vendor == "postgresql" else "?"

    return re.sub(r"%%|%s", swap, sql)


def fetch(source: Source, sql: str, params: tuple[Any, ...], schema: pa.Schema) -> pa.Table:
    """Run one query and return its result as an Arrow table with ``schema``."""
    if source.use_adbc:
        return _fetch_adbc(source, sql, params, schema)
    return _fetch_django(sql, params, schema)


_local = threading.local()
_registry: list[Any] = []
_registry_lock = threading.Lock()


def _adbc_connection(source: Source) -> Any:
    """This thread's open ADBC connection to ``source`` (connecting costs ~0.2 s, so it is
    kept). Autocommit: every query sees the latest committed rows and holds no snapshot."""
    connections_by_location: dict[str, Any] = getattr(_local, "connections", None) or {}
    _local.connections = connections_by_location
    connection = connections_by_location.get(source.location)
    if connection is None:
        if source.vendor == "postgresql":
            import adbc_driver_postgresql.dbapi as driver  # noqa: PLC0415
        else:
            import adbc_driver_sqlite.dbapi as driver  # noqa: PLC0415
        connection = driver.connect(source.location, autocommit=True)
        connections_by_location[source.location] = connection
        with _registry_lock:
            _registry.append(connection)
    return connection


def adbc_close_all() -> None:
    """Close every kept ADBC connection of every thread (tests, before the test database is
    dropped; a thread that still holds one reconnects on its next query)."""
    with _registry_lock:
        kept = list(_registry)
        _registry.clear()
    for connection in kept:
        try:
            connection.close()
        except Exception:  # closing is best effort: the connection may be broken already
            logger.debug("closing an ADBC connection failed", exc_info=True)


def _adbc_forget(source: Source) -> None:
    connection = (getattr(_local, "connections", None) or {}).pop(source.location, None)
    if connection is not None:
        try:
            connection.close()
        except Exception:  # closing is best effort: the connection is broken already
            logger.debug("closing a broken ADBC connection failed", exc_info=True)


def _fetch_adbc(source: Source, sql: str, params: tuple[Any, ...], schema: pa.Schema) -> pa.Table:
    statement = _placeholders(source.vendor, sql)
    for attempt in (1, 2):
        try:
            with _adbc_connection(source).cursor() as cursor:
                cursor.execute(statement, params or None)
                result = cursor.fetch_arrow_table()
            return _conform(result, schema)
        except Exception:
            # A connection kept from before may have been closed by the server: retry once
            # on a new one.
            _adbc_forget(source)
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def _fetch_django(sql: str, params: tuple[Any, ...], schema: pa.Schema) -> pa.Table:
    with connections[ALIAS].cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    columns = list(zip(*rows, strict=True)) if rows else [() for _ in schema]
    return pa.table(
        [pa.array(column, type=field.type) for column, field in zip(columns, schema, strict=True)],
        schema=schema,
    )


def _conform(result: pa.Table, schema: pa.Schema) -> pa.Table:
    """Same names and types whichever driver answered (SQLite types columns loosely)."""
    arrays = []
    for index, field in enumerate(schema):
        column = result.column(index)
        if column.type != field.type:
            column = column.cast(field.type)
        arrays.append(column)
    return pa.table(arrays, schema=schema)
