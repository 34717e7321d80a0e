"""Import jobs' personal data, step 2 of 3: encrypt the stored uploads and the previews and
errors (which name buyers) with the data keys; in reverse, decrypt them (docs/adr/0008)."""

from typing import Any

from django.db import migrations

from sinergi.core.crypto import columns_encrypt
from sinergi.core.encrypted_files import files_encrypt


def _run(apps: Any, schema_editor: Any, *, reverse: bool) -> None:
    job = apps.get_model("commerce", "ImportJob")
    columns_encrypt(job, schema_editor.connection, fields=("summary", "errors"), reverse=reverse)
    files_encrypt(job, field="file", reverse=reverse)


def encrypt(apps: Any, schema_editor: Any) -> None:
    _run(apps, schema_editor, reverse=False)


def decrypt(apps: Any, schema_editor: Any) -> None:
    _run(apps, schema_editor, reverse=True)


class Migration(migrations.Migration):
    dependencies = [("commerce", "0008_import_job_private_columns")]

    operations = [migrations.RunPython(encrypt, decrypt)]
