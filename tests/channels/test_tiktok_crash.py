"""A real ``sinergi worker`` is killed (SIGKILL) after TikTok received a whole video and
while it waits for the status: the restarted worker reads the status of the saved
``publish_id`` instead of uploading again, and each video is posted once."""

import threading

from tests.channels.fakes import FakePlatforms
from tests.channels.worker_crash import (
    crash_env,
    shop_prepare,
    variants_report,
    worker_kill_when,
    worker_restart_until_published,
)

POSTS = 3


def test_a_worker_killed_after_the_upload_resumes_with_the_status(tmp_path):
    with FakePlatforms() as fake:
        env = crash_env(tmp_path, fake) | {"SINERGI_TIKTOK_API_URL": fake.base}
        log = tmp_path / "worker.log"
        hold = threading.Event()
        fake.state.hold_on_tiktok_status = hold
        shop_prepare(env, POSTS, "tiktok")

        worker_kill_when(env, log, fake.state.tiktok_status_seen)
        hold.set()
        fake.state.hold_on_tiktok_status = None
        before = variants_report(env)
        killed = [row for row in before if row["container_id"]]
        assert len(killed) == 1
        assert killed[0]["status"] == "publishing"
        assert killed[0]["publish_requested_at"] is not None  # the final chunk went
        assert sum(fake.state.publishes.values()) == 1  # TikTok has the whole video

        rows = worker_restart_until_published(env, log)
        assert fake.state.calls("/video/init/") == POSTS  # one upload per post, never two
        assert sorted(fake.state.publishes.values()) == [1] * POSTS
        assert {row["container_id"] for row in rows} == set(fake.state.publishes)
