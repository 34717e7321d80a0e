"""Marketplace uploads name buyers: the stored file, the preview and the errors are encrypted
at rest, the file is deleted once the job is over, and the pages read as before (ADR 0008)."""

from __future__ import annotations

import hashlib
import io
import json
from importlib import import_module
from types import SimpleNamespace
from typing import Any

import pytest
from cryptography.fernet import Fernet
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import override_settings
from django.urls import reverse

from sinergi.commerce.imports import jobs
from sinergi.commerce.models import ImportJob
from sinergi.commerce.models.integration import ImportStatus
from sinergi.core.crypto import plain_cache_clear
from sinergi.core.tenancy import tenant_context
from tests.commerce.conftest import variant_make
from tests.commerce.imports_support import csv_to_xlsx, fixture_bytes, job_run, upload
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

# (kind, fixture, a buyer's name, their phone as written in the file, part of an address)
FILES = [
    ("shopee", "shopee_orders.csv", "Sari Wulandari", "6281234567890", "Malioboro"),
    ("tokopedia", "tokopedia_orders.csv", "Hendra Wijaya", "081298765432", "Gajah Mada"),
    ("tiktok_shop", "tiktok_orders.csv", "Putri Ayu", "81355556666", "Gatot Subroto"),
]


@pytest.fixture
def kemeja(shop):
    variant_make(shop, name="Kemeja", variant="M", sku="KMJ-M", stock=20)
    variant_make(shop, name="Kemeja", variant="L", sku="KMJ-L", stock=20)


def _raw(sql: str, params: list[Any] | None = None) -> str:
    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])
        return repr(cursor.fetchall())


def _stored_bytes(name: str) -> bytes:
    with default_storage.open(name, "rb") as handle:
        return handle.read()


@pytest.mark.parametrize("sample", FILES, ids=[kind for kind, *_rest in FILES])
def test_the_upload_and_the_preview_are_stored_encrypted(shop, kemeja, sample):
    kind, fixture, name, phone, address = sample
    content = fixture_bytes(fixture)
    job = job_run(shop, kind, "orders.csv", content, confirm=False)

    assert job.status == ImportStatus.READY
    stored = _stored_bytes(job.file.name)
    for plain in (name, phone, address):
        assert plain.encode() not in stored
        assert plain not in _raw("SELECT summary, errors FROM commerce_importjob")
    assert job.file.read_plain() == content
    assert job.file_sha256 == hashlib.sha256(content).hexdigest()
    plain_cache_clear()
    with tenant_context(shop.pk):
        read = ImportJob.objects.get(pk=job.pk)
    assert name in [order["customer_name"] for order in read.summary["preview"]]


def test_an_xlsx_upload_is_stored_encrypted_too(shop, kemeja):
    content = csv_to_xlsx(fixture_bytes("tokopedia_orders.csv"))
    job = job_run(shop, "tokopedia", "laporan.xlsx", content, confirm=False)

    stored = _stored_bytes(job.file.name)
    assert not stored.startswith(b"PK")  # not a zip (xlsx) any more: a token
    assert job.file.read_plain() == content
    assert job.summary["new"] == 2


def test_errors_that_quote_the_file_are_encrypted(shop, kemeja):
    """A row error quotes a cell of the file; the column holds ciphertext only."""
    job = job_run(shop, "shopee", "a.csv", fixture_bytes("shopee_orders.csv"), confirm=False)

    assert 'Jumlah: "dua" is not a whole number above zero.' in [e["message"] for e in job.errors]
    assert "dua" not in _raw("SELECT errors FROM commerce_importjob")
    assert "SHP-TAS-01" not in _raw("SELECT summary, errors FROM commerce_importjob")


def test_the_preview_page_shows_the_buyers(owner, signed_in, django_capture_on_commit_callbacks):
    shop = owner.organisation
    variant_make(shop, name="Kemeja", variant="M", sku="KMJ-M", stock=10)
    variant_make(shop, name="Kemeja", variant="L", sku="KMJ-L", stock=10)
    client = signed_in(owner.user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("commerce:import_list"),
            {"kind": "shopee", "file": upload("Order.all.csv", fixture_bytes("shopee_orders.csv"))},
        )
    with tenant_context(shop.pk):
        job = ImportJob.objects.get()
    plain_cache_clear()

    page = client.get(reverse("commerce:import_detail", args=[job.pk])).content.decode()
    listing = client.get(reverse("commerce:import_list")).content.decode()

    for buyer in ("Sari Wulandari", "Budi Santoso", "Dewi Anggraini"):
        assert buyer in page
    assert "240101ABCD01" in page
    assert "Order.all.csv" in listing


