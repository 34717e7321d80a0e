"""Publishing through the fake platforms: the real flows, errors, retries and never twice."""

from datetime import timedelta

import pytest
from django.utils import timezone

from sinergi.channels.models import (
    AccountStatus,
    ConnectedAccount,
    PostVariant,
    PreviewDelivery,
    VariantStatus,
)
from sinergi.channels.services.posts import variant_text
from sinergi.channels.services.publishing import BACKOFF, Outcome
from sinergi.commerce.api import VariantInput, product_create
from sinergi.core.tenancy import tenant_context
from tests.channels import fakes
from tests.channels.conftest import post_scheduled, publish_step, variant_reload, video

pytestmark = pytest.mark.django_db


def test_instagram_container_status_publish_with_a_utm_product_link(fake, owner, connect, photo):
    org = owner.organisation
    account = connect(org, "instagram")
    product = product_create(
        organisation=org, name="Keripik Singkong", variants=[VariantInput(sku="KS-1", price=15000)]
    )
    post, variants = post_scheduled(owner, [account], [photo(org)], product=product)
    fake.state.processing_polls = 1

    assert publish_step(variants["instagram"]).outcome == Outcome.WAITING  # IN_PROGRESS
    first = variant_reload(variants["instagram"])
    assert (
        first.container_id and first.status == VariantStatus.SCHEDULED
    ) or first.status == VariantStatus.PUBLISHING
    assert publish_step(variants["instagram"], minutes=62).outcome == Outcome.PUBLISHED

    done = variant_reload(variants["instagram"])
    assert done.status == VariantStatus.PUBLISHED
    assert done.platform_post_id == fake.state.media[0]["id"]
    assert done.permalink == f"https://www.instagram.com/p/{done.platform_post_id}/"
    assert sum(fake.state.publishes.values()) == 1
    sent = next(p for m, path, p in fake.state.requests if path.endswith("/media"))
    link = (
        f"https://toko.example.id/s/{org.slug}/p/{product.slug}/"
        f"?utm_source=instagram&utm_medium=social&utm_campaign=post-{post.pk}"
    )
    assert sent["caption"] == f"Keripik pedas level 5 #keripik\n\n{link}"
    assert sent["image_url"].startswith("https://toko.example.id/media/channels/media/")


def test_a_run_after_a_crash_between_publish_and_saving_does_not_publish_again(
    fake, owner, connect, photo
):
    """The platform published, the worker died before recording it: the next run finds the
    container PUBLISHED and records the media instead of publishing again."""
    org = owner.organisation
    _post, variants = post_scheduled(owner, [connect(org, "instagram")], [photo(org)])
    variant = variants["instagram"]
    # The first run creates the container, then "dies" just after media_publish took effect.
    fake.state.fail("/media_publish", 500, fakes.TRANSIENT)  # placeholder: replaced below
    fake.state.failures.clear()
    original = variant_reload(variant)
    with tenant_context(org.pk):
        PostVariant.objects.filter(pk=variant.pk).update(status=VariantStatus.PUBLISHING)
    # Simulate: container created and published on the platform, our row knows only the
    # container and the publish intent, and its lease has run out.
    container = fake.state.next_id()
    fake.state.containers[container] = {
        "owner": original.account.external_id,
        "caption": variant_text(original),
        "polls_left": 0,
        "status": "PUBLISHED",
    }
    fake.state.publishes[container] = 1
    fake.state.media.append(
        {
            "owner": original.account.external_id,
            "id": "999",
            "caption": variant_text(original),
            "permalink": "https://www.instagram.com/p/999/",
            "timestamp": "",
        }
    )
    with tenant_context(org.pk):
        PostVariant.objects.filter(pk=variant.pk).update(
            container_id=container, publish_requested_at=timezone.now(), lease_until=None
        )

    assert publish_step(variant).outcome == Outcome.PUBLISHED
    assert publish_step(variant).outcome == Outcome.SKIPPED

    done = variant_reload(variant)
    assert (done.status, done.platform_post_id) == (VariantStatus.PUBLISHED, "999")
    assert fake.state.publishes[container] == 1
    assert fake.state.calls("/media_publish") == 0


def test_running_a_step_twice_publishes_once(fake, owner, connect, photo):
    org = owner.organisation
    _post, variants = post_scheduled(owner, [connect(org, "instagram")], [photo(org)])

    results = [publish_step(variants["instagram"]).outcome for _ in range(3)]

    assert results == [Outcome.PUBLISHED, Outcome.SKIPPED, Outcome.SKIPPED]
    assert sum(fake.state.publishes.values()) == 1


