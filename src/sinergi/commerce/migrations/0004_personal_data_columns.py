"""Personal data, step 1 of 3: text columns wide enough for ciphertext, phone digests, and the
customer's phone no longer unique in plain text (docs/adr/0008)."""

from django.db import migrations, models

_DIGEST = {"blank": True, "default": "", "editable": False, "max_length": 64}


class Migration(migrations.Migration):
    dependencies = [("commerce", "0003_restrict_deletes_within_a_shop")]

    operations = [
        migrations.RemoveConstraint(model_name="customer", name="commerce_customer_phone_unique"),
        migrations.AlterField(
            model_name="customer", name="name", field=models.TextField(verbose_name="name")
        ),
        migrations.AlterField(
            model_name="customer",
            name="phone",
            field=models.TextField(blank=True, verbose_name="phone"),
        ),
        migrations.AlterField(
            model_name="customer",
            name="address",
            field=models.TextField(blank=True, verbose_name="address"),
        ),
        migrations.AddField(
            model_name="customer", name="phone_digest", field=models.CharField(**_DIGEST)
        ),
        migrations.AlterField(
            model_name="order",
            name="customer_name",
            field=models.TextField(blank=True, verbose_name="customer name"),
        ),
        migrations.AlterField(
            model_name="order",
            name="customer_phone",
            field=models.TextField(blank=True, verbose_name="customer phone"),
        ),
        migrations.AlterField(
            model_name="order",
            name="address",
            field=models.TextField(blank=True, verbose_name="delivery address"),
        ),
        migrations.AlterField(
            model_name="order",
            name="delivery_note",
            field=models.TextField(blank=True, verbose_name="delivery note"),
        ),
        migrations.AddField(
            model_name="order", name="customer_phone_digest", field=models.CharField(**_DIGEST)
        ),
    ]
