"""Plain sentences that say what the numbers mean, generated from the numbers themselves."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from sinergi.core.money import format_rupiah


def percent_change(current: int | float, previous: int | float) -> float | None:
    """Change from ``previous`` to ``current`` in percent; None when there is nothing before."""
    if not previous:
        return None
    return (current - previous) / previous * 100


def percent(value: float) -> str:
    """A share as "12%" (whole percent; "<1%" for small non-zero shares)."""
    if 0 < value < 0.005:
        return "<1%"
    return f"{value * 100:.0f}%"


def compare_sentence(current: int, previous: int, *, against: str) -> str:
    """ "Up 12% on the previous 30 days." and its siblings; ``against`` names the period."""
    change = percent_change(current, previous)
    if change is None:
        if current:
            return _("There were no sales in %(period)s to compare with.") % {"period": against}
        return ""
    if round(change) == 0:
        return _("About the same as %(period)s.") % {"period": against}
    if change > 0:
        return _("Up %(percent)s%% on %(period)s.") % {
            "percent": f"{change:.0f}",
            "period": against,
        }
    return _("Down %(percent)s%% on %(period)s.") % {"percent": f"{-change:.0f}", "period": against}


def sales_sentences(sales: dict[str, Any], days: int) -> list[str]:
    """What the revenue and order numbers of the period say, compared with before."""
    current = sales["current"]
    if not current["orders"]:
        return [_("No counted orders in this period.")]
    previous_period = ngettext("the previous day", "the previous %(days)d days", days) % {
        "days": days
    }
    sentences = [
        ngettext(
            "Revenue in this period: %(revenue)s from %(orders)d order.",
            "Revenue in this period: %(revenue)s from %(orders)d orders.",
            current["orders"],
        )
        % {"revenue": format_rupiah(current["revenue"]), "orders": current["orders"]},
        compare_sentence(current["revenue"], sales["previous"]["revenue"], against=previous_period),
        compare_sentence(
            current["revenue"], sales["last_year"]["revenue"], against=_("the same days last year")
        ),
        _("An order averaged %(aov)s.") % {"aov": format_rupiah(current["aov"])},
    ]
    if current["returned_orders"]:
        sentences.append(
            ngettext(
                "%(count)d returned order (%(revenue)s) is not counted.",
                "%(count)d returned orders (%(revenue)s) are not counted.",
                current["returned_orders"],
            )
            % {
                "count": current["returned_orders"],
                "revenue": format_rupiah(current["returned_revenue"]),
            }
        )
    return [sentence for sentence in sentences if sentence]


def products_sentence(items: list[dict[str, Any]], abc: list[dict[str, Any]]) -> str:
    if not items:
        return _("No products sold in this period.")
    top = items[0]
    a_class = abc[0]
    return _(
        "%(product)s sold best, with %(share)s of revenue. %(count)d of %(total)d products "
        "(class A) bring %(a_share)s of revenue: keep them in stock."
    ) % {
        "product": top["product"],
        "share": percent(top["share"]),
        "count": a_class["products"],
        "total": len(items),
        "a_share": percent(a_class["share"]),
    }


def channels_sentence(mix: list[dict[str, Any]], labels: dict[str, str]) -> str:
    if not mix:
        return _("No counted orders in this period.")
    top = mix[0]
    sentence = _("%(channel)s brought the most revenue: %(share)s of the total.") % {
        "channel": labels.get(top["channel"], top["channel"]),
        "share": percent(top["share"]),
    }
    growing = [
        row for row in mix if row["revenue_previous"] and row["revenue"] > row["revenue_previous"]
    ]
    if growing:
        best = max(growing, key=lambda row: row["revenue"] / row["revenue_previous"])
        change = percent_change(best["revenue"], best["revenue_previous"]) or 0
        sentence += " " + _("%(channel)s grew fastest: up %(percent)s%% on the period before.") % {
            "channel": labels.get(best["channel"], best["channel"]),
            "percent": f"{change:.0f}",
        }
    return sentence


def customers_sentence(data: dict[str, Any]) -> str:
    if not data.get("customers"):
        return _("No known customers in this period (orders without a name or phone number).")
    return _(
        "%(customers)d customers bought: %(new)d new and %(returning)d returning. "
        "%(rate)s of them have bought more than once."
    ) % {
        "customers": data["customers"],
        "new": data["new_customers"],
        "returning": data["returning_customers"],
        "rate": percent(data["repeat_rate"]),
    }


def basket_sentence(pairs: list[dict[str, Any]]) -> str:
    if not pairs:
        return _("No two products were bought together in at least two orders in this period.")
    top = pairs[0]
    return _(
        "%(a)s and %(b)s were bought together in %(orders)d orders; %(confidence)s of the "
        "buyers of %(a)s also took %(b)s. Offer them as a bundle."
    ) % {
        "a": top["product_a"],
        "b": top["product_b"],
        "orders": top["orders"],
        "confidence": percent(top["confidence_ab"]),
    }


def restock_sentence(items: list[dict[str, Any]], within: int) -> str:
    if not items:
        return _("No sales in the last six months to forecast from.")
    running_out = [
        row for row in items if row["cover_days"] is not None and row["cover_days"] <= within
    ]
    if not running_out:
        return _("Stock lasts more than %(days)d days for every product at the forecast rate.") % {
            "days": within
        }
    return ngettext(
        "%(count)d product runs out within %(days)d days at the forecast rate: reorder now.",
        "%(count)d products run out within %(days)d days at the forecast rate: reorder now.",
        len(running_out),
    ) % {"count": len(running_out), "days": within}
