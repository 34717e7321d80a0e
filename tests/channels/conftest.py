"""Fixtures of the channels tests: the fake platforms and connected accounts."""

from collections.abc import Callable, Iterator
from io import BytesIO
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from PIL import Image

from sinergi.accounts.models import Organisation
from sinergi.channels.models import ConnectedAccount, MediaAsset
from sinergi.channels.services.accounts import account_connect
from sinergi.channels.services.posts import media_add
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


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """Assertions read the English source strings, whatever catalogs are compiled."""
    from django.utils import translation  # noqa: PLC0415

    with translation.override("en"):
        yield
