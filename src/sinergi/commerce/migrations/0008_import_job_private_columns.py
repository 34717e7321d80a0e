"""Import jobs' personal data, step 1 of 3: the preview and errors become text columns (the
JSON as text) so that step 2 can store them encrypted (docs/adr/0008)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("commerce", "0007_personal_data_encrypted_fields")]

    operations = [
        migrations.AlterField(
            model_name="importjob",
            name="errors",
            field=models.TextField(blank=True, default="[]", verbose_name="errors"),
        ),
        migrations.AlterField(
            model_name="importjob",
            name="summary",
            field=models.TextField(blank=True, default="{}", verbose_name="summary"),
        ),
    ]
