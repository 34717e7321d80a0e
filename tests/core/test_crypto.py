"""Encryption at rest: key rings, rotation, the encrypted field's lookups, the blind index."""

from __future__ import annotations

import os
import stat

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from sinergi.core import crypto
from sinergi.core.crypto import (
    DATA,
    DataUnreadable,
    EncryptedLookupError,
    Keyring,
    blind_index,
    data_decrypt,
    data_decrypt_many,
    data_encrypt,
    plain_cache_clear,
)


@pytest.fixture(autouse=True)
def _forget_plain_values() -> None:
    plain_cache_clear()


def _key() -> str:
    return Fernet.generate_key().decode()


def test_values_round_trip_and_are_not_stored_in_clear() -> None:
    stored = data_encrypt("Dewi Lestari")

    assert "Dewi" not in stored
    assert stored != data_encrypt("Dewi Lestari")  # a fresh IV each time: equal values hide
    assert data_decrypt(stored) == "Dewi Lestari"
    assert data_encrypt("") == ""
    assert data_decrypt("") == ""


def test_an_old_key_still_decrypts_and_rotation_moves_values_to_the_new_key() -> None:
    old, new = _key(), _key()
    with override_settings(SINERGI_DATA_KEYS=[old]):
        stored = DATA.encrypt("+6281234567890")
    with override_settings(SINERGI_DATA_KEYS=[new, old]):
        assert DATA.decrypt(stored) == "+6281234567890"
        rotated = DATA.rotate(stored)
    with override_settings(SINERGI_DATA_KEYS=[new]):
        assert DATA.decrypt(rotated) == "+6281234567890"
        with pytest.raises(DataUnreadable, match="SINERGI_DATA_KEYS"):
            DATA.decrypt(stored)


def test_a_missing_key_is_a_clear_error_not_garbage() -> None:
    with override_settings(SINERGI_DATA_KEYS=[_key()]):
        stored = data_encrypt("Jl. Malioboro 5")
    with (
        override_settings(SINERGI_DATA_KEYS=[_key()]),
        pytest.raises(DataUnreadable, match="key that encrypted it is not configured"),
    ):
        data_decrypt(stored)


def test_a_malformed_key_names_the_setting() -> None:
    with (
        override_settings(SINERGI_DATA_KEYS=["not-a-fernet-key"]),
        pytest.raises(ImproperlyConfigured, match="SINERGI_DATA_KEYS must hold Fernet keys"),
    ):
        data_encrypt("x")


def test_without_the_setting_a_key_file_is_made_once_readable_by_the_owner_only(
    tmp_path: pytest.TempPathFactory,
) -> None:
    path = tmp_path / "data_key"  # type: ignore[operator]
    ring = Keyring(keys_setting="SINERGI_DATA_KEYS", file_setting="X_KEY_FILE", env="X")
    with override_settings(SINERGI_DATA_KEYS=[], X_KEY_FILE=path):
        stored = ring.encrypt("Budi")
        assert ring.decrypt(stored) == "Budi"
        assert ring.keys() == (path.read_text().strip(),)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600


def test_channels_tokens_use_the_same_implementation_with_their_own_key() -> None:
    from sinergi.channels.crypto import TOKENS, TokenUnreadable, token_decrypt  # noqa: PLC0415

    assert isinstance(TOKENS, Keyring)
    assert TokenUnreadable is DataUnreadable
    tokens_key, data_key = _key(), _key()
    with (
        override_settings(SINERGI_CHANNELS_KEYS=[tokens_key], SINERGI_DATA_KEYS=[data_key]),
        pytest.raises(TokenUnreadable),
    ):
        token_decrypt(data_encrypt("not a token"))


def test_the_blind_index_is_stable_keyed_and_separate_from_the_data_keys() -> None:
    with override_settings(SINERGI_INDEX_KEY="index-key-one", SINERGI_DATA_KEYS=[_key()]):
        first = blind_index("+6281234567890")
        assert blind_index("+6281234567890") == first
        assert blind_index("+6281234567891") != first
        assert len(first) == 64
        assert "812" not in first
        assert blind_index("") == ""
    with override_settings(SINERGI_INDEX_KEY="index-key-one", SINERGI_DATA_KEYS=[_key()]):
        assert blind_index("+6281234567890") == first  # rotating data keys keeps the index
    with override_settings(SINERGI_INDEX_KEY="index-key-two"):
        assert blind_index("+6281234567890") != first


def test_decrypted_values_are_remembered_in_memory_until_cleared() -> None:
    stored = data_encrypt("Sri")
    assert data_decrypt(stored) == "Sri"
    assert crypto._plain[stored] == "Sri"
    plain_cache_clear()
    assert stored not in crypto._plain


@pytest.mark.django_db
def test_searching_an_encrypted_column_in_sql_raises_instead_of_matching_nothing() -> None:
    from sinergi.commerce.models import Customer, Order  # noqa: PLC0415

    for lookup in ("name__icontains", "name", "phone__contains", "name__in", "name__startswith"):
        with pytest.raises(EncryptedLookupError, match=r"Customer\.(name|phone) is encrypted"):
            Customer._base_manager.filter(**{lookup: "Dewi" if "__in" not in lookup else ["x"]})
    with pytest.raises(EncryptedLookupError, match=r"Order\.customer_name is encrypted"):
        Order._base_manager.filter(customer_name__icontains="dewi")
    with pytest.raises(EncryptedLookupError):
        Customer._base_manager.filter(name__lower="dewi")
    # Whether it is empty, the database can tell.
    assert list(Customer._base_manager.filter(phone="")) == []
    assert list(Customer._base_manager.exclude(phone="").filter(name__isnull=True)) == []


def test_decrypting_in_bulk_gives_what_fernet_gives_and_checks_every_token() -> None:
    old, new = _key(), _key()
    values = ["", "x", "a" * 15, "b" * 16, "c" * 17, "Sri Wahyuni", "é" * 40, "Jl. Kaliurang 7"]
    with override_settings(SINERGI_DATA_KEYS=[old]):
        under_old = [DATA.encrypt(v) for v in values]
    with override_settings(SINERGI_DATA_KEYS=[new, old]):
        under_new = [DATA.encrypt(v) for v in values]
        plain_cache_clear()
        assert data_decrypt_many(under_old + under_new) == values + values
        assert data_decrypt_many(under_new) == values  # from memory now

        tampered = under_new[5][:-8] + ("A" if under_new[5][-8] != "A" else "B") + under_new[5][-7:]
        plain_cache_clear()
        with pytest.raises(DataUnreadable):
            data_decrypt_many([under_new[1], tampered])
        with pytest.raises(DataUnreadable, match="not an encrypted token"):
            data_decrypt_many(["Dewi Lestari"])
    with override_settings(SINERGI_DATA_KEYS=[new]):
        plain_cache_clear()
        with pytest.raises(DataUnreadable, match="SINERGI_DATA_KEYS"):
            data_decrypt_many(under_old[1:2])
