"""Encryption at rest: Fernet key rings, encrypted model fields and blind indexes.

A :class:`Keyring` reads comma-separated Fernet keys (newest first) from a setting; the first
key encrypts and every key decrypts, so an operator rotates by putting a new key first and
keeping the old ones behind it until the stored values are re-encrypted. Without the setting
a key is generated once into a file in the data directory, readable by its owner only, as the
secret key is. The keys live outside the database: a copy of the database alone reads as noise.

Two rings exist: :data:`DATA` for shops' customers' personal data (``SINERGI_DATA_KEYS``) and
the platform tokens' ring of the channels app (``SINERGI_CHANNELS_KEY``).

An encrypted value cannot be searched or sorted by the database. Where an exact match is
needed (a customer's phone number), a *blind index* stores HMAC-SHA256 of the value under a
separate key (``SINERGI_INDEX_KEY``): equal values give equal digests, nothing else is learnt.
See docs/adr/0008-personal-data-encryption.md.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
from collections import OrderedDict
from functools import lru_cache
from pathlib import Path
from threading import Lock
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django import forms
from django.conf import settings
from django.core.exceptions import FieldError, ImproperlyConfigured
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models.lookups import Exact, IsNull


class DataUnreadable(RuntimeError):
    """A stored value cannot be decrypted with any configured key."""


class EncryptedLookupError(FieldError):
    """A query tried to search or compare an encrypted column in SQL."""


@lru_cache(maxsize=8)
def _key_file(path: Path, make: Any) -> str:
    """The key in ``path``, written there once (mode 0600) when it does not exist yet."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            return path.read_text().strip()
        with os.fdopen(fd, "w") as handle:
            handle.write(make())
    return path.read_text().strip()


@lru_cache(maxsize=8)
def _multi_fernet(keys: tuple[str, ...], setting: str) -> MultiFernet:
    try:
        return MultiFernet([Fernet(key.encode()) for key in keys])
    except ValueError as error:
        raise ImproperlyConfigured(
            f"{setting} must hold Fernet keys (32 url-safe base64-encoded bytes each), "
            "separated by commas. Make one with: uv run python -c "
            '"from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"'
        ) from error


def _new_fernet_key() -> str:
    return Fernet.generate_key().decode()


def _new_index_key() -> str:
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()


# Every Fernet token starts so: version byte 0x80 and the high bytes of its time, in base64.
FERNET_TOKEN_START = b"gAAAAA"


class Keyring:
    """Fernet keys named by a setting (a list, newest first) or, without it, a generated file."""

    def __init__(self, *, keys_setting: str, file_setting: str, env: str) -> None:
        self.keys_setting, self.file_setting, self.env = keys_setting, file_setting, env
        # The cipher of the settings objects it was made from: a page decrypts thousands of
        # values, and override_settings (tests) puts new objects in place.
        self._made: tuple[Any, Any, MultiFernet] | None = None

    def keys(self) -> tuple[str, ...]:
        configured = tuple(k.strip() for k in getattr(settings, self.keys_setting) if k.strip())
        if configured:
            return configured
        path = Path(getattr(settings, self.file_setting))
        return (_key_file(path, _new_fernet_key),)

    def cipher(self) -> MultiFernet:
        """The MultiFernet of the configured keys (the first one encrypts)."""
        configured = getattr(settings, self.keys_setting)
        path = getattr(settings, self.file_setting)
        made = self._made
        if made is not None and made[0] is configured and made[1] is path:
            return made[2]
        cipher = _multi_fernet(self.keys(), self.env)
        self._made = (configured, path, cipher)
        return cipher

    def encrypt(self, plain: str) -> str:
        """Encrypt text for storage; the empty string stays empty (nothing to hide)."""
        if not plain:
            return ""
        return self.cipher().encrypt(plain.encode()).decode()

    def decrypt(self, stored: str) -> str:
        """Decrypt a stored value; raises DataUnreadable when no configured key fits."""
        if not stored:
            return ""
        try:
            return self.cipher().decrypt(stored.encode()).decode()
        except InvalidToken as error:
            raise DataUnreadable(
                f"A value stored encrypted cannot be read with the keys in {self.env} (or the "
                f"key file {getattr(settings, self.file_setting)}): the key that encrypted it "
                "is not configured. Restore that key (it may stay after the new one)."
            ) from error

    def opened(self, stored: bytes) -> bytes | None:
        """The plain bytes of ``stored`` if it is a token of these keys, else None (plain data
        not encrypted yet: what a data migration's re-run must leave alone or pick up)."""
        if not stored.startswith(FERNET_TOKEN_START):
            return None
        try:
            return self.cipher().decrypt(stored)
        except InvalidToken:
            return None

    def rotate(self, stored: str) -> str:
        """Re-encrypt a stored value with the newest key."""
        if not stored:
            return ""
        try:
            return self.cipher().rotate(stored.encode()).decode()
        except InvalidToken as error:
            raise DataUnreadable(
                f"A stored value cannot be read with the keys in {self.env}."
            ) from error