def test_a_held_lease_keeps_a_second_worker_out(fake, owner, connect, photo):
    org = owner.organisation
    _post, variants = post_scheduled(owner, [connect(org, "instagram")], [photo(org)])
    later = timezone.now() + timedelta(minutes=61)
    with tenant_context(org.pk):
        PostVariant.objects.filter(pk=variants["instagram"].pk).update(
            status=VariantStatus.PUBLISHING, lease_until=later + timedelta(minutes=5)
        )

    assert publish_step(variants["instagram"]).outcome == Outcome.SKIPPED
    assert fake.state.requests == []


def test_a_post_is_not_published_before_its_time(fake, owner, connect, photo):
    org = owner.organisation
    _post, variants = post_scheduled(owner, [connect(org, "instagram")], [photo(org)])

    assert publish_step(variants["instagram"], minutes=0).outcome == Outcome.SKIPPED
    assert fake.state.requests == []


def test_rate_limit_waits_and_then_publishes(fake, owner, connect, photo):
    org = owner.organisation
    _post, variants = post_scheduled(owner, [connect(org, "instagram")], [photo(org)])
    fake.state.fail("/media", 400, fakes.RATE_LIMITED)

    result = publish_step(variants["instagram"])

    waiting = variant_reload(variants["instagram"])
    assert result.outcome == Outcome.RETRY
    assert waiting.status == VariantStatus.SCHEDULED
    assert waiting.last_error == "Application request limit reached (code 4)"
    assert waiting.account.rate_limited_until is not None
    # Still waiting, then published.
    assert publish_step(variants["instagram"], minutes=62).outcome == Outcome.SKIPPED
    assert publish_step(variants["instagram"], minutes=61 + 16).outcome == Outcome.PUBLISHED


def test_the_daily_quota_read_from_the_api_is_respected(fake, owner, connect, photo):
    org = owner.organisation
    _post, variants = post_scheduled(owner, [connect(org, "instagram")], [photo(org)])
    fake.state.quota_usage = 50

    assert publish_step(variants["instagram"]).outcome == Outcome.RETRY
    assert fake.state.calls("/media", "POST") == 0
    assert "Instagram allows 50 posts a day" in variant_reload(variants["instagram"]).last_error


def test_an_expired_token_fails_the_post_and_tells_the_shop_to_reconnect(
    fake, owner, connect, photo
):
    org = owner.organisation
    account = connect(org, "instagram", access_token="old-token")
    fake.state.expired_tokens.add("old-token")
    _post, variants = post_scheduled(owner, [account], [photo(org)])

    assert publish_step(variants["instagram"]).outcome == Outcome.FAILED

    failed = variant_reload(variants["instagram"])
    assert failed.status == VariantStatus.FAILED
    assert failed.last_error_code == "190/463"
    assert failed.last_error.startswith("Error validating access token")
    assert failed.account.status == AccountStatus.EXPIRED
    assert (
        failed.account.status_action
        == "Connect Instagram again: its sign-in expired or was withdrawn."
    )


def test_a_missing_permission_marks_the_account(fake, owner, connect, photo):
    org = owner.organisation
    _post, variants = post_scheduled(owner, [connect(org, "instagram")], [photo(org)])
    fake.state.fail("/media", 403, fakes.PERMISSION)

    assert publish_step(variants["instagram"]).outcome == Outcome.FAILED
    assert variant_reload(variants["instagram"]).account.status == AccountStatus.MISSING_PERMISSION


