"""Fixtures of the channels tests: the fake platforms, connected accounts, media, and posts
scheduled and published a step at a time."""

from collections.abc import Callable, Iterator, Sequence
from datetime import datetime, timedelta
from io import BytesIO
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils import timezone
from PIL import Image

from sinergi.accounts.models import Membership, Organisation
from sinergi.channels.models import ConnectedAccount, MediaAsset, Post, PostVariant
from sinergi.channels.services.accounts import account_connect
from sinergi.channels.services.posts import media_add, post_save, post_schedule
from sinergi.channels.services.publishing import StepResult, variant_publish_step
from sinergi.commerce.api import Product
from sinergi.core.tenancy import tenant_context
from tests.channels.fakes import FakePlatforms

APP_SECRET = "test-app-secret"
VERIFY_TOKEN = "test-verify-token"


@pytest.fixture
def fake() -> Iterator[FakePlatforms]:
    with (
        FakePlatforms() as platforms,
        override_settings(
            SINERGI_META_GRAPH_URL=platforms.graph_url,
            SINERGI_TIKTOK_API_URL=platforms.base,
            SINERGI_META_APP_SECRET=APP_SECRET,
            SINERGI_META_VERIFY_TOKEN=VERIFY_TOKEN,
            BASE_URL="https://toko.example.id",
        ),
    ):
        yield platforms


EXTERNAL_IDS = {
    "instagram": "17841400000000000",
    "facebook": "104000000000000",
    "tiktok": "tiktok-open-id-1",
    "whatsapp": "106540352242922",
}


@pytest.fixture
def connect() -> Callable[..., ConnectedAccount]:
    def make(organisation: Organisation, platform: str, **extra: Any) -> ConnectedAccount:
        values: dict[str, Any] = {
            "name": f"@{organisation.slug}",
            "external_id": EXTERNAL_IDS[platform] + str(organisation.pk),
            "access_token": "good-token",
            "scopes": ["instagram_content_publish"],
        } | extra
        return account_connect(organisation=organisation, platform=platform, **values)

    return make


def jpeg(width: int = 1080, height: int = 1080, name: str = "foto.jpg") -> SimpleUploadedFile:
    buffer = BytesIO()
    Image.new("RGB", (width, height), (200, 120, 40)).save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


@pytest.fixture
def photo() -> Callable[..., MediaAsset]:
    def make(organisation: Organisation, width: int = 1080, height: int = 1080) -> MediaAsset:
        return media_add(organisation=organisation, upload=jpeg(width, height))

    return make


def video(organisation: Organisation, seconds: float = 20) -> MediaAsset:
    upload = SimpleUploadedFile(
        "video.mp4", b"\x00\x00\x00\x18ftypmp42" + b"0" * 1000, content_type="video/mp4"
    )
    return media_add(
        organisation=organisation, upload=upload, duration_seconds=seconds, width=1080, height=1920
    )


def post_scheduled(
    owner: Membership,
    accounts: Sequence[ConnectedAccount],
    media: Sequence[MediaAsset] = (),
    *,
    caption: str = "Keripik pedas level 5 #keripik",
    at: datetime | None = None,
    product: Product | None = None,
) -> tuple[Post, dict[str, PostVariant]]:
    """A post scheduled in the future (so that the immediate task backend does not run it),
    and its variants by platform."""
    org = owner.organisation
    post = post_save(
        organisation=org,
        author=owner.user,
        caption=caption,
        accounts=accounts,
        media=media,
        product=product,
        scheduled_at=at or timezone.now() + timedelta(hours=1),
    )
    post_schedule(organisation=org, post=post, by=owner.user, can_approve=True)
    with tenant_context(org.pk):
        return post, {v.account.platform: v for v in post.variants.select_related("account")}


def publish_step(variant: PostVariant, minutes: float = 61) -> StepResult:
    """One publishing step of the variant, ``minutes`` from now (past its scheduled time)."""
    return variant_publish_step(
        variant_id=variant.pk,
        organisation_id=variant.organisation_id,
        now=timezone.now() + timedelta(minutes=minutes),
    )


def variant_reload(variant: PostVariant) -> PostVariant:
    with tenant_context(variant.organisation_id):
        return PostVariant.objects.select_related("account", "post").get(pk=variant.pk)


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """Assertions read the English source strings, whatever catalogs are compiled."""
    from django.utils import translation  # noqa: PLC0415

    with translation.override("en"):
        yield
