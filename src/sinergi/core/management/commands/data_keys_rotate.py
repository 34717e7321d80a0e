from typing import Any

from django.core.management.base import BaseCommand
from django.db import connection, transaction

from sinergi.core.crypto import data_rotate


class Command(BaseCommand):
    help = (
        "Re-encrypt customers' personal data with the newest key in SINERGI_DATA_KEYS (the "
        "first one), so that the older keys can be removed from the list afterwards."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            rotated = data_rotate(connection)
        self.stdout.write(f"{rotated} values re-encrypted with the newest key")
