"""Each shop's orders and lines kept as Arrow files in the data directory, refreshed with only
the orders that changed since.

Reading a large shop out of the database is what makes a cold insights page slow (10 million
lines take half a minute through ADBC). So the orders and lines (``ORDERS``, ``WIDE_LINES``) are
kept on disk, one directory per shop under ``SINERGI_INSIGHTS_DIR`` (default
``DATA_DIR/insights``), as uncompressed Arrow IPC files that are memory-mapped when read: no
parsing, no copy, and the pages are shared by every process on the machine.

The change marker is commerce's order revision (``OrderRevision``): every transaction that
changes an order bumps the shop's revision as its last write, under a row lock held to the
commit, and stamps the order with it. Whoever reads revision N can therefore read every change
up to N as "orders with revision > W" (W: what the copy already holds), in a single indexed
range. A refresh (under a per-shop file lock, so that processes do not repeat each other's
work):

1. reads the shop's identity and (epoch, revision) = (E, N) first;
2. with no copy, or a copy of another identity (the shop was recreated: its creation time or
   revision epoch differ) or of another schema, reads the whole shop and writes a new *base*;
3. with a copy at N, reads nothing but the small tables (variants, stock, customers);
4. otherwise reads the orders with revision > W and all the lines of those orders (the *delta*)
   and makes the *tail* = (tail without those orders) + delta. An order is always replaced
   whole, with all its lines, so re-reading one twice is harmless. When the tail outgrows
   ``TAIL_MAX_SHARE`` of the base, the two are folded into a new base.

The shop's data is the base without the orders in the tail, plus the tail. Files get names
that are never reused; they are written, flushed to disk, and only then named by a new
``manifest.json`` (written to a temporary name and renamed over the old one). A crash at any
point leaves the previous manifest and its files intact; leftovers are removed by the next
refresh. A copy is only made from committed rows: a caller inside a transaction
(``usable()`` is false) reads the database as before.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import logging
import os
import secrets
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
from django.conf import settings
from django.db import connections

from sinergi.insights.engine.load import (
    DEFAULT_TIME_ZONE,
    ORDERS,
    WIDE_LINES,
    ShopData,
    shop_load,
)
from sinergi.insights.engine.source import ALIAS, table

logger = logging.getLogger(__name__)

FORMAT = 1
# The tail is folded into a new base when it has more lines than this share of the base
# (and more than TAIL_MIN_LINES): reading it costs a filter over the base on every load.
TAIL_MAX_SHARE = 0.05
TAIL_MIN_LINES = 20_000
SCHEMA = hashlib.sha1(  # noqa: S324 - a fingerprint of the kept columns, not a secret
    (ORDERS.to_string() + WIDE_LINES.to_string()).encode()
).hexdigest()[:16]


def root() -> Path:
    """Where the shops' copies live."""
    configured = getattr(settings, "SINERGI_INSIGHTS_DIR", None)
    return Path(configured) if configured else Path(settings.DATA_DIR) / "insights"


def usable(alias: str = ALIAS) -> bool:
    """A copy may be read and written only outside a transaction: inside one, the rows read
    may include uncommitted changes that are rolled back later."""
    return not connections[alias].in_atomic_block


@dataclass(frozen=True)
class Identity:
    """Who the copy belongs to and where the shop's orders stand now."""

    organisation_id: int
    created: str  # the shop's creation time: an id reused by a new shop is another shop
    time_zone: str
    epoch: int
    revision: int

    def matches(self, manifest: dict[str, Any]) -> bool:
        # A copy made before the shop's first change (epoch and revision 0: every order still
        # at revision 0) continues into the first epoch: the changes are the orders above 0.
        before_first_change = manifest.get("epoch") == 0 and manifest.get("revision") == 0
        return (
            manifest.get("format") == FORMAT
            and manifest.get("schema") == SCHEMA
            and manifest.get("organisation") == self.organisation_id
            and manifest.get("created") == self.created
            and (manifest.get("epoch") == self.epoch or before_first_change)
        )


