from typing import Any

from django.core.management.base import BaseCommand
from django.db import connection, transaction

from sinergi.core.crypto import data_rotate
from sinergi.core.encrypted_files import data_files_rotate


class Command(BaseCommand):
    help = (
        "Re-encrypt customers' personal data (database values and stored files such as "
        "marketplace uploads) with the newest key in SINERGI_DATA_KEYS (the first one), so "
        "that the older keys can be removed from the list afterwards."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            rotated = data_rotate(connection)
            files = data_files_rotate()
        self.stdout.write(
            f"{rotated} values re-encrypted with the newest key; stored files re-encrypted: {files}"
        )