DATA = Keyring(
    keys_setting="SINERGI_DATA_KEYS", file_setting="SINERGI_DATA_KEY_FILE", env="SINERGI_DATA_KEYS"
)


# --- Decrypted values kept in memory ---------------------------------------------------------
# Listing a shop's customers sorted by name decrypts every name of the shop (~25 µs each).
# Fernet tokens are unique per encryption (random IV), so a token → text map is never stale;
# it lives in the process's memory only, like every value the process has just read.
_PLAIN_CACHE_SIZE = 200_000
_plain: OrderedDict[str, str] = OrderedDict()
_plain_lock = Lock()


def data_decrypt(stored: str) -> str:
    """Decrypt a personal-data value (see :data:`DATA`), remembering recent results."""
    if not stored:
        return stored
    found = _plain.get(stored)
    if found is not None:
        return found
    plain = DATA.decrypt(stored)
    with _plain_lock:
        _plain[stored] = plain
        if len(_plain) > _PLAIN_CACHE_SIZE:
            _plain.popitem(last=False)
    return plain


def _token_verified(value: str, keys: list[tuple[bytes, bytes]]) -> tuple[int, bytes, bytes]:
    """(index of the key whose HMAC matches, IV, ciphertext) of a Fernet token; raises
    DataUnreadable for something that is not a token or that no configured key signed."""
    try:
        token = base64.urlsafe_b64decode(value.encode())
    except ValueError as error:
        raise DataUnreadable("A stored value is not an encrypted token.") from error
    # version (1) + time (8) + IV (16) + ciphertext (16·n, n ≥ 1) + HMAC (32)
    if len(token) < 73 or token[0] != 0x80 or (len(token) - 57) % 16:
        raise DataUnreadable("A stored value is not an encrypted token.")
    body, mac = token[:-32], token[-32:]
    for index, (signing, _encryption) in enumerate(keys):
        if hmac.compare_digest(hmac.new(signing, body, hashlib.sha256).digest(), mac):
            return index, token[9:25], token[25:-32]
    DATA.decrypt(value)  # raises DataUnreadable with the full explanation
    raise DataUnreadable("A stored value cannot be read with the configured keys.")


def _cbc_unchained(decrypted: bytes, iv: bytes, ciphertext: bytes) -> str:
    """The plain text of one CBC ciphertext from its block-wise (ECB) decryption."""
    size = len(ciphertext)
    previous = iv + ciphertext[:-16]
    padded = (int.from_bytes(decrypted, "big") ^ int.from_bytes(previous, "big")).to_bytes(
        size, "big"
    )
    pad = padded[-1]
    if not 1 <= pad <= 16 or padded[-pad:] != bytes([pad]) * pad:
        raise DataUnreadable("A stored value decrypts to malformed padding.")
    return padded[:-pad].decode()


