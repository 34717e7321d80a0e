"""Instagram carousels, Facebook multi-photo posts and Facebook videos through the fake Graph
API; the rules for several files; the composer's order of files."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from sinergi.channels.models import PostMedia, PostVariant, PreviewDelivery, VariantStatus
from sinergi.channels.services.posts import (
    media_add,
    post_media,
    post_save,
    variant_text,
)
from sinergi.channels.services.publishing import Outcome
from sinergi.channels.services.rules import MB, MediaFacts, post_problems
from sinergi.core.tenancy import tenant_context
from tests.channels import fakes
from tests.channels.conftest import post_scheduled, publish_step, variant_reload, video

pytestmark = pytest.mark.django_db


def _url(asset):
    return f"https://toko.example.id{asset.file.url}"


def _square_video(org):
    upload = SimpleUploadedFile(
        "kotak.mp4", b"\x00\x00\x00\x18ftypmp42" + b"0" * 1000, content_type="video/mp4"
    )
    return media_add(organisation=org, upload=upload, duration_seconds=20, width=1080, height=1080)


def _photos(org, photo, count):
    return [photo(org) for _ in range(count)]


# --- Instagram carousel ---------------------------------------------------------------------


def test_instagram_carousel_items_then_container_then_one_publish_in_the_shops_order(
    fake, owner, connect, photo
):
    org = owner.organisation
    first, second = _photos(org, photo, 2)
    clip = _square_video(org)
    media = [second, clip, first]  # the shop's order, not the library's
    _post, variants = post_scheduled(owner, [connect(org, "instagram")], media)
    fake.state.processing_polls = 1

    assert publish_step(variants["instagram"]).outcome == Outcome.WAITING  # items processing
    assert publish_step(variants["instagram"], 62).outcome == Outcome.WAITING  # carousel processing
    assert publish_step(variants["instagram"], 63).outcome == Outcome.PUBLISHED

    done = variant_reload(variants["instagram"])
    creates = [p for m, path, p in fake.state.requests if m == "POST" and path.endswith("/media")]
    items, carousel = creates[:3], creates[3]
    assert items == [
        {"is_carousel_item": "true", "image_url": _url(second)},
        {"is_carousel_item": "true", "media_type": "VIDEO", "video_url": _url(clip)},
        {"is_carousel_item": "true", "image_url": _url(first)},
    ]
    assert carousel == {
        "media_type": "CAROUSEL",
        "caption": variant_text(done),
        "children": ",".join(done.item_ids),
    }
    assert len(creates) == 4
    assert fake.state.media[0]["children"] == done.item_ids
    assert done.platform_post_id == fake.state.media[0]["id"]
    assert list(fake.state.publishes.values()) == [1]


def test_a_carousel_interrupted_between_items_reuses_the_saved_ones(fake, owner, connect, photo):
    """A worker made every item but died after saving only the first id: the next run keeps
    that one, makes only the missing ones, then one carousel, and publishes once."""
    org = owner.organisation
    _post, variants = post_scheduled(owner, [connect(org, "instagram")], _photos(org, photo, 3))
    fake.state.processing_polls = 1
    assert publish_step(variants["instagram"]).outcome == Outcome.WAITING
    made = variant_reload(variants["instagram"]).item_ids
    with tenant_context(org.pk):
        PostVariant.objects.filter(pk=variants["instagram"].pk).update(item_ids=made[:1])

    # The new items are processing.
    assert publish_step(variants["instagram"], 62).outcome == Outcome.WAITING
    assert publish_step(variants["instagram"], 63).outcome == Outcome.WAITING  # carousel processing
    assert publish_step(variants["instagram"], 64).outcome == Outcome.PUBLISHED

    item_posts = [
        p
        for m, path, p in fake.state.requests
        if m == "POST" and path.endswith("/media") and p.get("is_carousel_item")
    ]
    assert len(item_posts) == 5  # 3, then only the 2 whose ids were lost
    done = variant_reload(variants["instagram"])
    assert done.item_ids[0] == made[0]
    assert fake.state.media[0]["children"] == done.item_ids
    assert [p["image_url"] for p in item_posts[3:]] == [_url(m) for m in post_media(done.post)[1:]]
    assert list(fake.state.publishes.values()) == [1]


def test_an_item_instagram_cannot_process_fails_the_post_with_its_position(
    fake, owner, connect, photo
):
    org = owner.organisation
    _post, variants = post_scheduled(owner, [connect(org, "instagram")], _photos(org, photo, 2))
    fake.state.processing_polls = 5
    publish_step(variants["instagram"])
    second = variant_reload(variants["instagram"]).item_ids[1]
    fake.state.containers[second]["status"] = "ERROR"

    assert publish_step(variants["instagram"], 62).outcome == Outcome.FAILED
    done = variant_reload(variants["instagram"])
    assert done.last_error == "Instagram could not process file 2 of the carousel (ERROR)."
    assert sum(fake.state.publishes.values()) == 0


# --- Facebook multi-photo -------------------------------------------------------------------


def test_facebook_multi_photo_uploads_unpublished_then_one_feed_post(fake, owner, connect, photo):
    org = owner.organisation
    first, second, third = _photos(org, photo, 3)
    _post, variants = post_scheduled(owner, [connect(org, "facebook")], [third, first, second])

    assert publish_step(variants["facebook"]).outcome == Outcome.PUBLISHED

    done = variant_reload(variants["facebook"])
    uploads = [p for m, path, p in fake.state.requests if path.endswith("/photos")]
    assert uploads == [{"url": _url(a), "published": "false"} for a in (third, first, second)]
    [post] = fake.state.feed
    assert post["attached"] == done.item_ids
    assert post["message"] == variant_text(done)
    assert done.platform_post_id == post["id"]
    assert all(p["attached"] for p in fake.state.photos.values())


def test_facebook_multi_photo_retried_after_the_feed_failed_reuses_the_photos(
    fake, owner, connect, photo
):
    org = owner.organisation
    _post, variants = post_scheduled(owner, [connect(org, "facebook")], _photos(org, photo, 2))
    fake.state.fail("/feed", 500, fakes.TRANSIENT)

    assert publish_step(variants["facebook"]).outcome == Outcome.RETRY
    assert publish_step(variants["facebook"], 120).outcome == Outcome.PUBLISHED

    assert fake.state.calls("/photos", "POST") == 2  # not uploaded again
    assert len(fake.state.feed) == 1


# --- Facebook video -------------------------------------------------------------------------


def test_facebook_video_is_uploaded_once_and_polled_until_ready(fake, owner, connect):
    org = owner.organisation
    clip = video(org, seconds=30)
    _post, variants = post_scheduled(owner, [connect(org, "facebook")], [clip])
    fake.state.video_polls = 1

    assert publish_step(variants["facebook"]).outcome == Outcome.WAITING
    assert publish_step(variants["facebook"], 62).outcome == Outcome.PUBLISHED

    done = variant_reload(variants["facebook"])
    [uploaded] = fake.state.videos.values()
    assert fake.state.calls("/videos", "POST") == 1
    sent = next(p for m, path, p in fake.state.requests if m == "POST" and path.endswith("/videos"))
    assert sent == {"file_url": _url(clip), "description": variant_text(done)}
    assert done.container_id == uploaded["id"]
    assert done.platform_post_id == uploaded["post_id"]
    assert done.permalink.endswith(f"/videos/{uploaded['id']}/")
    assert fake.state.feed == []  # a video is not also posted as text


def test_a_video_whose_answer_was_lost_is_found_on_the_page_not_uploaded_again(
    fake, owner, connect
):
    org = owner.organisation
    _post, variants = post_scheduled(owner, [connect(org, "facebook")], [video(org)])
    variant = variant_reload(variants["facebook"])
    # The upload took effect on Facebook; the worker died before saving the video id.
    fake.state.videos["555"] = {
        "id": "555",
        "page": variant.account.external_id,
        "description": variant_text(variant),
        "file_url": "x",
        "created_time": "2099-01-01T00:00:00+0000",
        "post_id": f"{variant.account.external_id}_556",
        "polls_left": 0,
    }
    with tenant_context(org.pk):
        PostVariant.objects.filter(pk=variant.pk).update(publish_requested_at=timezone.now())

    assert publish_step(variant).outcome == Outcome.PUBLISHED
    assert fake.state.calls("/videos", "POST") == 0
    assert variant_reload(variant).platform_post_id == f"{variant.account.external_id}_556"


def test_a_video_facebook_cannot_process_fails_with_the_reason(fake, owner, connect):
    org = owner.organisation
    _post, variants = post_scheduled(owner, [connect(org, "facebook")], [video(org)])
    fake.state.video_polls = 3
    assert publish_step(variants["facebook"]).outcome == Outcome.WAITING
    original = fake.server.RequestHandlerClass._node  # type: ignore[attr-defined]

    def broken(handler, node, params):
        handler._answer(
            200,
            {
                "id": node,
                "status": {
                    "video_status": "error",
                    "processing_phase": {
                        "status": "error",
                        "errors": [{"code": 1363008, "message": "Video format not supported"}],
                    },
                },
            },
        )

    fake.server.RequestHandlerClass._node = broken  # type: ignore[attr-defined]
    try:
        assert publish_step(variants["facebook"], 62).outcome == Outcome.FAILED
    finally:
        fake.server.RequestHandlerClass._node = original  # type: ignore[attr-defined]
    assert variant_reload(variants["facebook"]).last_error == (
        "Facebook could not process the video: Video format not supported"
    )


# --- rules ----------------------------------------------------------------------------------


def _image(name="foto.jpg"):
    return MediaFacts(name, "image", "image/jpeg", MB, 1080, 1080)


def _clip(name="clip.mp4"):
    return MediaFacts(name, "video", "video/mp4", 10 * MB, 1080, 1080, 20)


def test_carousels_of_two_to_ten_files_are_allowed_on_instagram_and_facebook():
    assert post_problems("instagram", "Koleksi", [_image(), _clip(), _image()]) == []
    assert post_problems("facebook", "Koleksi", [_image()] * 10) == []


def test_a_reel_may_be_portrait_but_a_carousel_video_takes_the_photos_shape():
    portrait = MediaFacts("reel.mp4", "video", "video/mp4", 10 * MB, 1080, 1920, 20)
    assert post_problems("instagram", "Reel", [portrait]) == []
    assert post_problems("instagram", "Koleksi", [_image(), portrait]) == [
        "Instagram: reel.mp4 is 1080×1920; the shape must be between 4:5 (portrait) and "
        "1.91:1 (landscape). Crop it and upload it again."
    ]


def test_more_than_ten_files_are_refused_with_the_limit():
    assert post_problems("instagram", "Koleksi", [_image()] * 11) == [
        "Instagram: a carousel takes 2 to 10 photos or videos; this post has 11 files."
    ]


def test_facebook_posts_a_video_alone_and_tiktok_one_video():
    assert post_problems("facebook", "Koleksi", [_image(), _clip()]) == [
        "Facebook posts several photos together, but a video goes alone: choose either one "
        "video or only photos."
    ]
    assert post_problems("tiktok", "Koleksi", [_clip(), _clip("b.mp4")]) == [
        "TikTok posts only one video; this post has 2 files. Choose one."
    ]


# --- the composer ---------------------------------------------------------------------------


def test_the_composer_keeps_the_order_the_owner_numbered(owner, signed_in, connect, photo):
    org = owner.organisation
    account = connect(org, "instagram", is_preview=True)
    a, b, c = _photos(org, photo, 3)
    client = signed_in(owner.user)

    response = client.post(
        "/app/channels/posts/new/",
        {
            "caption": "Tiga motif",
            "accounts": [account.pk],
            "assets": [a.pk, b.pk, c.pk],
            f"position_{c.pk}": "1",
            "position_bogus": "3",
            f"position_{b.pk}": "ten",
            f"position_{a.pk}": "2",
            "draft": "1",
        },
    )

    assert response.status_code == 302
    with tenant_context(org.pk):
        links = list(PostMedia.objects.order_by("position").values_list("media_id", "position"))
    assert links == [(c.pk, 0), (a.pk, 1), (b.pk, 2)]
    page = client.get(response["Location"] + "edit/")
    html = page.content.decode()
    assert f'name="position_{c.pk}" min="1" max="10" inputmode="numeric" value="1"' in html
    assert f'name="position_{b.pk}" min="1" max="10" inputmode="numeric" value="3"' in html


def test_the_composer_refuses_more_than_ten_files(owner, signed_in, connect, photo):
    org = owner.organisation
    account = connect(org, "facebook", is_preview=True)
    assets = _photos(org, photo, 11)

    response = signed_in(owner.user).post(
        "/app/channels/posts/new/",
        {"caption": "x", "accounts": [account.pk], "assets": [m.pk for m in assets], "draft": "1"},
    )

    assert response.status_code == 400
    assert "Choose at most 10 photos or videos." in response.content.decode()


def test_editing_a_post_forgets_a_container_made_from_the_old_version(fake, owner, connect, photo):
    org = owner.organisation
    account = connect(org, "instagram")
    post, variants = post_scheduled(owner, [account], _photos(org, photo, 2))
    with tenant_context(org.pk):
        PostVariant.objects.filter(pk=variants["instagram"].pk).update(
            container_id="1789", item_ids=["1", "2"], status=VariantStatus.DRAFT
        )

    post_save(
        organisation=org,
        author=owner.user,
        caption="Caption baru",
        accounts=[account],
        media=[photo(org)],
        post=post,
    )

    edited = variant_reload(variants["instagram"])
    assert (edited.container_id, edited.item_ids) == ("", [])


def test_the_preview_connection_publishes_carousels_albums_and_videos(owner, connect, photo):
    """No platform is called: the preview answers every new step as the platform would and
    records each request."""
    org = owner.organisation
    instagram = connect(org, "instagram", is_preview=True)
    facebook = connect(org, "facebook", is_preview=True)
    _post, album = post_scheduled(owner, [instagram, facebook], _photos(org, photo, 2))
    _post, film = post_scheduled(owner, [facebook], [video(org)], caption="Video proses membatik")

    outcomes = [publish_step(album["instagram"]).outcome, publish_step(album["facebook"]).outcome]
    outcomes.append(publish_step(film["facebook"]).outcome)

    assert outcomes == [Outcome.PUBLISHED] * 3
    with tenant_context(org.pk):
        paths = [
            (d.method, d.path.rsplit("/", 1)[-1], d.body.get("is_carousel_item", ""))
            for d in PreviewDelivery.objects.order_by("pk")
            if d.method == "POST"
        ]
    assert paths == [
        ("POST", "media", "true"),
        ("POST", "media", "true"),
        ("POST", "media", ""),  # the carousel container
        ("POST", "media_publish", ""),
        ("POST", "photos", ""),
        ("POST", "photos", ""),
        ("POST", "feed", ""),
        ("POST", "videos", ""),
    ]


def test_the_daily_quota_is_read_once_per_carousel_not_on_every_poll(fake, owner, connect, photo):
    org = owner.organisation
    _post, variants = post_scheduled(owner, [connect(org, "instagram")], _photos(org, photo, 2))
    fake.state.processing_polls = 2

    outcomes = [publish_step(variants["instagram"], 61 + n).outcome for n in range(5)]

    assert outcomes[-1] == Outcome.PUBLISHED
    assert fake.state.calls("/content_publishing_limit") == 1
