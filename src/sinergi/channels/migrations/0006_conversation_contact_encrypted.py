"""Conversation contact, step 3 of 3: the columns become encrypted fields (docs/adr/0008)."""

from django.db import migrations

import sinergi.core.crypto


class Migration(migrations.Migration):
    dependencies = [
        ("channels", "0005_conversation_contact_encrypt"),
    ]

    operations = [
        migrations.AlterField(
            model_name="conversation",
            name="customer_name",
            field=sinergi.core.crypto.EncryptedTextField(
                blank=True, max_length=120, verbose_name="name"
            ),
        ),
        migrations.AlterField(
            model_name="conversation",
            name="customer_phone",
            field=sinergi.core.crypto.EncryptedTextField(
                blank=True, max_length=20, verbose_name="phone"
            ),
        ),
    ]
