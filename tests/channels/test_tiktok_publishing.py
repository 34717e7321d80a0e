"""Posting to TikTok with a chunked FILE_UPLOAD: the chunk rules, the upload end to end
against the fake, creator limits, token refresh, and crashes at every point."""

import itertools
import os
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from sinergi.channels.connectors import tiktok
from sinergi.channels.connectors.tiktok import CHUNK_MIN, TikTokClient, chunk_plan
from sinergi.channels.models import AccountStatus, PostVariant, PreviewDelivery, VariantStatus
from sinergi.channels.services.posts import media_add
from sinergi.channels.services.publishing import Outcome
from sinergi.core.tenancy import tenant_context
from tests.channels.conftest import post_scheduled, publish_step, variant_reload
from tests.channels.fakes import chunk_rules_problem

MB = 1024 * 1024

# --- chunk arithmetic (no database) --------------------------------------------------------


@given(
    size=st.one_of(
        st.integers(min_value=1, max_value=200 * MB),  # where the edge cases are
        st.integers(min_value=1, max_value=4 * 1024 * MB),  # TikTok's largest video
        st.integers(min_value=60_000_000, max_value=135_000_000),  # around 64 and 128 MB
    ),
    preferred=st.integers(min_value=1, max_value=200 * MB),
)
def test_every_plan_keeps_to_tiktoks_chunk_rules(size, preferred):
    plan = chunk_plan(size, preferred)
    ranges = list(plan.ranges())

    assert chunk_rules_problem(plan.video_size, plan.chunk_size, plan.total_chunk_count) == ""
    assert len(ranges) == plan.total_chunk_count == max(1, size // plan.chunk_size)
    assert ranges[0][0] == 0
    assert ranges[-1][1] == size - 1
    assert all(a[1] + 1 == b[0] for a, b in itertools.pairwise(ranges))
    lengths = [last - first + 1 for first, last in ranges]
    assert all(length == plan.chunk_size for length in lengths[:-1])
    assert plan.chunk_size <= lengths[-1] < 2 * plan.chunk_size or len(lengths) == 1
    if size < 5 * MB:
        assert ranges == [(0, size - 1)]
    if size > 64_000_000:
        assert len(ranges) > 1
        assert lengths[-1] <= 128_000_000
    assert all(CHUNK_MIN <= n <= 128_000_000 for n in lengths) or len(lengths) == 1


@pytest.mark.parametrize(
    ("size", "preferred", "expected"),
    [
        (4 * MB, 10 * MB, (4 * MB, 4 * MB, 1)),  # under 5 MB: whole
        (10 * MB, 10 * MB, (10 * MB, 10 * MB, 1)),
        (25 * MB + 7, 10 * MB, (25 * MB + 7, 10 * MB, 2)),  # the last takes 5 MB + 7 bytes
        (30 * MB, 10 * MB, (30 * MB, 10 * MB, 3)),
        (12 * MB, 10 * MB, (12 * MB, 12 * MB, 1)),  # fits one chunk: whole
        (12 * MB, 1, (12 * MB, 5 * MB, 2)),  # never below 5 MB
        (100 * MB, 64 * MB, (100 * MB, 50 * MB, 2)),  # over 64 MB: never one chunk
        (20_000 * MB, 10 * MB, (20_000 * MB, 20 * MB, 1000)),  # kept within 1000 chunks
    ],
)
def test_examples_of_plans(size, preferred, expected):
    plan = chunk_plan(size, preferred)
    assert (plan.video_size, plan.chunk_size, plan.total_chunk_count) == expected


@pytest.mark.parametrize("size", [0, 1000 * 64_000_000 + 64_000_000])
def test_an_empty_or_huge_video_has_no_plan(size):
    with pytest.raises(ValueError, match="video"):
        chunk_plan(size)


# --- publishing against the fake -----------------------------------------------------------


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.SINERGI_TIKTOK_CLIENT_KEY = "tiktok-client-key"
    settings.SINERGI_TIKTOK_CLIENT_SECRET = "tiktok-client-secret"


def _video(organisation, size: int, seconds: float = 20):
    data = b"\x00\x00\x00\x18ftypmp42" + os.urandom(size - 12)
    asset = media_add(
        organisation=organisation,
        upload=SimpleUploadedFile("promo.mp4", data, content_type="video/mp4"),
        duration_seconds=seconds,
        width=1080,
        height=1920,
    )
    return asset, data


def _scheduled(owner, account, asset):
    _post, variants = post_scheduled(owner, [account], [asset], caption="Batik baru #batik")
    return variants["tiktok"]


def _uploads(fake):
    return {pid: item for pid, item in fake.state.tiktok.items() if "size" in item}


class Crash(BaseException):
    """The worker process dies here (nothing after it runs, nothing is caught)."""


@pytest.mark.django_db
def test_a_video_goes_up_in_chunks_and_tiktok_receives_every_byte(fake, owner, connect):
    org = owner.organisation
    asset, data = _video(org, 25 * MB + 12345)
    variant = _scheduled(owner, connect(org, "tiktok"), asset)

    assert publish_step(variant).outcome == Outcome.WAITING
    assert publish_step(variant, minutes=62).outcome == Outcome.PUBLISHED

    (publish_id, upload), *others = _uploads(fake).items()
    assert others == []
    assert bytes(upload["received"]) == data
    assert (upload["size"], upload["chunk"], upload["count"]) == (len(data), 10 * MB, 2)
    puts = [p["Content-Range"] for m, _path, p in fake.state.requests if m == "PUT"]
    assert puts == [
        f"bytes 0-{10 * MB - 1}/{len(data)}",
        f"bytes {10 * MB}-{len(data) - 1}/{len(data)}",
    ]
    paths = [path for _m, path, _p in fake.state.requests]
    assert paths.index("/v2/post/publish/creator_info/query/") < paths.index(
        "/v2/post/publish/video/init/"
    )
    init = next(p for _m, path, p in fake.state.requests if path.endswith("/video/init/"))
    assert init["post_info"] == {"title": "Batik baru #batik", "privacy_level": "SELF_ONLY"}
    assert init["source_info"]["source"] == "FILE_UPLOAD"
    done = variant_reload(variant)
    assert (done.status, done.container_id, done.platform_post_id) == (
        VariantStatus.PUBLISHED,
        publish_id,
        "7446000000000000001",
    )
    assert fake.state.publishes[publish_id] == 1


@pytest.mark.django_db
def test_a_small_video_goes_whole(fake, owner, connect):
    org = owner.organisation
    asset, data = _video(org, 300_000)
    variant = _scheduled(owner, connect(org, "tiktok"), asset)

    publish_step(variant)

    (upload,) = _uploads(fake).values()
    assert (upload["chunk"], upload["count"], bytes(upload["received"])) == (len(data), 1, data)


@pytest.mark.django_db
def test_a_crash_after_the_upload_resumes_with_the_status_not_a_new_init(
    fake, owner, connect, monkeypatch
):
    org = owner.organisation
    asset, _data = _video(org, 12 * MB)
    variant = _scheduled(owner, connect(org, "tiktok"), asset)
    real_status = TikTokClient.status_fetch

    def dies(self, publish_id):
        raise Crash

    monkeypatch.setattr(TikTokClient, "status_fetch", dies)
    with pytest.raises(Crash):
        publish_step(variant)
    crashed = variant_reload(variant)
    assert crashed.status == VariantStatus.PUBLISHING
    assert crashed.container_id
    assert crashed.publish_requested_at is not None

    monkeypatch.setattr(TikTokClient, "status_fetch", real_status)
    assert publish_step(variant, minutes=62).outcome == Outcome.SKIPPED  # the dead run's lease
    results = [publish_step(variant, minutes=m).outcome for m in (72, 73)]

    assert results == [Outcome.WAITING, Outcome.PUBLISHED]
    assert fake.state.calls("/video/init/") == 1
    assert fake.state.calls("/upload/", "PUT") == 1
    assert sum(fake.state.publishes.values()) == 1
    assert variant_reload(variant).platform_post_id == "7446000000000000001"


@pytest.mark.django_db
def test_a_crash_before_the_final_chunk_starts_a_new_upload_and_posts_once(
    fake, owner, connect, monkeypatch
):
    org = owner.organisation
    asset, data = _video(org, 31 * MB)  # three chunks: it dies sending the second
    variant = _scheduled(owner, connect(org, "tiktok"), asset)
    real_put = TikTokClient.chunk_put
    sent = []

    def dies_on_the_second(self, upload_url, chunk, *, first, total):
        if sent:
            raise Crash
        sent.append(first)
        real_put(self, upload_url, chunk, first=first, total=total)

    monkeypatch.setattr(TikTokClient, "chunk_put", dies_on_the_second)
    with pytest.raises(Crash):
        publish_step(variant)
    crashed = variant_reload(variant)
    assert crashed.container_id
    assert crashed.publish_requested_at is None
    first_upload = crashed.container_id

    monkeypatch.setattr(TikTokClient, "chunk_put", real_put)
    assert publish_step(variant, minutes=72).outcome == Outcome.WAITING
    assert publish_step(variant, minutes=73).outcome == Outcome.PUBLISHED

    uploads = _uploads(fake)
    assert len(uploads) == 2
    assert not uploads[first_upload]["complete"]
    assert fake.state.publishes[first_upload] == 0
    assert sum(fake.state.publishes.values()) == 1
    assert bytes(uploads[variant_reload(variant).container_id]["received"]) == data


@pytest.mark.django_db
def test_a_crash_while_the_final_chunk_may_have_gone_never_starts_again(
    fake, owner, connect, monkeypatch
):
    """Once the final chunk may have reached TikTok, the video may be posted: the next run
    only reads the status (TikTok reports FAILED when the upload stayed incomplete)."""
    org = owner.organisation
    asset, _data = _video(org, 21 * MB)
    variant = _scheduled(owner, connect(org, "tiktok"), asset)
    real_put = TikTokClient.chunk_put

    def dies_on_the_final(self, upload_url, chunk, *, first, total):
        if first + len(chunk) == total:
            raise Crash
        real_put(self, upload_url, chunk, first=first, total=total)

    monkeypatch.setattr(TikTokClient, "chunk_put", dies_on_the_final)
    with pytest.raises(Crash):
        publish_step(variant)
    monkeypatch.setattr(TikTokClient, "chunk_put", real_put)

    assert publish_step(variant, minutes=72).outcome == Outcome.WAITING
    assert fake.state.calls("/video/init/") == 1
    assert fake.state.calls("/status/fetch/") == 1
    assert sum(fake.state.publishes.values()) == 0


@pytest.mark.django_db
def test_a_run_that_lost_its_lease_sends_no_more_chunks(fake, owner, connect, monkeypatch):
    org = owner.organisation
    asset, _data = _video(org, 21 * MB)
    variant = _scheduled(owner, connect(org, "tiktok"), asset)
    real_put = TikTokClient.chunk_put

    def slow(self, upload_url, chunk, *, first, total):
        real_put(self, upload_url, chunk, first=first, total=total)
        with tenant_context(org.pk):  # meanwhile the sweeper's run took the variant over
            PostVariant.objects.filter(pk=variant.pk).update(
                lease_until=timezone.now() + timedelta(hours=3)
            )

    monkeypatch.setattr(TikTokClient, "chunk_put", slow)

    assert publish_step(variant).outcome == Outcome.SKIPPED
    assert fake.state.calls("/upload/", "PUT") == 1
    assert variant_reload(variant).publish_requested_at is None
    assert sum(fake.state.publishes.values()) == 0


@pytest.mark.django_db
def test_creator_limits_are_read_first(fake, owner, connect):
    org = owner.organisation
    fake.state.tiktok_max_duration = 60
    asset, _data = _video(org, 100_000, seconds=90)
    variant = _scheduled(owner, connect(org, "tiktok"), asset)

    assert publish_step(variant).outcome == Outcome.FAILED

    failed = variant_reload(variant)
    assert (failed.last_error, failed.last_error_code) == (
        "TikTok lets this account post videos of up to 60 s; promo.mp4 lasts 90 s.",
        "too_long",
    )
    assert fake.state.calls("/video/init/") == 0


@pytest.mark.django_db
def test_a_video_whose_file_is_gone_fails_with_what_to_do(fake, owner, connect):
    org = owner.organisation
    asset, _data = _video(org, 100_000)
    variant = _scheduled(owner, connect(org, "tiktok"), asset)
    asset.file.storage.delete(asset.file.name)

    assert publish_step(variant).outcome == Outcome.FAILED

    failed = variant_reload(variant)
    assert (failed.last_error, failed.last_error_code) == (
        "The file promo.mp4 is missing from the media library; add the video again.",
        "missing_file",
    )
    assert fake.state.calls("/video/init/") == 0


@pytest.mark.django_db
def test_the_most_private_offered_level_is_used(fake, owner, connect):
    org = owner.organisation
    fake.state.tiktok_privacy_options = ["PUBLIC_TO_EVERYONE", "FOLLOWER_OF_CREATOR"]
    asset, _data = _video(org, 100_000)
    variant = _scheduled(owner, connect(org, "tiktok"), asset)

    publish_step(variant)

    init = next(p for _m, path, p in fake.state.requests if path.endswith("/video/init/"))
    assert init["post_info"]["privacy_level"] == "FOLLOWER_OF_CREATOR"


@pytest.mark.django_db
def test_a_rate_limit_waits_without_counting_an_attempt(fake, owner, connect):
    org = owner.organisation
    asset, _data = _video(org, 100_000)
    variant = _scheduled(owner, connect(org, "tiktok"), asset)
    fake.state.fail(
        "/video/init/",
        429,
        {
            "error": {
                "code": "rate_limit_exceeded",
                "message": "API rate limit was exceeded.",
                "log_id": "1",
            }
        },
    )

    assert publish_step(variant).outcome == Outcome.RETRY

    waiting = variant_reload(variant)
    assert (waiting.status, waiting.attempts) == (VariantStatus.SCHEDULED, 0)
    assert waiting.last_error == "API rate limit was exceeded. (code rate_limit_exceeded)"
    assert waiting.account.rate_limited_until is not None


@pytest.mark.django_db
def test_an_expired_access_token_is_refreshed_and_the_post_goes_out(fake, owner, connect):
    org = owner.organisation
    fake.state.tiktok_refresh_tokens.add("rt-1")
    account = connect(
        org,
        "tiktok",
        access_token="old-access",
        refresh_token="rt-1",
        expires_at=timezone.now() - timedelta(hours=1),
    )
    asset, _data = _video(org, 100_000)
    variant = _scheduled(owner, account, asset)

    assert publish_step(variant).outcome == Outcome.WAITING
    assert publish_step(variant, minutes=62).outcome == Outcome.PUBLISHED

    refreshed = variant_reload(variant).account
    assert refreshed.status == AccountStatus.ACTIVE
    assert refreshed.expires_at > timezone.now() + timedelta(hours=23)
    assert fake.state.calls("/v2/oauth/token/") == 1


@pytest.mark.django_db
def test_a_token_refused_mid_way_is_refreshed_once_and_the_upload_carries_on(fake, owner, connect):
    org = owner.organisation
    fake.state.tiktok_refresh_tokens.add("rt-1")
    account = connect(org, "tiktok", refresh_token="rt-1")
    asset, data = _video(org, 100_000)
    variant = _scheduled(owner, account, asset)
    fake.state.fail(
        "/video/init/",
        401,
        {"error": {"code": "access_token_invalid", "message": "expired", "log_id": "1"}},
    )

    assert publish_step(variant).outcome == Outcome.WAITING

    assert fake.state.calls("/v2/oauth/token/") == 1
    assert fake.state.calls("/video/init/") == 2
    (upload,) = _uploads(fake).values()
    assert bytes(upload["received"]) == data


@pytest.mark.django_db
def test_a_refused_refresh_fails_the_post_and_asks_to_reconnect(fake, owner, connect):
    org = owner.organisation
    account = connect(
        org,
        "tiktok",
        refresh_token="revoked",
        expires_at=timezone.now() - timedelta(minutes=1),
    )
    asset, _data = _video(org, 100_000)
    variant = _scheduled(owner, account, asset)

    assert publish_step(variant).outcome == Outcome.FAILED

    failed = variant_reload(variant)
    assert failed.account.status == AccountStatus.EXPIRED
    assert failed.last_error.startswith("TikTok no longer accepts Sinergi's sign-in")
    assert "Connect TikTok again" in failed.last_error
    assert fake.state.calls("/video/init/") == 0


@pytest.mark.django_db
def test_the_preview_connection_records_the_chunked_upload(owner, connect):
    org = owner.organisation
    account = connect(org, "tiktok", external_id="preview-tt", is_preview=True)
    asset, data = _video(org, 100_000)
    variant = _scheduled(owner, account, asset)

    assert publish_step(variant).outcome == Outcome.PUBLISHED

    with tenant_context(org.pk):
        sent = list(PreviewDelivery.objects.order_by("pk").values_list("method", "path", "body"))
    assert [(m, p) for m, p, _b in sent] == [
        ("POST", "/v2/post/publish/creator_info/query/"),
        ("POST", "/v2/post/publish/video/init/"),
        ("PUT", "/video/"),
        ("POST", "/v2/post/publish/status/fetch/"),
    ]
    assert sent[2][2] == {
        "bytes": len(data),
        "Content-Range": f"bytes 0-{len(data) - 1}/{len(data)}",
        "Content-Type": "video/mp4",
    }


def test_chunk_preference_constant_is_within_the_rules():
    assert CHUNK_MIN <= tiktok.CHUNK_PREFERRED <= tiktok.CHUNK_MAX
