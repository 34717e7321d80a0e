from typing import Any

from django.core.management.base import BaseCommand

from sinergi.core.places import regions_load


class Command(BaseCommand):
    help = "Load Indonesia's provinces and regencies from the installed idn-area-data package."

    def handle(self, *args: Any, **options: Any) -> None:
        provinces, regencies = regions_load()
        self.stdout.write(f"{provinces} provinces, {regencies} regencies and cities")
