import pytest

from sinergi.core.models import Province, Regency, TimeZoneBand
from sinergi.core.places import regions_load, time_zone_of

pytestmark = pytest.mark.django_db


def test_all_provinces_and_regencies_are_loaded():
    assert Province.objects.count() == 38
    assert Regency.objects.count() == 514
    assert Regency.objects.get(code="34.04").name == "Kabupaten Sleman"


def test_loading_again_changes_nothing():
    before = list(Regency.objects.values_list("code", "province_id", "name"))

    counts = regions_load()

    assert counts == (38, 514)
    assert list(Regency.objects.values_list("code", "province_id", "name")) == before


@pytest.mark.parametrize(
    ("code", "band"),
    [
        ("31", TimeZoneBand.WIB),
        ("34", TimeZoneBand.WIB),
        ("51", TimeZoneBand.WITA),
        ("64", TimeZoneBand.WITA),
        ("73", TimeZoneBand.WITA),
        ("81", TimeZoneBand.WIT),
        ("94", TimeZoneBand.WIT),
        ("61", TimeZoneBand.WIB),
    ],
)
def test_time_zone_of_province(code, band):
    assert time_zone_of(code) == band
    assert Province.objects.get(code=code).time_zone == band


def test_short_name_drops_kabupaten_but_keeps_kota():
    assert Regency.objects.get(code="34.04").short_name == "Sleman"
    assert Regency.objects.get(code="34.71").short_name == "Kota Yogyakarta"
