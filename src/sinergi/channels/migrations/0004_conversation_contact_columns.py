"""Conversation contact, step 1 of 3: text columns wide enough for ciphertext (docs/adr/0008)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("channels", "0003_post_media_order_and_carousel_items")]

    operations = [
        migrations.AlterField(
            model_name="conversation",
            name="customer_name",
            field=models.TextField(blank=True, verbose_name="name"),
        ),
        migrations.AlterField(
            model_name="conversation",
            name="customer_phone",
            field=models.TextField(blank=True, verbose_name="phone"),
        ),
    ]
