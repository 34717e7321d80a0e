from cryptography.fernet import Fernet
from django.test import override_settings

from sinergi.channels.crypto import TokenUnreadable, token_decrypt, token_encrypt, token_rotate
from sinergi.channels.services.rules import MB, MediaFacts, post_problems


def test_tokens_round_trip_and_are_not_stored_in_clear():
    stored = token_encrypt("EAAB-secret-token")

    assert "EAAB" not in stored
    assert token_decrypt(stored) == "EAAB-secret-token"
    assert token_encrypt("") == ""


def test_a_rotated_key_still_reads_old_tokens_and_rotation_moves_them_to_the_new_key():
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    with override_settings(SINERGI_CHANNELS_KEYS=[old]):
        stored = token_encrypt("token-1")
    with override_settings(SINERGI_CHANNELS_KEYS=[new, old]):
        assert token_decrypt(stored) == "token-1"
        rotated = token_rotate(stored)
    with override_settings(SINERGI_CHANNELS_KEYS=[new]):
        assert token_decrypt(rotated) == "token-1"
        try:
            token_decrypt(stored)
        except TokenUnreadable:
            pass
        else:
            raise AssertionError("a token of a removed key must not decrypt")


def _image(**changes: object) -> MediaFacts:
    values: dict = {
        "name": "foto.jpg",
        "kind": "image",
        "content_type": "image/jpeg",
        "size_bytes": 2 * MB,
        "width": 1080,
        "height": 1080,
    }
    return MediaFacts(**(values | changes))


def test_a_good_instagram_post_has_no_problem():
    assert post_problems("instagram", "Keripik pedas #keripik", [_image()]) == []


def test_instagram_rules_name_each_problem():
    caption = "x" * 2201 + " #a" * 31
    problems = post_problems(
        "instagram", caption, [_image(content_type="image/png", name="menu.png")]
    )
    assert problems == [
        "Instagram: the caption has 2294 characters; the limit is 2200.",
        "Instagram: 31 hashtags; at most 30 are allowed.",
        "Instagram accepts JPEG photos; menu.png is image/png.",
    ]


def test_instagram_refuses_a_too_wide_or_too_big_photo():
    problems = post_problems("instagram", "", [_image(width=3000, height=1000, size_bytes=9 * MB)])
    assert problems == [
        "Instagram: foto.jpg is 9 MB; photos may be at most 8 MB.",
        "Instagram: foto.jpg is 3000×1000; the shape must be between 4:5 (portrait) and "
        "1.91:1 (landscape). Crop it and upload it again.",
    ]


def test_instagram_needs_media_and_tiktok_needs_a_video_of_the_right_length():
    assert post_problems("instagram", "hi", []) == ["Instagram needs a photo or a video."]
    assert post_problems("tiktok", "hi", [_image()]) == [
        "TikTok posts only videos; foto.jpg is a photo."
    ]
    clip = MediaFacts("clip.mp4", "video", "video/mp4", 10 * MB, 1080, 1920, 1.5)
    assert post_problems("tiktok", "hi", [clip]) == [
        "TikTok: clip.mp4 lasts 2 s; videos must last 3 s to 600 s."
    ]


def test_facebook_takes_a_text_only_post():
    assert post_problems("facebook", "Promo hari ini", []) == []
