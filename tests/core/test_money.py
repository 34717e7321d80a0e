import pytest
from django.template import Context, Template
from django.utils import translation

from sinergi.core.money import format_rupiah


@pytest.mark.parametrize(
    ("amount", "language", "expected"),
    [
        (12500, "id", "Rp\u00a012.500"),
        (12500, "en", "Rp\u00a012,500"),
        (1_250_000_000, "id", "Rp\u00a01.250.000.000"),
        (0, "id", "Rp\u00a00"),
        (-7500, "en", "-Rp\u00a07,500"),
    ],
)
def test_rupiah_follows_the_language(amount, language, expected):
    assert format_rupiah(amount, language=language) == expected


def test_template_filter_uses_the_active_language():
    template = Template("{{ amount|rupiah }}")

    with translation.override("en"):
        english = template.render(Context({"amount": 1500}))
    with translation.override("id"):
        indonesian = template.render(Context({"amount": 1500}))

    assert (english, indonesian) == ("Rp\u00a01,500", "Rp\u00a01.500")


def test_no_amount_renders_empty():
    assert format_rupiah(None) == ""