def test_the_upload_is_deleted_when_the_import_is_done(
    shop, kemeja, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = job_run(shop, "shopee", "a.csv", fixture_bytes("shopee_orders.csv"), confirm=False)
    name = job.file.name
    assert default_storage.exists(name)

    with django_capture_on_commit_callbacks(execute=True):
        jobs.import_job_confirm(job=job)
        done = jobs.import_job_apply(job_id=job.pk, organisation_id=shop.pk)

    assert done.status == ImportStatus.DONE
    assert not default_storage.exists(name)
    assert _raw("SELECT file FROM commerce_importjob WHERE id = %s", [job.pk]) == "[('',)]"
    assert done.summary["result"] == {"created": 3, "existing": 0, "skipped": 2}
    # A second file with the same orders still finds them all in.
    again = job_run(shop, "shopee", "b.csv", fixture_bytes("shopee_orders.csv"), confirm=False)
    assert (again.summary["new"], again.summary["existing"]) == (0, 3)


@pytest.mark.parametrize("step", ["cancel", "unreadable"])
def test_the_upload_is_deleted_when_the_import_is_cancelled_or_fails(
    shop, django_capture_on_commit_callbacks, step
):
    content = b"\x00\x01 not a table" if step == "unreadable" else fixture_bytes("catalog.csv")
    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.import_job_create(
            organisation=shop, kind="catalog", upload=upload("c.csv", content), created_by=None
        )
        name = job.file.name
        jobs.import_job_check(job_id=job.pk, organisation_id=shop.pk)
        if step == "cancel":
            jobs.import_job_cancel(job=job)

    with tenant_context(shop.pk):
        job.refresh_from_db()
    expected = ImportStatus.CANCELLED if step == "cancel" else ImportStatus.FAILED
    assert job.status == expected
    assert not job.file
    assert not default_storage.exists(name)


def test_the_data_migration_encrypts_and_decrypts_uploads_and_previews(shop):
    """The migration's functions, on a job written in plain text as before."""
    content = fixture_bytes("shopee_orders.csv")
    plain_name = default_storage.save(f"commerce/{shop.pk}/imports/old.csv", ContentFile(content))
    summary = {"orders": 1, "preview": [{"external_id": "X1", "customer_name": "Sari Wulandari"}]}
    errors = [{"row": 2, "message": "Sari Wulandari"}]
    with tenant_context(shop.pk):
        job = ImportJob.objects.create(
            organisation=shop, kind="shopee", original_filename="old.csv", file=plain_name
        )
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE commerce_importjob SET summary = %s, errors = %s WHERE id = %s",
            [json.dumps(summary), json.dumps(errors), job.pk],
        )
    migration = import_module("sinergi.commerce.migrations.0009_import_job_encrypt")
    state = MigrationExecutor(connection).loader.project_state(
        ("commerce", "0009_import_job_encrypt"), at_end=False
    )
    editor = SimpleNamespace(connection=connection)

    migration.encrypt(state.apps, editor)
    migration.encrypt(state.apps, editor)  # a second run leaves encrypted values alone

    assert "Sari" not in _raw("SELECT summary, errors FROM commerce_importjob")
    with tenant_context(shop.pk):
        stored = ImportJob.objects.get(pk=job.pk)
    assert b"Sari Wulandari" not in _stored_bytes(stored.file.name)
    assert stored.file.read_plain() == content
    assert (stored.summary, stored.errors) == (summary, errors)

    migration.decrypt(state.apps, editor)

    with tenant_context(shop.pk):
        name = ImportJob.objects.values_list("file", flat=True).get(pk=job.pk)
    assert _stored_bytes(name) == content
    with connection.cursor() as cursor:
        cursor.execute("SELECT summary, errors FROM commerce_importjob WHERE id = %s", [job.pk])
        (raw_summary, raw_errors) = cursor.fetchone()
    assert (json.loads(raw_summary), json.loads(raw_errors)) == (summary, errors)


@pytest.mark.django_db(transaction=True)
@pytest.mark.slow
def test_the_import_job_migrations_run_backwards_and_forwards_on_this_database() -> None:
    executor = MigrationExecutor(connection)
    leaves = executor.loader.graph.leaf_nodes()
    before = [("commerce", "0007_personal_data_encrypted_fields")]
    executor.migrate(before)
    shop = OrganisationFactory()
    summary = {"preview": [{"customer_name": "Sari Wulandari"}]}
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO commerce_importjob (organisation_id, kind, source, original_filename, "
            "file, file_sha256, status, total_rows, processed_rows, errors, summary, created_at) "
            "VALUES (%s, 'shopee', 'upload', 'a.csv', '', '', 'ready', 0, 0, %s, %s, %s)",
            [shop.pk, "[]", json.dumps(summary), "2026-01-01"],
        )

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(leaves)

    assert "Sari" not in _raw("SELECT summary FROM commerce_importjob")
    with tenant_context(shop.pk):
        assert ImportJob.objects.get().summary == summary

    executor = MigrationExecutor(connection)
    executor.migrate(before)
    with connection.cursor() as cursor:
        cursor.execute("SELECT summary FROM commerce_importjob")
        (raw,) = cursor.fetchone()
    assert (json.loads(raw) if isinstance(raw, str) else raw) == summary
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(leaves)


def test_rotation_re_encrypts_uploads_and_previews(
    shop, kemeja, django_capture_on_commit_callbacks
):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    content = fixture_bytes("tiktok_orders.csv")
    with override_settings(SINERGI_DATA_KEYS=[old]):
        job = job_run(shop, "tiktok_shop", "t.csv", content, confirm=False)
    old_name = job.file.name
    out = io.StringIO()

    with (
        override_settings(SINERGI_DATA_KEYS=[new, old]),
        django_capture_on_commit_callbacks(execute=True),
    ):
        call_command("data_keys_rotate", stdout=out)
    with override_settings(SINERGI_DATA_KEYS=[new]), tenant_context(shop.pk):
        stored = ImportJob.objects.get(pk=job.pk)
        assert stored.file.read_plain() == content
        assert "Putri Ayu" in [o["customer_name"] for o in stored.summary["preview"]]

    assert stored.file.name != old_name
    assert not default_storage.exists(old_name)
    assert "stored files re-encrypted: 1" in out.getvalue()