def data_decrypt_many(stored: list[str]) -> list[str]:
    """Decrypt many personal-data values at once, as :func:`data_decrypt` does one by one but
    several times faster: what a list sorted by name needs for every customer of a shop.

    The tokens are Fernet's (version, time, IV, AES-128-CBC ciphertext, HMAC-SHA256), read
    here without a cipher object per value: each token's HMAC is checked first (so nothing
    unauthenticated is decrypted, and a wrong key or a changed byte raises DataUnreadable),
    then the ciphertexts of all tokens under one key go through a single AES call in ECB mode,
    and CBC's chaining is undone by XOR with the previous ciphertext block (the IV for the
    first) — the CBC decryption, done in bulk.
    """
    plain: list[str] = list(stored)
    todo: list[int] = []
    for i, value in enumerate(stored):
        found = _plain.get(value) if value else value
        if found is None:
            todo.append(i)
        else:
            plain[i] = found
    if not todo:
        return plain
    # A Fernet key is a 16-byte HMAC key followed by a 16-byte AES key.
    raw_keys = [base64.urlsafe_b64decode(key) for key in DATA.keys()]  # noqa: SIM118
    keys = [(raw[:16], raw[16:]) for raw in raw_keys]
    groups: dict[int, list[tuple[int, bytes, bytes]]] = {}
    for i in todo:
        index, iv, ciphertext = _token_verified(stored[i], keys)
        groups.setdefault(index, []).append((i, iv, ciphertext))
    for index, items in groups.items():
        # ECB over whole CBC ciphertexts: the block-wise decryption, chained afterwards.
        decryptor = Cipher(algorithms.AES(keys[index][1]), modes.ECB()).decryptor()  # noqa: S305
        blocks = decryptor.update(b"".join(ciphertext for _i, _iv, ciphertext in items))
        blocks += decryptor.finalize()
        position = 0
        for i, iv, ciphertext in items:
            decrypted = blocks[position : position + len(ciphertext)]
            position += len(ciphertext)
            plain[i] = _cbc_unchained(decrypted, iv, ciphertext)
    with _plain_lock:
        for i in todo:
            _plain[stored[i]] = plain[i]
        while len(_plain) > _PLAIN_CACHE_SIZE:
            _plain.popitem(last=False)
    return plain


def data_encrypt(plain: str) -> str:
    """Encrypt a personal-data value with the newest data key."""
    return DATA.encrypt(plain)


def plain_cache_clear() -> None:
    """Forget decrypted values (after a key is removed, and in tests)."""
    with _plain_lock:
        _plain.clear()


# --- Blind index -----------------------------------------------------------------------------


def _index_key() -> bytes:
    configured = getattr(settings, "SINERGI_INDEX_KEY", "")
    if not configured:
        configured = _key_file(
            Path(settings.SINERGI_INDEX_KEY_FILE),
            _new_index_key,
        )
    return configured.encode()


def blind_index(value: str) -> str:
    """HMAC-SHA256 of ``value`` under the index key, in hex; "" for the empty value.

    Store it beside the encrypted value to find rows by an exact value (a normalised phone
    number) and to keep such values unique; normalise before, as equal bytes match only.
    """
    if not value:
        return ""
    return hmac.new(_index_key(), value.encode(), hashlib.sha256).hexdigest()


# --- Model fields ----------------------------------------------------------------------------


class _EmptyExact(Exact):
    """``field=""`` is the one comparison an encrypted column answers (empty stays empty)."""

    def get_prep_lookup(self) -> Any:
        if self.rhs not in ("", None) and not hasattr(self.rhs, "resolve_expression"):
            raise EncryptedLookupError(
                f"{self.lhs.target.model.__name__}.{self.lhs.target.name} is encrypted: the "
                "database can only tell whether it is empty. Find rows by a blind index "
                "(e.g. phone_digest) or decrypt candidate rows in Python."
            )
        return super().get_prep_lookup()


