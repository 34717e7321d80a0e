"""Test settings: the real settings made fast (cheap hasher, memory cache and mail, tasks run
immediately unless a test exercises the queue)."""

import os
import tempfile

os.environ.setdefault("SINERGI_DATA_DIR", tempfile.mkdtemp(prefix="sinergi-test-"))
os.environ.setdefault("SINERGI_SECRET_KEY", "test-only-secret-key-not-for-production-use")

from sinergi.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
        "QUEUES": ["default", "publishing", "imports"],
    }
}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
SINERGI_REQUIRE_PARTNER_MFA = True
ALLOWED_HOSTS = ["*"]
# Tests assert the English source strings; that a visitor with no language preference gets
# Bahasa Indonesia is tested explicitly in tests/web/test_workspace.py.
LANGUAGE_CODE = "en"