def test_transient_errors_back_off_then_fail_with_the_platform_reason(fake, owner, connect, photo):
    org = owner.organisation
    _post, variants = post_scheduled(owner, [connect(org, "instagram")], [photo(org)])
    fake.state.fail("/content_publishing_limit", 500, fakes.TRANSIENT, times=10)
    minutes = 61
    outcomes = []
    for delay in [*BACKOFF, timedelta(0)]:
        outcomes.append(publish_step(variants["instagram"], minutes=minutes).outcome)
        minutes += int(delay.total_seconds() // 60) + 1

    assert outcomes == [Outcome.RETRY] * 4 + [Outcome.FAILED]
    failed = variant_reload(variants["instagram"])
    assert (
        failed.last_error
        == "An unexpected error has occurred. Please retry your request later. (code 2)"
    )


def test_a_refused_photo_fails_with_the_platform_reason(fake, owner, connect, photo):
    org = owner.organisation
    _post, variants = post_scheduled(owner, [connect(org, "instagram")], [photo(org)])
    fake.state.fail("/media", 400, fakes.ASPECT)

    assert publish_step(variants["instagram"]).outcome == Outcome.FAILED
    failed = variant_reload(variants["instagram"])
    assert (failed.last_error, failed.last_error_code) == (
        "The aspect ratio is not supported.",
        "36003/2207009",
    )


def test_facebook_page_photo_post_and_reconcile_after_a_lost_answer(fake, owner, connect, photo):
    org = owner.organisation
    _post, variants = post_scheduled(owner, [connect(org, "facebook")], [photo(org)])

    assert publish_step(variants["facebook"]).outcome == Outcome.PUBLISHED
    done = variant_reload(variants["facebook"])
    assert done.platform_post_id == fake.state.feed[0]["id"]

    # A second post whose answer was lost after Facebook created it: found on the feed.
    _post2, variants2 = post_scheduled(owner, [done.account], caption="Promo Jumat")
    page = done.account.external_id
    fake.state.feed.append(
        {"id": f"{page}_777", "message": "Promo Jumat", "created_time": "2099-01-01T00:00:00+0000"}
    )
    with tenant_context(org.pk):
        PostVariant.objects.filter(pk=variants2["facebook"].pk).update(
            publish_requested_at=timezone.now()
        )
    assert publish_step(variants2["facebook"]).outcome == Outcome.PUBLISHED
    assert variant_reload(variants2["facebook"]).platform_post_id == f"{page}_777"
    assert fake.state.calls("/feed") == 1  # only the reconciling read; no second post


def test_tiktok_init_then_status_until_complete(fake, owner, connect):
    org = owner.organisation
    _post, variants = post_scheduled(owner, [connect(org, "tiktok")], [video(org)])

    assert publish_step(variants["tiktok"]).outcome == Outcome.WAITING
    assert variant_reload(variants["tiktok"]).container_id.startswith("v_pub_file~v2.")
    assert publish_step(variants["tiktok"], minutes=62).outcome == Outcome.PUBLISHED
    assert variant_reload(variants["tiktok"]).platform_post_id == "7446000000000000001"
    init = [p for m, path, p in fake.state.requests if path.endswith("/video/init/")]
    assert len(init) == 1
    assert init[0]["post_info"]["privacy_level"] == "SELF_ONLY"
    assert init[0]["source_info"]["source"] == "FILE_UPLOAD"  # chunked: tests/…/test_tiktok_*


def test_tiktok_init_without_an_answer_is_not_repeated(fake, owner, connect):
    org = owner.organisation
    _post, variants = post_scheduled(owner, [connect(org, "tiktok")], [video(org)])
    with tenant_context(org.pk):
        PostVariant.objects.filter(pk=variants["tiktok"].pk).update(
            publish_requested_at=timezone.now()
        )

    assert publish_step(variants["tiktok"]).outcome == Outcome.FAILED
    assert fake.state.calls("/video/init/") == 0
    assert variant_reload(variants["tiktok"]).last_error_code == "unconfirmed"


def test_tiktok_expired_token(fake, owner, connect):
    org = owner.organisation
    account = connect(org, "tiktok", access_token="stale")
    _post, variants = post_scheduled(owner, [account], [video(org)])

    assert publish_step(variants["tiktok"]).outcome == Outcome.FAILED
    assert variant_reload(variants["tiktok"]).account.status == AccountStatus.EXPIRED


def test_a_known_expiry_stops_publishing_without_calling_the_platform(fake, owner, connect, photo):
    org = owner.organisation
    account = connect(org, "instagram", expires_at=timezone.now() + timedelta(minutes=30))
    _post, variants = post_scheduled(owner, [account], [photo(org)])

    assert publish_step(variants["instagram"]).outcome == Outcome.FAILED
    assert fake.state.requests == []
    with tenant_context(org.pk):
        assert ConnectedAccount.objects.get(pk=account.pk).status == AccountStatus.EXPIRED


def test_the_preview_connection_records_exactly_what_would_be_sent(owner, connect, photo):
    org = owner.organisation
    account = connect(org, "instagram", external_id="preview-ig", is_preview=True)
    _post, variants = post_scheduled(owner, [account], [photo(org)], caption="Halo #umkm")

    assert publish_step(variants["instagram"]).outcome == Outcome.PUBLISHED
    with tenant_context(org.pk):
        sent = list(
            PreviewDelivery.objects.order_by("pk").values_list("method", "path", flat=False)
        )
        create = PreviewDelivery.objects.get(path__endswith="/preview-ig/media")
    container = f"preview-{create.pk}"
    publish = container.replace(str(create.pk), str(create.pk + 2))
    assert [path.rsplit("/", 1)[-1] for _m, path in sent] == [
        "content_publishing_limit",
        "media",
        container,
        "media_publish",
        f"{publish}-media",
    ]
    assert create.body["caption"] == "Halo #umkm"
    assert publish_step(variants["instagram"]).outcome == Outcome.SKIPPED
