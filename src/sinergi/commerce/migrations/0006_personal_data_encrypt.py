"""Personal data, step 2 of 3: encrypt customers' and orders' names, phones and addresses and
fill the phone digests; in reverse, decrypt them (docs/adr/0008)."""

from typing import Any

from django.db import migrations

from sinergi.core.crypto import columns_encrypt

CUSTOMER = ("name", "phone", "address")
ORDER = ("customer_name", "customer_phone", "address", "delivery_note")


def _run(apps: Any, schema_editor: Any, *, reverse: bool) -> None:
    connection = schema_editor.connection
    columns_encrypt(
        apps.get_model("commerce", "Customer"),
        connection,
        fields=CUSTOMER,
        digests={"phone_digest": "phone"},
        reverse=reverse,
    )
    columns_encrypt(
        apps.get_model("commerce", "Order"),
        connection,
        fields=ORDER,
        digests={"customer_phone_digest": "customer_phone"},
        reverse=reverse,
    )


def encrypt(apps: Any, schema_editor: Any) -> None:
    _run(apps, schema_editor, reverse=False)


def decrypt(apps: Any, schema_editor: Any) -> None:
    _run(apps, schema_editor, reverse=True)


class Migration(migrations.Migration):
    dependencies = [("commerce", "0005_order_change_marker")]

    operations = [migrations.RunPython(encrypt, decrypt)]