class EncryptedTextField(models.TextField):
    """Text stored Fernet-encrypted with the data keys, read back as plain text.

    Values are encrypted on save (``get_prep_value``) and decrypted on read
    (``from_db_value``); the empty string is stored as is. The database sees only ciphertext,
    so it cannot search, compare or sort the column: such lookups raise
    :class:`EncryptedLookupError` instead of silently matching nothing. ``max_length`` limits
    the plain text in forms; the column is unbounded text because ciphertext is longer.
    """

    description = "Text encrypted at rest"

    def __init__(self, *args: Any, multiline: bool = False, **kwargs: Any) -> None:
        self.multiline = multiline
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        if self.multiline:
            kwargs["multiline"] = True
        return name, path, args, kwargs

    def get_lookup(self, lookup_name: str) -> Any:
        if lookup_name == "isnull":
            return IsNull
        if lookup_name == "exact":
            return _EmptyExact
        raise EncryptedLookupError(
            f"{self.model.__name__}.{self.name} is encrypted: the database cannot run the "
            f"'{lookup_name}' lookup on it. Find rows by a blind index (e.g. phone_digest) or "
            "decrypt the shop's candidate rows in Python (see sinergi.core.crypto)."
        )

    def get_transform(self, lookup_name: str) -> Any:
        raise EncryptedLookupError(
            f"{self.model.__name__}.{self.name} is encrypted: the database cannot apply "
            f"'{lookup_name}' to it."
        )

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value is None or value == "":
            return value
        return data_decrypt(value)

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return data_encrypt(value)

    def formfield(self, **kwargs: Any) -> Any:
        if not self.multiline:
            kwargs.setdefault("widget", forms.TextInput)
        return super().formfield(**kwargs)


class EncryptedJSONField(EncryptedTextField):
    """JSON (dicts, lists, numbers, text) stored as one Fernet token of the data keys.

    For a blob the database never needs to look into, such as an import's preview that names
    buyers: the column is text holding the encrypted JSON, read back as the Python value. Like
    :class:`EncryptedTextField` it cannot be searched in SQL, and :func:`data_rotate`
    re-encrypts it. Values are not kept in the decrypted-text memory (they can be large).
    """

    description = "JSON encrypted at rest"
    # What django-stubs' plugin reads for the attribute's type: any JSON value.
    _pyi_private_set_type: Any
    _pyi_private_get_type: Any

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value is None or value == "":
            return None
        return json.loads(DATA.decrypt(value))

    def get_prep_value(self, value: Any) -> Any:
        value = models.Field.get_prep_value(self, value)
        if value is None:
            return None
        return DATA.encrypt(json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False))

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            try:
                return json.loads(value)
            except ValueError:
                return value
        return value

    def value_to_string(self, obj: Any) -> str:
        return json.dumps(self.value_from_object(obj), cls=DjangoJSONEncoder)

    def formfield(self, **kwargs: Any) -> Any:
        return models.Field.formfield(
            self, **{"form_class": forms.JSONField, "encoder": DjangoJSONEncoder, **kwargs}
        )


class BlindIndexField(models.CharField):
    """The blind index of another field of the row, computed whenever the row is written.

    ``source`` names the field whose (already normalised) value is indexed. Computed in
    ``pre_save``, so ``save()`` and ``bulk_create()`` keep it in step; ``save(update_fields=…)``
    must name it too, and ``QuerySet.update()`` of the source must set it.
    """

    def __init__(self, *args: Any, source: str = "", **kwargs: Any) -> None:
        self.source = source
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        kwargs.setdefault("editable", False)
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        for key, value in (
            ("max_length", 64),
            ("blank", True),
            ("default", ""),
            ("editable", False),
        ):
            if kwargs.get(key) == value:
                del kwargs[key]
        return name, path, args, kwargs

    def pre_save(self, model_instance: models.Model, add: bool) -> Any:
        digest = blind_index(getattr(model_instance, self.source) or "")
        setattr(model_instance, self.attname, digest)
        return digest


# --- Migrations ------------------------------------------------------------------------------


def _stored_plain(value: str | None) -> str:
    """A column's plain text, whether it is still plain or already encrypted."""
    if not value:
        return ""
    opened = DATA.opened(value.encode())
    return value if opened is None else opened.decode()


