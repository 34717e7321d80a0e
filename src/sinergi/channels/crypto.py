"""Encryption at rest for platform tokens.

Tokens are Fernet-encrypted with a MultiFernet: the first key encrypts, every key decrypts,
so an operator rotates by putting a new key first in ``SINERGI_CHANNELS_KEY`` and keeping the
old ones behind it. Without the variable a key is generated once into the data directory
(readable by the owner only), as the secret key is.
"""

from __future__ import annotations

import os
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings


class TokenUnreadable(RuntimeError):
    """A stored token cannot be decrypted with any configured key."""


def _file_key() -> str:
    path = settings.SINERGI_CHANNELS_KEY_FILE
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            return path.read_text().strip()
        with os.fdopen(fd, "w") as handle:
            handle.write(Fernet.generate_key().decode())
    return path.read_text().strip()


@lru_cache(maxsize=4)
def _cipher(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key.encode()) for key in keys])


def cipher() -> MultiFernet:
    """The MultiFernet of the configured keys (newest first)."""
    keys = tuple(settings.SINERGI_CHANNELS_KEYS) or (_file_key(),)
    return _cipher(keys)


def token_encrypt(plain: str) -> str:
    """Encrypt a token for storage; the empty token stays empty."""
    if not plain:
        return ""
    return cipher().encrypt(plain.encode()).decode()


def token_decrypt(stored: str) -> str:
    """Decrypt a stored token; raises TokenUnreadable when no key fits."""
    if not stored:
        return ""
    try:
        return cipher().decrypt(stored.encode()).decode()
    except InvalidToken as error:
        raise TokenUnreadable("the channels key that encrypted this token is gone") from error


def token_rotate(stored: str) -> str:
    """Re-encrypt a stored token with the newest key."""
    return cipher().rotate(stored.encode()).decode() if stored else ""
