"""Import jobs' personal data, step 3 of 3: the preview, errors and upload become encrypted
fields; the upload may be empty (it is deleted once the job is over) (docs/adr/0008)."""

from django.db import migrations

import sinergi.commerce.models.integration
import sinergi.core.crypto
import sinergi.core.encrypted_files


class Migration(migrations.Migration):
    dependencies = [("commerce", "0009_import_job_encrypt")]

    operations = [
        migrations.AlterField(
            model_name="importjob",
            name="errors",
            field=sinergi.core.crypto.EncryptedJSONField(
                blank=True, default=list, verbose_name="errors"
            ),
        ),
        migrations.AlterField(
            model_name="importjob",
            name="summary",
            field=sinergi.core.crypto.EncryptedJSONField(
                blank=True, default=dict, verbose_name="summary"
            ),
        ),
        migrations.AlterField(
            model_name="importjob",
            name="file",
            field=sinergi.core.encrypted_files.EncryptedFileField(
                blank=True,
                max_length=255,
                upload_to=sinergi.commerce.models.integration._import_path,
                verbose_name="file",
            ),
        ),
    ]
