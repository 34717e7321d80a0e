"""The worker is killed (SIGKILL) mid-publish and restarted: each post is published once.

The worker runs as a real subprocess (`sinergi worker`) on its own SQLite database with the
database task backend, against the fake Graph API in this process. The fake server holds its
answer at a chosen step, which makes the moment of the kill deterministic.
"""

import threading

import pytest

from tests.channels.fakes import FakePlatforms
from tests.channels.worker_crash import (
    crash_env,
    shop_prepare,
    variants_report,
    worker_kill_when,
    worker_restart_until_published,
)

POSTS = 3


@pytest.mark.parametrize(
    "kill_at", ["container_created", "publish_taken_effect", "carousel_published"]
)
def test_killed_worker_restarted_publishes_each_post_exactly_once(tmp_path, kill_at):
    with FakePlatforms() as fake:
        env = crash_env(tmp_path, fake)
        log = tmp_path / "worker.log"
        hold = threading.Event()
        if kill_at == "container_created":
            fake.state.hold_on_status = hold  # the container exists and its id is saved
            reached = fake.state.status_seen
        else:
            fake.state.hold_after_publish = hold  # Instagram published; the answer is lost
            reached = fake.state.publish_seen
        kind = "carousel" if kill_at == "carousel_published" else "instagram"
        shop_prepare(env, POSTS, kind)

        worker_kill_when(env, log, reached)
        hold.set()
        fake.state.hold_on_status = fake.state.hold_after_publish = None
        before = variants_report(env)
        assert before[0]["status"] == "publishing"
        assert before[0]["container_id"]  # saved before the kill
        assert before[0]["platform_post_id"] == ""

        rows = worker_restart_until_published(env, log, also=lambda: len(fake.state.media) == POSTS)
        assert [row["status"] for row in rows] == ["published"] * POSTS
        assert sorted(fake.state.publishes.values()) == [1] * POSTS  # no container published twice
        assert sorted(row["platform_post_id"] for row in rows) == sorted(
            m["id"] for m in fake.state.media
        )
        # The saved containers (and a carousel's saved items) were reused, not re-created.
        items = 3 if kind == "carousel" else 0
        assert fake.state.calls("/media", "POST") == POSTS * (1 + items)
        if kind == "carousel":
            assert [len(m["children"]) for m in fake.state.media] == [3] * POSTS


def test_a_worker_killed_after_facebook_took_a_video_does_not_upload_it_again(tmp_path):
    """``POST /{page}/videos`` published the video, the worker died before it saved the id:
    the next run finds the video on the Page instead of uploading (publishing) it again."""
    with FakePlatforms() as fake:
        env = crash_env(tmp_path, fake)
        log = tmp_path / "worker.log"
        hold = threading.Event()
        fake.state.hold_after_video = hold
        shop_prepare(env, POSTS, "facebook_video")

        worker_kill_when(env, log, fake.state.video_seen)
        hold.set()
        fake.state.hold_after_video = None
        before = variants_report(env)
        assert before[0]["status"] == "publishing"
        assert before[0]["publish_requested_at"] is not None
        assert before[0]["container_id"] == ""  # the answer never arrived
        assert len(fake.state.videos) == 1  # but Facebook has the video

        rows = worker_restart_until_published(env, log)
        assert fake.state.calls("/videos", "POST") == POSTS  # one upload per post, never two
        assert len(fake.state.videos) == POSTS
        assert sorted(row["platform_post_id"] for row in rows) == sorted(
            v["post_id"] for v in fake.state.videos.values()
        )