def identity_read(organisation_id: int) -> Identity:
    """The shop's creation time, time zone and order revision, in one query."""
    with connections[ALIAS].cursor() as cursor:
        cursor.execute(
            f"SELECT o.created_at, p.time_zone, r.epoch, r.revision "  # noqa: S608
            f"FROM {table('Organisation', 'accounts')} o "
            f"LEFT JOIN {table('Province', 'core')} p ON p.code = o.province_id "
            f"LEFT JOIN {table('OrderRevision')} r ON r.organisation_id = o.id WHERE o.id = %s",
            [organisation_id],
        )
        row = cursor.fetchone()
    if row is None:
        raise LookupError(f"no organisation {organisation_id}")
    created, zone, epoch, revision = row
    return Identity(
        organisation_id=organisation_id,
        created=str(created),
        time_zone=zone or DEFAULT_TIME_ZONE,
        epoch=int(epoch or 0),
        revision=int(revision or 0),
    )


def shop_data(organisation_id: int) -> ShopData:
    """The shop's data, from its copy brought up to date (see the module docstring)."""
    identity = identity_read(organisation_id)
    directory = root() / str(int(organisation_id))
    for attempt in (1, 2):
        try:
            manifest = _manifest_read(directory)
            if manifest is not None and identity.matches(manifest):
                since = int(manifest["revision"])
                if since >= identity.revision:
                    # Up to date: only the small tables are read.
                    fresh = shop_load(
                        organisation_id,
                        time_zone=identity.time_zone,
                        changed_since=identity.revision,
                    )
                    return _combined(directory, manifest, fresh)
            break
        except FileNotFoundError:
            # Another process replaced the copy between reading its manifest and its files.
            if attempt == 2:
                raise
    with _locked(directory):
        return _refresh(directory, identity)


def _refresh(directory: Path, identity: Identity) -> ShopData:
    manifest = _manifest_read(directory)
    if manifest is None or not identity.matches(manifest):
        data = shop_load(identity.organisation_id, time_zone=identity.time_zone)
        manifest = _write(directory, identity, base=(data.orders, data.lines), tail=None)
        return data
    since = int(manifest["revision"])
    # Whatever has changed after ``since``: the orders stamped later, with all their lines.
    # Changes committed after ``identity`` was read may be included too; they are read again
    # on the next refresh, which replaces them whole.
    fresh = shop_load(identity.organisation_id, time_zone=identity.time_zone, changed_since=since)
    if since >= identity.revision and fresh.orders.num_rows == 0:
        return _combined(directory, manifest, fresh)
    base_orders, base_lines = _files_read(directory, manifest, "base")
    tail_orders, tail_lines = _files_read(directory, manifest, "tail")
    changed = fresh.orders.column("id")
    tail_orders = _replaced(tail_orders, "id", changed, fresh.orders)
    tail_lines = _replaced(tail_lines, "order_id", changed, fresh.lines)
    if tail_lines.num_rows > max(TAIL_MIN_LINES, base_lines.num_rows * TAIL_MAX_SHARE):
        tail_ids = tail_orders.column("id")
        base_orders = _replaced(base_orders, "id", tail_ids, tail_orders)
        base_lines = _replaced(base_lines, "order_id", tail_ids, tail_lines)
        manifest = _write(directory, identity, base=(base_orders, base_lines), tail=None)
        return _data(identity, base_orders, base_lines, fresh)
    manifest = _write(
        directory,
        identity,
        base=None,
        tail=(tail_orders, tail_lines),
        keep_base=manifest["base"],
    )
    return _combined(directory, manifest, fresh)


def _combined(directory: Path, manifest: dict[str, Any], fresh: ShopData) -> ShopData:
    """The base without the tail's orders, plus the tail; the small tables from ``fresh``."""
    orders, lines = _files_read(directory, manifest, "base")
    tail_orders, tail_lines = _files_read(directory, manifest, "tail")
    if tail_orders.num_rows:
        ids = tail_orders.column("id")
        orders = _replaced(orders, "id", ids, tail_orders)
        lines = _replaced(lines, "order_id", ids, tail_lines)
    return replace(fresh, orders=orders, lines=lines)


