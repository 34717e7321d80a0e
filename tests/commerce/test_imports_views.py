"""The import/export and API-token pages: who may open them, and what they do."""

from __future__ import annotations

import pytest
from django.urls import reverse

from sinergi.commerce.imports import jobs
from sinergi.commerce.models import ApiToken, ImportJob, Order, Variant
from sinergi.commerce.models.integration import ImportStatus
from sinergi.commerce.tokens import api_token_authenticate, api_token_create
from sinergi.core.tenancy import tenant_context
from tests.commerce.conftest import variant_make
from tests.commerce.imports_support import csv_to_xlsx, fixture_bytes, upload

pytestmark = pytest.mark.django_db

PAGES = [
    ("get", "commerce:import_list"),
    ("get", "commerce:catalog_export"),
    ("get", "commerce:token_list"),
]


@pytest.mark.parametrize(("method", "name"), PAGES)
def test_anonymous_people_are_sent_to_sign_in(client, method, name):
    response = getattr(client, method)(reverse(name))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize(("method", "name"), PAGES)
def test_staff_may_not_import_or_manage_tokens(member, signed_in, method, name):
    staff = member(role="staff")
    assert getattr(signed_in(staff.user), method)(reverse(name)).status_code == 403


@pytest.mark.parametrize(("method", "name"), PAGES)
def test_partners_have_no_such_pages(member, signed_in, settings, method, name):
    settings.SINERGI_REQUIRE_PARTNER_MFA = False  # not what this test is about
    partner = member(kind="industry", role="admin")
    assert getattr(signed_in(partner.user), method)(reverse(name)).status_code == 404


def test_staff_cannot_revoke_or_confirm(member, signed_in):
    owner = member()
    staff = member(role="staff", organisation=owner.organisation)
    token, _ = api_token_create(organisation=owner.organisation, name="x", created_by=None)
    client = signed_in(staff.user)
    assert client.post(reverse("commerce:token_revoke", args=[token.pk])).status_code == 403
    with tenant_context(owner.organisation.pk):
        assert ApiToken.objects.get(pk=token.pk).revoked_at is None


def test_owner_uploads_a_catalog_previews_and_confirms(
    owner, signed_in, django_capture_on_commit_callbacks
):
    client = signed_in(owner.user)
    shop = owner.organisation
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("commerce:import_list"),
            {
                "kind": "catalog",
                "file": upload("katalog.xlsx", csv_to_xlsx(fixture_bytes("catalog.csv"))),
            },
        )
    assert response.status_code == 302
    with tenant_context(shop.pk):
        job = ImportJob.objects.get()
    assert job.status == ImportStatus.READY  # the check task ran at commit

    page = client.get(reverse("commerce:import_detail", args=[job.pk])).content.decode()
    assert "KMJ-M" in page
    assert "Import the catalog" in page

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("commerce:import_confirm", args=[job.pk]))

    with tenant_context(shop.pk):
        job.refresh_from_db()
        assert job.status == ImportStatus.DONE
        assert sorted(Variant.objects.values_list("sku", flat=True)) == ["KMJ-L", "KMJ-M", "TAS-01"]
    done = client.get(reverse("commerce:import_detail", args=[job.pk])).content.decode()
    assert "See your catalog" in done


def test_progress_partial_polls_while_running_and_reloads_when_done(owner, signed_in):
    client = signed_in(owner.user)
    job = jobs.import_job_create(
        organisation=owner.organisation,
        kind="catalog",
        upload=upload("c.csv", fixture_bytes("catalog.csv")),
        created_by=None,
    )
    running = client.get(reverse("commerce:import_progress", args=[job.pk]))
    assert 'hx-trigger="every 1s"' in running.content.decode()
    assert "HX-Refresh" not in running

    jobs.import_job_check(job_id=job.pk, organisation_id=owner.organisation.pk)
    finished = client.get(reverse("commerce:import_progress", args=[job.pk]))
    assert finished["HX-Refresh"] == "true"


def test_marketplace_preview_maps_an_unknown_sku(
    owner, signed_in, django_capture_on_commit_callbacks
):
    shop = owner.organisation
    variant_make(shop, name="Kemeja", variant="M", sku="KMJ-M", stock=10)
    variant_make(shop, name="Kemeja", variant="L", sku="KMJ-L", stock=10)
    tas = variant_make(shop, name="Tas Pandan", sku="TAS-01", stock=3)
    client = signed_in(owner.user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("commerce:import_list"),
            {"kind": "shopee", "file": upload("Order.all.csv", fixture_bytes("shopee_orders.csv"))},
        )
    with tenant_context(shop.pk):
        job = ImportJob.objects.get()
    page = client.get(reverse("commerce:import_detail", args=[job.pk])).content.decode()
    assert "SHP-TAS-01" in page
    assert "Which of your products is this?" in page
    assert "Jumlah: &quot;dua&quot; is not a whole number above zero." in page

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("commerce:import_confirm", args=[job.pk]), {"map-0": str(tas.pk)})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("commerce:import_confirm", args=[job.pk]))

    with tenant_context(shop.pk):
        assert Order.objects.filter(channel="shopee").count() == 4
        job.refresh_from_db()
    assert job.summary["result"] == {"created": 4, "existing": 0, "skipped": 1}


def test_a_bad_upload_is_refused_with_a_message(owner, signed_in):
    response = signed_in(owner.user).post(
        reverse("commerce:import_list"), {"kind": "catalog", "file": upload("notes.pdf", b"%PDF")}
    )
    assert response.status_code == 400
    assert "Upload a .csv or .xlsx file." in response.content.decode()
    with tenant_context(owner.organisation.pk):
        assert not ImportJob.objects.exists()


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_catalog_export_downloads(owner, signed_in, fmt):
    variant_make(owner.organisation, name="Kemeja", sku="KMJ-M")
    response = signed_in(owner.user).get(reverse("commerce:catalog_export"), {"format": fmt})
    assert response.status_code == 200
    assert f".{fmt}" in response["Content-Disposition"]
    if fmt == "csv":
        assert "KMJ-M" in response.content.decode("utf-8-sig")


def test_token_secret_is_shown_once_and_revoking_stops_it(owner, signed_in):
    client = signed_in(owner.user)
    response = client.post(reverse("commerce:token_list"), {"name": "Kasir"})
    page = response.content.decode()
    with tenant_context(owner.organisation.pk):
        token = ApiToken.objects.get()
    secret = page.split('value="sng_')[1].split('"')[0]
    plain = f"sng_{secret}"
    assert api_token_authenticate(plain).pk == token.pk
    assert plain not in client.get(reverse("commerce:token_list")).content.decode()

    client.post(reverse("commerce:token_revoke", args=[token.pk]))

    assert api_token_authenticate(plain) is None


def test_token_needs_a_name(owner, signed_in):
    response = signed_in(owner.user).post(reverse("commerce:token_list"), {"name": ""})
    assert response.status_code == 400
    with tenant_context(owner.organisation.pk):
        assert not ApiToken.objects.exists()
