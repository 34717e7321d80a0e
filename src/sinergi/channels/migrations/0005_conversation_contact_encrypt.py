"""Conversation contact, step 2 of 3: encrypt the customer's name and phone of every
conversation; in reverse, decrypt them (docs/adr/0008)."""

from typing import Any

from django.db import migrations

from sinergi.core.crypto import columns_encrypt


def _run(apps: Any, schema_editor: Any, *, reverse: bool) -> None:
    columns_encrypt(
        apps.get_model("channels", "Conversation"),
        schema_editor.connection,
        fields=("customer_name", "customer_phone"),
        reverse=reverse,
    )


def encrypt(apps: Any, schema_editor: Any) -> None:
    _run(apps, schema_editor, reverse=False)


def decrypt(apps: Any, schema_editor: Any) -> None:
    _run(apps, schema_editor, reverse=True)


class Migration(migrations.Migration):
    dependencies = [("channels", "0004_conversation_contact_columns")]

    operations = [migrations.RunPython(encrypt, decrypt)]