def _data(identity: Identity, orders: pa.Table, lines: pa.Table, fresh: ShopData) -> ShopData:
    return replace(
        fresh,
        organisation_id=identity.organisation_id,
        time_zone=identity.time_zone,
        orders=orders,
        lines=lines,
    )


def _replaced(rows: pa.Table, key: str, ids: pa.ChunkedArray, new: pa.Table) -> pa.Table:
    """``rows`` without those whose ``key`` is in ``ids``, followed by ``new``."""
    if len(ids):
        keep = pc.invert(pc.is_in(rows.column(key), value_set=ids.combine_chunks()))
        rows = rows.filter(keep)
    if not new.num_rows:
        return rows
    return pa.concat_tables([rows, new.select(rows.schema.names).cast(rows.schema)])


# Files -----------------------------------------------------------------------------------------


def _manifest_read(directory: Path) -> dict[str, Any] | None:
    try:
        manifest = json.loads((directory / "manifest.json").read_text())
    except FileNotFoundError:
        return None
    except ValueError:  # not JSON: treated as no copy (it is rewritten)
        logger.warning("insights copy of %s has a broken manifest", directory.name)
        return None
    return manifest if isinstance(manifest, dict) else None


def _files_read(directory: Path, manifest: dict[str, Any], part: str) -> tuple[pa.Table, pa.Table]:
    name = manifest.get(part)
    if not name:
        return ORDERS.empty_table(), WIDE_LINES.empty_table()
    return (
        _table_read(directory / f"{name}.orders.arrow", ORDERS),
        _table_read(directory / f"{name}.lines.arrow", WIDE_LINES),
    )


def _table_read(path: Path, schema: pa.Schema) -> pa.Table:
    # Memory-mapped: the table's buffers point into the file's pages (they keep the mapping
    # alive), so nothing is copied.
    found = pa.ipc.open_file(pa.memory_map(str(path), "r")).read_all()
    if found.schema != schema:
        raise ValueError(f"{path.name} does not hold the expected columns")
    return found


def _table_write(path: Path, rows: pa.Table) -> None:
    with pa.OSFile(str(path), "wb") as sink, pa.ipc.new_file(sink, rows.schema) as writer:
        writer.write_table(rows, max_chunksize=1 << 20)
    _fsync(path)


def _fsync(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _write(
    directory: Path,
    identity: Identity,
    *,
    base: tuple[pa.Table, pa.Table] | None,
    tail: tuple[pa.Table, pa.Table] | None,
    keep_base: str | None = None,
) -> dict[str, Any]:
    """Write new files, then a manifest naming them; remove what the manifest no longer
    names. The caller holds the shop's lock."""
    directory.mkdir(parents=True, exist_ok=True)
    manifest: dict[str, Any] = {
        "format": FORMAT,
        "schema": SCHEMA,
        "organisation": identity.organisation_id,
        "created": identity.created,
        "epoch": identity.epoch,
        "revision": identity.revision,
        "base": keep_base,
        "tail": None,
    }
    for part, tables in (("base", base), ("tail", tail)):
        if tables is None:
            continue
        name = f"{part}-{identity.revision}-{secrets.token_hex(4)}"
        orders, lines = tables
        _table_write(directory / f"{name}.orders.arrow", orders)
        _table_write(directory / f"{name}.lines.arrow", lines)
        manifest[part] = name
    temporary = directory / f"manifest.json.{secrets.token_hex(4)}.tmp"
    with temporary.open("w") as out:
        json.dump(manifest, out)
        out.flush()
        os.fsync(out.fileno())
    temporary.replace(directory / "manifest.json")
    _fsync(directory)
    # Readers that opened the old files keep them (they are memory-mapped); a reader that
    # read the old manifest but not yet its files retries.
    named = {manifest["base"], manifest["tail"]} - {None}
    for path in directory.iterdir():
        if path.name in {"manifest.json", ".lock"}:
            continue
        if path.name.split(".", 1)[0] not in named:
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
    return manifest


@contextlib.contextmanager
def _locked(directory: Path) -> Iterator[None]:
    """The shop's lock: one refresh at a time, across processes."""
    directory.mkdir(parents=True, exist_ok=True)
    with (directory / ".lock").open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
