"""Encryption at rest for platform tokens.

Tokens are encrypted with the channels' own key ring (``SINERGI_CHANNELS_KEY``, or a key
generated once into ``<data dir>/channels_key``) by the one implementation in
:mod:`sinergi.core.crypto`: the first key encrypts, every key decrypts, so an operator rotates
by putting a new key first and keeping the old ones behind it.
"""

from __future__ import annotations

from cryptography.fernet import MultiFernet

from sinergi.core.crypto import DataUnreadable, Keyring

TokenUnreadable = DataUnreadable
"""A stored token cannot be decrypted with any configured key."""

TOKENS = Keyring(
    keys_setting="SINERGI_CHANNELS_KEYS",
    file_setting="SINERGI_CHANNELS_KEY_FILE",
    env="SINERGI_CHANNELS_KEY",
)


def cipher() -> MultiFernet:
    """The MultiFernet of the configured keys (newest first)."""
    return TOKENS.cipher()


def token_encrypt(plain: str) -> str:
    """Encrypt a token for storage; the empty token stays empty."""
    return TOKENS.encrypt(plain)


def token_decrypt(stored: str) -> str:
    """Decrypt a stored token; raises TokenUnreadable when no key fits."""
    return TOKENS.decrypt(stored)


def token_rotate(stored: str) -> str:
    """Re-encrypt a stored token with the newest key."""
    return TOKENS.rotate(stored)
