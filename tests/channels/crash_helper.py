"""Run in a subprocess by the crash test, against the worker's own database.

``python -m tests.channels.crash_helper setup N [KIND]`` makes a shop with an Instagram account
and N posts due now (their publish tasks go into the database queue); KIND ``carousel`` gives
each post three photos, ``facebook_video`` posts a video to a Facebook Page instead, ``tiktok``
a video to a TikTok account;
``requeue`` plays the stale-task sweeper; ``report`` prints each variant's state as JSON.
"""

import json
import os
import sys
from datetime import timedelta
from io import BytesIO

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sinergi.settings")

import django

django.setup()

from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.utils import timezone  # noqa: E402
from PIL import Image  # noqa: E402

from sinergi.accounts.models import Membership, Organisation, User  # noqa: E402
from sinergi.channels.models import MediaAsset, PostVariant  # noqa: E402
from sinergi.channels.services.accounts import account_connect  # noqa: E402
from sinergi.channels.services.posts import media_add, post_save, post_schedule  # noqa: E402
from sinergi.core.taskqueue import stale_tasks_requeue  # noqa: E402
from sinergi.core.tenancy import across_tenants  # noqa: E402


def _photo(shop: Organisation, shade: int) -> MediaAsset:
    buffer = BytesIO()
    Image.new("RGB", (1080, 1080), (10, 20, shade)).save(buffer, "JPEG")
    return media_add(
        organisation=shop,
        upload=SimpleUploadedFile("f.jpg", buffer.getvalue(), content_type="image/jpeg"),
    )


def setup(count: int, kind: str = "instagram") -> None:
    shop = Organisation.objects.create(name="Toko Crash", slug="toko-crash", kind="shop")
    user = User.objects.create_user(email="owner@crash.test", password="x-very-long-password")
    Membership.objects.create(user=user, organisation=shop, role="owner")
    account = account_connect(
        organisation=shop,
        platform={"facebook_video": "facebook", "tiktok": "tiktok"}.get(kind, "instagram"),
        name="@crash",
        external_id="17841400000000077",
        access_token="good-token",
    )
    if kind in ("facebook_video", "tiktok"):
        media = [
            media_add(
                organisation=shop,
                upload=SimpleUploadedFile(
                    "v.mp4", b"\x00\x00\x00\x18ftypmp42" + b"0" * 1000, content_type="video/mp4"
                ),
                duration_seconds=20,
                width=1080,
                height=1080,
            )
        ]
    elif kind == "carousel":
        media = [_photo(shop, shade) for shade in (30, 60, 90)]
    else:
        media = [_photo(shop, 30)]
    for n in range(count):
        post = post_save(
            organisation=shop,
            author=user,
            caption=f"Post {n} #crash",
            accounts=[account],
            media=media,
            scheduled_at=timezone.now() - timedelta(seconds=5),
        )
        post_schedule(organisation=shop, post=post, by=user, can_approve=True)


def report() -> None:
    with across_tenants(reason="the crash test reads every variant"):
        rows = list(
            PostVariant.objects.order_by("pk").values(
                "pk",
                "status",
                "platform_post_id",
                "container_id",
                "item_ids",
                "publish_requested_at",
                "last_error",
            )
        )
    sys.stdout.write(json.dumps(rows, default=str) + "\n")


if __name__ == "__main__":
    command = sys.argv[1]
    if command == "setup":
        setup(int(sys.argv[2]), *sys.argv[3:4])
    elif command == "requeue":
        sys.stdout.write(f"{stale_tasks_requeue()}\n")
    else:
        report()
