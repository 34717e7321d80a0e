"""Personal data, step 3 of 3: the columns become encrypted fields, the phone is unique per shop
through its blind index, and customers are no longer sorted by the (now unreadable) name in SQL
(docs/adr/0008)."""

from django.db import migrations, models

import sinergi.core.crypto


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_users_organisations_memberships"),
        ("commerce", "0006_personal_data_encrypt"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="customer",
            options={
                "ordering": ("pk",),
                "verbose_name": "customer",
                "verbose_name_plural": "customers",
            },
        ),
        migrations.AlterField(
            model_name="customer",
            name="address",
            field=sinergi.core.crypto.EncryptedTextField(
                blank=True, max_length=1000, multiline=True, verbose_name="address"
            ),
        ),
        migrations.AlterField(
            model_name="customer",
            name="name",
            field=sinergi.core.crypto.EncryptedTextField(max_length=120, verbose_name="name"),
        ),
        migrations.AlterField(
            model_name="customer",
            name="phone",
            field=sinergi.core.crypto.EncryptedTextField(
                blank=True, max_length=20, verbose_name="phone"
            ),
        ),
        migrations.AlterField(
            model_name="customer",
            name="phone_digest",
            field=sinergi.core.crypto.BlindIndexField(source="phone"),
        ),
        migrations.AlterField(
            model_name="order",
            name="address",
            field=sinergi.core.crypto.EncryptedTextField(
                blank=True, max_length=1000, multiline=True, verbose_name="delivery address"
            ),
        ),
        migrations.AlterField(
            model_name="order",
            name="customer_name",
            field=sinergi.core.crypto.EncryptedTextField(
                blank=True, max_length=120, verbose_name="customer name"
            ),
        ),
        migrations.AlterField(
            model_name="order",
            name="customer_phone",
            field=sinergi.core.crypto.EncryptedTextField(
                blank=True, max_length=20, verbose_name="customer phone"
            ),
        ),
        migrations.AlterField(
            model_name="order",
            name="customer_phone_digest",
            field=sinergi.core.crypto.BlindIndexField(source="customer_phone"),
        ),
        migrations.AlterField(
            model_name="order",
            name="delivery_note",
            field=sinergi.core.crypto.EncryptedTextField(
                blank=True, max_length=255, verbose_name="delivery note"
            ),
        ),
        migrations.AddConstraint(
            model_name="customer",
            constraint=models.UniqueConstraint(
                condition=models.Q(("phone_digest", ""), _negated=True),
                fields=("organisation", "phone_digest"),
                name="commerce_customer_phone_digest_unique",
            ),
        ),
    ]
