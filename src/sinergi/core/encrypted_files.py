"""Uploaded files encrypted at rest with the personal-data keys (see :mod:`sinergi.core.crypto`).

A file kept for a while that holds personal data — a marketplace order export names every
buyer, their phone and address — is stored as one Fernet token of the data keys: a copy of
the media directory alone reads as noise. :class:`EncryptedFileField` encrypts whatever is
saved through it and :meth:`EncryptedFieldFile.read_plain` gives the bytes back;
:func:`files_encrypt` (data migrations) and :func:`data_files_rotate` (``sinergi
data_keys_rotate``) rewrite the stored files. A file is rewritten under a new name and the
row then points to it; the old file is deleted once the transaction commits, so a rollback
leaves the row and the file it names as they were. See docs/adr/0008-personal-data-encryption.md.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any, Self, overload

from cryptography.fernet import InvalidToken
from django.core.files.base import ContentFile, File
from django.db import models, transaction
from django.db.models.fields.files import FieldFile, FileDescriptor

from sinergi.core.crypto import DATA, DataUnreadable


def data_encrypt_bytes(plain: bytes) -> bytes:
    """Encrypt bytes with the newest data key (a Fernet token, about 4/3 of the size)."""
    return DATA.cipher().encrypt(plain)


def data_decrypt_bytes(stored: bytes) -> bytes:
    """Decrypt bytes stored by :func:`data_encrypt_bytes`; raises DataUnreadable otherwise."""
    try:
        return DATA.cipher().decrypt(stored)
    except InvalidToken as error:
        raise DataUnreadable(
            "A stored file cannot be read with the keys in SINERGI_DATA_KEYS (or the key file): "
            "it is not encrypted with any configured key. Restore the key that encrypted it."
        ) from error


class EncryptedFieldFile(FieldFile):
    """A stored file whose bytes are a Fernet token: ``save`` encrypts, ``read_plain`` decrypts.

    ``open()``/``read()`` give the stored (encrypted) bytes, as for any file field.
    """

    def save(self, name: str, content: File, save: bool = True) -> None:
        content.seek(0)
        super().save(name, ContentFile(data_encrypt_bytes(content.read())), save)

    def read_plain(self) -> bytes:
        """The file's plain bytes, decrypted with the data keys."""
        with self.open("rb") as handle:
            return data_decrypt_bytes(handle.read())


class EncryptedFileField(models.FileField):
    """A file field whose stored bytes are encrypted with the data keys (see the module)."""

    attr_class = EncryptedFieldFile
    description = "File encrypted at rest"

    if TYPE_CHECKING:

        @overload  # type: ignore[override]
        def __get__(self, instance: None, owner: Any) -> FileDescriptor: ...
        @overload
        def __get__(self, instance: models.Model, owner: Any) -> EncryptedFieldFile: ...
        @overload
        def __get__(self, instance: Any, owner: Any) -> Self: ...
        def __get__(self, instance: Any, owner: Any) -> Any: ...


def _rewrite(model: Any, field: str, pk: Any, name: str, *, fresh: bytes, storage: Any) -> None:
    """Store ``fresh`` under a new name, point the row to it, delete the old file at commit."""
    new_name = storage.save(name, ContentFile(fresh))
    model._base_manager.filter(pk=pk).update(**{field: new_name})
    transaction.on_commit(partial(storage.delete, name))


def _stored_files(model: Any, field: str, batch: int) -> Any:
    """(pk, file name) of every row with a file, in batches by primary key."""
    last = None
    while True:
        rows = model._base_manager.exclude(**{field: ""}).exclude(**{f"{field}__isnull": True})
        if last is not None:
            rows = rows.filter(pk__gt=last)
        page = list(rows.order_by("pk").values_list("pk", field)[:batch])
        if not page:
            return
        yield from page
        last = page[-1][0]


def files_encrypt(model: Any, *, field: str, reverse: bool = False, batch: int = 200) -> int:
    """Encrypt (or, with ``reverse``, decrypt) the stored file of every row of ``model``.

    For data migrations (``model`` may be the historical model, whose field is a plain
    ``FileField``). Files already in the wanted state are left alone, so a re-run is harmless;
    a row whose file is missing is skipped. Returns the number of files rewritten.
    """
    storage = model._meta.get_field(field).storage
    changed = 0
    for pk, name in _stored_files(model, field, batch):
        if not storage.exists(name):
            continue
        with storage.open(name, "rb") as handle:
            stored = handle.read()
        opened = DATA.opened(stored)
        if (opened is None) == reverse:
            continue
        fresh = opened if opened is not None else data_encrypt_bytes(stored)
        _rewrite(model, field, pk, name, fresh=fresh, storage=storage)
        changed += 1
    return changed


def data_files_rotate(*, batch: int = 200) -> int:
    """Re-encrypt every stored file of every :class:`EncryptedFileField` with the newest data
    key. Returns the number of files rotated; raises DataUnreadable on a file no key opens."""
    from django.apps import apps  # noqa: PLC0415 - the app registry is ready by the time of a call

    cipher = DATA.cipher()
    rotated = 0
    for model in apps.get_models():
        if model._meta.proxy:
            continue
        for field in model._meta.concrete_fields:
            if not isinstance(field, EncryptedFileField):
                continue
            for pk, name in _stored_files(model, field.attname, batch):
                if not field.storage.exists(name):
                    continue
                with field.storage.open(name, "rb") as handle:
                    stored = handle.read()
                try:
                    fresh = cipher.rotate(stored)
                except InvalidToken as error:
                    raise DataUnreadable(
                        f"{model._meta.label} #{pk}: the file {name} cannot be read with the "
                        "keys in SINERGI_DATA_KEYS; put the key that encrypted it back in the "
                        "list and rotate again."
                    ) from error
                _rewrite(model, field.attname, pk, name, fresh=fresh, storage=field.storage)
                rotated += 1
    return rotated
