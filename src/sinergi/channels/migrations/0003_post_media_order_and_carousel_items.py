"""A post's files get a position (carousels keep the shop's order), a variant keeps the
platform ids of its carousel items, and a WhatsApp number can wait for its registration.

The existing ``channels_post_media`` table becomes the explicit ``PostMedia`` model without
being rebuilt (Django's documented way to give a ManyToManyField a through model), then gains
its ``position`` column.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("channels", "0002_post_attribution"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="PostMedia",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "post",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="media_links",
                                to="channels.post",
                            ),
                        ),
                        (
                            "media",
                            models.ForeignKey(
                                db_column="mediaasset_id",
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="post_links",
                                to="channels.mediaasset",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "channels_post_media",
                        "ordering": ("position", "pk"),
                        "unique_together": {("post", "media")},
                    },
                ),
                migrations.AlterField(
                    model_name="post",
                    name="media",
                    field=models.ManyToManyField(
                        blank=True,
                        related_name="+",
                        through="channels.PostMedia",
                        to="channels.mediaasset",
                    ),
                ),
            ],
        ),
        migrations.AddField(
            model_name="postmedia",
            name="position",
            field=models.PositiveSmallIntegerField(default=0, verbose_name="position"),
        ),
        migrations.AddField(
            model_name="postvariant",
            name="item_ids",
            field=models.JSONField(blank=True, default=list),
        ),
        migrations.AlterField(
            model_name="connectedaccount",
            name="status",
            field=models.CharField(
                choices=[
                    ("active", "Connected"),
                    ("expired", "Sign-in expired"),
                    ("missing_permission", "Permission missing"),
                    ("needs_registration", "Number not registered yet"),
                    ("disconnected", "Disconnected"),
                ],
                default="active",
                max_length=20,
                verbose_name="status",
            ),
        ),
    ]
