"""Template filters of the insights pages."""

from django import template

from sinergi.insights.narrative import percent as format_percent

register = template.Library()


@register.filter
def percent(value: float | None) -> str:
    """0.123 → "12%"; empty for None."""
    return "" if value is None else format_percent(value)


@register.filter
def one_decimal(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}"


@register.filter
def bar_width(value: float | None) -> str:
    """A share (0-1) as a CSS width, at least a sliver when not zero."""
    if not value:
        return "0%"
    return f"{max(value * 100, 1):.1f}%"


@register.filter
def get_item(mapping: dict[str, str], key: str) -> str:
    return mapping.get(key, "") if mapping else ""