def columns_encrypt(
    model: Any,
    connection: Any,
    *,
    fields: tuple[str, ...],
    digests: dict[str, str] | None = None,
    reverse: bool = False,
    batch: int = 2000,
) -> int:
    """Encrypt (or, with ``reverse``, decrypt) plain-text columns of every row of ``model``.

    For data migrations: ``model`` is the historical model, whose columns are still plain
    ``TextField`` at this step, so the values are read and written as stored. ``digests``
    maps a blind-index column to the column it indexes (filled forward, emptied in reverse).
    Rows go in batches by primary key with one ``executemany`` each; values already encrypted
    are left alone, so a re-run is harmless. Returns the number of rows visited.
    """
    digests = digests or {}
    meta = model._meta
    quote = connection.ops.quote_name
    columns = [meta.get_field(name).column for name in (*fields, *digests)]
    assignments = ", ".join(f"{quote(column)} = %s" for column in columns)
    sql = f"UPDATE {quote(meta.db_table)} SET {assignments} WHERE {quote(meta.pk.column)} = %s"  # noqa: S608
    sources = [fields.index(source) for source in digests.values()]
    manager = model._base_manager
    last, visited = 0, 0
    while True:
        rows = list(manager.filter(pk__gt=last).order_by("pk").values_list("pk", *fields)[:batch])
        if not rows:
            return visited
        updates = []
        for pk, *values in rows:
            plain = [_stored_plain(v) for v in values]
            if reverse:
                stored = plain
                digest_values = ["" for _ in sources]
            else:
                stored = [DATA.encrypt(v) for v in plain]
                digest_values = [blind_index(plain[index]) for index in sources]
            updates.append((*stored, *digest_values, pk))
        with connection.cursor() as cursor:
            cursor.executemany(sql, updates)
        last, visited = rows[-1][0], visited + len(rows)


def encrypted_columns() -> dict[Any, list[str]]:
    """Every installed model with encrypted fields, and the attribute names of those fields."""
    from django.apps import apps  # noqa: PLC0415 - the app registry is ready by the time of a call

    found: dict[Any, list[str]] = {}
    for model in apps.get_models():
        names = [
            f.attname for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)
        ]
        if names and not model._meta.proxy:
            found[model] = names
    return found


def data_rotate(connection: Any, *, batch: int = 2000) -> int:
    """Re-encrypt every encrypted value in the database with the newest data key, so that the
    older keys can then be removed. Reads and writes the stored tokens as they are (no plain
    text leaves this function); batches by primary key. Returns the number of values rotated.

    Raises DataUnreadable (and changes nothing more) on a value no configured key opens.
    """
    quote = connection.ops.quote_name
    cipher = DATA.cipher()
    rotated = 0
    for model, names in encrypted_columns().items():
        meta = model._meta
        columns = [quote(meta.get_field(name).column) for name in names]
        pk = quote(meta.pk.column)
        table = quote(meta.db_table)
        select = f"SELECT {pk}, {', '.join(columns)} FROM {table} WHERE {pk} > %s ORDER BY {pk}"  # noqa: S608
        update = f"UPDATE {table} SET {', '.join(f'{c} = %s' for c in columns)} WHERE {pk} = %s"  # noqa: S608
        last = -1  # integer primary keys, as every model here has
        while True:
            with connection.cursor() as cursor:
                cursor.execute(f"{select} LIMIT {int(batch)}", [last])
                rows = cursor.fetchall()
            if not rows:
                break
            updates = []
            for key, *values in rows:
                try:
                    fresh = [cipher.rotate(v.encode()).decode() if v else v for v in values]
                except InvalidToken as error:
                    raise DataUnreadable(
                        f"{meta.label} #{key} holds a value no key in SINERGI_DATA_KEYS opens; "
                        "put the key that encrypted it back in the list and rotate again."
                    ) from error
                rotated += sum(1 for v in values if v)
                updates.append((*fresh, key))
            with connection.cursor() as cursor:
                cursor.executemany(update, updates)
            last = rows[-1][0]
    plain_cache_clear()
    return rotated
