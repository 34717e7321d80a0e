"""Template filters every page uses; loaded as a builtin."""

from django import template

from sinergi.core.money import format_rupiah

register = template.Library()


@register.filter
def rupiah(amount: int | None) -> str:
    return format_rupiah(amount)
