"""Independent computations of every insights metric in plain Python, over the generator's
own objects (never the database, never DuckDB)."""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from datetime import date, timedelta
from itertools import combinations

from tests.insights.orders import GeneratedShop, GenOrder


def in_range(order: GenOrder, start: date, end: date, channel: str = "") -> bool:
    return (
        order.counted
        and start <= order.local_day <= end
        and (not channel or order.channel == channel)
    )


def totals(shop: GeneratedShop, start: date, end: date, channel: str = "") -> dict[str, int]:
    chosen = [o for o in shop.orders if in_range(o, start, end, channel)]
    revenue = sum(o.revenue for o in chosen)
    span = [
        o
        for o in shop.orders
        if start <= o.local_day <= end and (not channel or o.channel == channel)
    ]
    returned = [o for o in span if o.status == "returned"]
    return {
        "revenue": revenue,
        "orders": len(chosen),
        "aov": round(revenue / len(chosen)) if chosen else 0,
        "returned_orders": len(returned),
        "returned_revenue": sum(o.revenue for o in returned),
        "cancelled_orders": sum(1 for o in span if o.status == "cancelled"),
    }


def daily_revenue(shop: GeneratedShop, start: date, end: date) -> dict[date, int]:
    result: dict[date, int] = defaultdict(int)
    for order in shop.orders:
        if in_range(order, start, end):
            result[order.local_day] += order.revenue
    return dict(result)


def products(shop: GeneratedShop, start: date, end: date) -> list[dict]:
    revenue: Counter[str] = Counter()
    quantity: Counter[str] = Counter()
    orders: dict[str, set[int]] = defaultdict(set)
    costed: Counter[str] = Counter()
    cost: Counter[str] = Counter()
    has_cost: set[str] = set()
    for order in shop.orders:
        if not in_range(order, start, end):
            continue
        for line in order.lines:
            revenue[line.product] += line.total
            quantity[line.product] += line.quantity
            orders[line.product].add(order.id)
            if line.unit_cost is not None:
                has_cost.add(line.product)
                costed[line.product] += line.total
                cost[line.product] += line.quantity * line.unit_cost
    ranked = sorted(revenue, key=lambda name: (-revenue[name], name))
    total = sum(revenue.values())
    result, before = [], 0
    for name in ranked:
        share_before = before / total if total else 1
        abc = "A" if share_before < 0.8 else "B" if share_before < 0.95 else "C"
        before += revenue[name]
        margin = costed[name] - cost[name] if name in has_cost else None
        result.append(
            {
                "product": name,
                "revenue": revenue[name],
                "quantity": quantity[name],
                "orders": len(orders[name]),
                "abc": abc,
                "margin": margin,
            }
        )
    return result


def slow_movers(shop: GeneratedShop, end: date, days: int = 30) -> list[int]:
    last: dict[int, date] = {}
    for order in shop.orders:
        if order.counted and order.local_day <= end:
            for line in order.lines:
                last[line.variant_id] = max(
                    last.get(line.variant_id, order.local_day), order.local_day
                )
    return sorted(
        variant_id
        for variant_id, info in shop.variants.items()
        if info["available"] > 0
        and (variant_id not in last or last[variant_id] <= end - timedelta(days=days))
    )


def channels(shop: GeneratedShop, start: date, end: date) -> dict[str, tuple[int, int]]:
    result: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for order in shop.orders:
        if in_range(order, start, end):
            result[order.channel][0] += order.revenue
            result[order.channel][1] += 1
    return {name: (values[0], values[1]) for name, values in result.items()}


def customers(shop: GeneratedShop, start: date, end: date) -> dict:
    first: dict[str, date] = {}
    lifetime: Counter[str] = Counter()
    for order in shop.orders:
        key = order.customer_key
        if order.counted and key:
            first[key] = min(first.get(key, order.local_day), order.local_day)
            if order.local_day <= end:
                lifetime[key] += 1
    active: dict[str, list[GenOrder]] = defaultdict(list)
    for order in shop.orders:
        if in_range(order, start, end) and order.customer_key:
            active[order.customer_key].append(order)
    new = [key for key in active if first[key] >= start]
    return {
        "customers": len(active),
        "new_customers": len(new),
        "returning_customers": len(active) - len(new),
        "new_revenue": sum(o.revenue for key in new for o in active[key]),
        "repeat_customers": sum(1 for key in active if lifetime[key] >= 2),
        "anonymous_orders": sum(
            1 for o in shop.orders if in_range(o, start, end) and not o.customer_key
        ),
        "active": active,
    }


def ntile(count: int, buckets: int = 5) -> list[int]:
    """SQL NTILE: the first (count % buckets) groups get one row more."""
    base, extra = divmod(count, buckets)
    result = []
    for group in range(1, buckets + 1):
        result += [group] * (base + (1 if group <= extra else 0))
    return result


def rfm(shop: GeneratedShop, start: date, end: date) -> dict[str, tuple[int, int, int, str]]:
    active = customers(shop, start, end)["active"]
    stats = {
        key: (max(o.local_day for o in orders), len(orders), sum(o.revenue for o in orders))
        for key, orders in active.items()
    }
    by_money = sorted(stats, key=lambda key: (stats[key][2], key))
    m_scores = dict(zip(by_money, ntile(len(by_money)), strict=True))
    result = {}
    for key, (last, count, _money) in stats.items():
        days = (end - last).days
        r = 5 if days <= 14 else 4 if days <= 30 else 3 if days <= 60 else 2 if days <= 120 else 1
        f = 5 if count >= 6 else 4 if count >= 4 else count
        if r >= 4 and f >= 4:
            seg = "champions"
        elif r >= 3 and f >= 3:
            seg = "loyal"
        elif r >= 4 and f == 1:
            seg = "new"
        elif r >= 3:
            seg = "promising"
        elif f >= 3:
            seg = "at_risk"
        else:
            seg = "lost"
        result[key] = (r, f, m_scores[key], seg)
    return result


def pairs(shop: GeneratedShop, start: date, end: date) -> dict[frozenset[str], dict]:
    baskets = [
        {line.product for line in order.lines}
        for order in shop.orders
        if in_range(order, start, end) and order.lines
    ]
    single: Counter[str] = Counter(name for basket in baskets for name in basket)
    both: Counter[frozenset[str]] = Counter(
        frozenset(pair) for basket in baskets for pair in combinations(sorted(basket), 2)
    )
    n = len(baskets)
    return {
        pair: {
            "orders": count,
            "support": count / n,
            "lift": count * n / math.prod(single[name] for name in pair),
        }
        for pair, count in both.items()
        if count >= 2
    }
