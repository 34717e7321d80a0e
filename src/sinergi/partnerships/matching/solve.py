"""The two ways a run decides, and the lottery that breaks their ties.

**Optimal** (``solve_optimal``): maximise the total score of the matches (topic fit +
urgency + location + the shop's preference), each need matched at most once, each offer
within its places, each quota province between its minimum and maximum; needs may stay
unmatched. Solved exactly as a min-cost flow (OR-Tools ``SimpleMinCostFlow``)::

    source ─(quota: min..max)→ province ─(1)→ need ─(1, -score)→ offer ─(places)→ sink
    source ──────────────────────────────────(unmatched, cost 0)────────────────→ sink

Among matchings of equal total score, the one favouring better lottery numbers wins: each
arc's cost also carries the need's lottery priority, scaled so that no sum of priorities can
outweigh one point of score (a lexicographic objective). With more than ``LOTTERY_LEVELS``
needs, lottery numbers are bucketed into that many levels (ties within a level fall to the
solver's order, which follows the seeded shuffle).

**Stable** (``solve_stable``): shop-proposing deferred acceptance with capacities
(Roth-Peranson without couples). Shops rank eligible offers by their own preference rank,
then score; offers rank shops by the partner's rank, then score, then lottery number. The
result has no blocking pair and is best for every shop among stable matchings.

The **lottery** gives every need a number 1..n from a seeded shuffle of the needs ordered by
key: the same seed and needs give the same numbers, another seed other numbers.
"""

from __future__ import annotations

import heapq
import time
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
from ortools.graph.python import min_cost_flow

from sinergi.partnerships.matching.arcs import Arcs, IntArray, eligible_arcs
from sinergi.partnerships.matching.problem import Problem

LOTTERY_LEVELS = 1024


class MatchingError(Exception):
    """The problem cannot be solved as posed (e.g. quota minimums that cannot be met)."""


def lottery(keys: list[int], seed: int) -> IntArray:
    """Lottery numbers 1..n for needs with ``keys``, reproducible from ``seed``."""
    n = len(keys)
    order = np.argsort(np.asarray(keys, dtype=np.int64), kind="stable")
    numbers = np.empty(n, dtype=np.int64)
    numbers[order] = np.random.default_rng(seed).permutation(n) + 1
    return numbers


@dataclass
class Result:
    """A run's outcome: matched arcs, the waitlist, and what is needed to explain both."""

    arcs: Arcs
    matched: IntArray  # arc indices
    lottery: IntArray  # per need
    waitlist_need: IntArray  # unmatched needs with at least one eligible offer
    waitlist_offer: IntArray  # the offer each of them wanted most
    places_left: IntArray  # per offer, after this run
    objective: int  # total score of the matches
    stats: dict[str, float | int | str] = field(default_factory=dict)

    @property
    def matched_need(self) -> IntArray:
        return self.arcs.need[self.matched]

    @property
    def matched_offer(self) -> IntArray:
        return self.arcs.offer[self.matched]


@dataclass
class FlowNetwork:
    """The min-cost-flow instance, as arrays: what the bare solver call takes."""

    tails: npt.NDArray[np.int32]
    heads: npt.NDArray[np.int32]
    capacities: IntArray
    costs: IntArray
    supply_nodes: npt.NDArray[np.int32]
    supplies: IntArray
    first_match_arc: int  # arcs [first, first + len(arcs)) are the need → offer arcs
    n_match_arcs: int


def flow_network(problem: Problem, arcs: Arcs, numbers: IntArray) -> FlowNetwork:
    """Build the min-cost-flow network of ``problem`` (see the module docstring)."""
    n, m = len(problem.needs), len(problem.offers)
    places = np.fromiter((max(o.places, 0) for o in problem.offers), np.int64, m)
    source, sink = 0, 1
    need_node = 2 + np.arange(n, dtype=np.int64)
    offer_node = 2 + n + np.arange(m, dtype=np.int64)

    quota_items = sorted(problem.quotas.items())
    quota_node = {code: 2 + n + m + q for q, (code, _bounds) in enumerate(quota_items)}
    province_of_need = problem.needs.province
    feeder = np.fromiter(
        (quota_node.get(code, source) for code in province_of_need), np.int64, count=n
    )

    supplies = {source: n, sink: -n}
    tails: list[IntArray] = []
    heads: list[IntArray] = []
    caps: list[IntArray] = []
    costs: list[IntArray] = []

    def add(t: IntArray, h: IntArray, c: IntArray, w: IntArray) -> None:
        tails.append(t)
        heads.append(h)
        caps.append(c)
        costs.append(w)

    # Quotas: source → province node with capacity max - min; the minimum moves into the
    # supplies (the standard lower-bound transformation).
    for code, (minimum, maximum) in quota_items:
        node = quota_node[code]
        members = int(np.count_nonzero(feeder == node))
        upper = members if maximum is None else min(maximum, members)
        if minimum > upper:
            raise MatchingError(
                f"province {code}: minimum {minimum} exceeds the {upper} shops that can be placed"
            )
        supplies[source] -= minimum
        supplies[node] = supplies.get(node, 0) + minimum
        add(np.array([source]), np.array([node]), np.array([upper - minimum]), np.array([0]))
    one = np.ones(n, dtype=np.int64)
    add(feeder, need_node, one, np.zeros(n, dtype=np.int64))
    add(np.array([source]), np.array([sink]), np.array([n]), np.array([0]))

    first_match_arc = sum(len(t) for t in tails)
    levels = min(max(n, 1), LOTTERY_LEVELS)
    priority = levels - 1 - ((numbers - 1) * levels) // max(n, 1)
    most_matches = int(min(n, places.sum()))
    scale = (levels - 1) * most_matches + 1
    add(
        need_node[arcs.need],
        offer_node[arcs.offer],
        np.ones(len(arcs), dtype=np.int64),
        -(arcs.score * scale + priority[arcs.need]),
    )
    add(offer_node, np.full(m, sink, dtype=np.int64), places, np.zeros(m, dtype=np.int64))

    nodes = np.fromiter(supplies.keys(), np.int32)
    return FlowNetwork(
        tails=np.concatenate(tails).astype(np.int32),
        heads=np.concatenate(heads).astype(np.int32),
        capacities=np.concatenate(caps).astype(np.int64),
        costs=np.concatenate(costs).astype(np.int64),
        supply_nodes=nodes,
        supplies=np.fromiter(supplies.values(), np.int64),
        first_match_arc=first_match_arc,
        n_match_arcs=len(arcs),
    )


def solve_network(network: FlowNetwork) -> IntArray:
    """The bare solver call: flows on the need → offer arcs. Raises if infeasible."""
    solver = min_cost_flow.SimpleMinCostFlow()
    all_arcs = solver.add_arcs_with_capacity_and_unit_cost(
        network.tails, network.heads, network.capacities, network.costs
    )
    solver.set_nodes_supplies(network.supply_nodes, network.supplies)
    status = solver.solve()
    if status != solver.OPTIMAL:
        raise MatchingError(f"no feasible matching (min-cost flow status {status})")
    first = network.first_match_arc
    match_arcs = np.asarray(all_arcs)[first : first + network.n_match_arcs]
    return np.asarray(solver.flows(match_arcs), dtype=np.int64)


def _waitlist(problem: Problem, arcs: Arcs, matched: IntArray) -> tuple[IntArray, IntArray]:
    """Unmatched needs with an eligible offer, each with its best-scoring offer."""
    n = len(problem.needs)
    is_matched = np.zeros(n, dtype=bool)
    is_matched[arcs.need[matched]] = True
    if len(arcs) == 0:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    # Best arc per need: highest score, then lowest offer index.
    order = np.lexsort((arcs.offer, -arcs.score, arcs.need))
    first = np.ones(len(order), dtype=bool)
    first[1:] = arcs.need[order][1:] != arcs.need[order][:-1]
    best = order[first]
    best = best[~is_matched[arcs.need[best]]]
    return arcs.need[best], arcs.offer[best]


def _places_left(problem: Problem, arcs: Arcs, matched: IntArray) -> IntArray:
    m = len(problem.offers)
    places = np.fromiter((max(o.places, 0) for o in problem.offers), np.int64, m)
    return places - np.bincount(arcs.offer[matched], minlength=m)


def solve_optimal(problem: Problem, arcs: Arcs | None = None) -> Result:
    """The matching of maximum total score (see the module docstring)."""
    started = time.perf_counter()
    arcs = eligible_arcs(problem) if arcs is None else arcs
    numbers = lottery(problem.needs.key, problem.seed)
    arcs_done = time.perf_counter()
    network = flow_network(problem, arcs, numbers)
    built = time.perf_counter()
    flows = solve_network(network)
    solved = time.perf_counter()
    matched = np.flatnonzero(flows > 0)
    waitlist_need, waitlist_offer = _waitlist(problem, arcs, matched)
    return Result(
        arcs=arcs,
        matched=matched,
        lottery=numbers,
        waitlist_need=waitlist_need,
        waitlist_offer=waitlist_offer,
        places_left=_places_left(problem, arcs, matched),
        objective=int(arcs.score[matched].sum()),
        stats={
            "arcs": len(arcs),
            "network_arcs": len(network.tails),
            "seconds_arcs": round(arcs_done - started, 4),
            "seconds_network": round(built - arcs_done, 4),
            "seconds_solve": round(solved - built, 4),
        },
    )


def solve_stable(problem: Problem, arcs: Arcs | None = None) -> Result:
    """Shop-proposing deferred acceptance with capacities (see the module docstring)."""
    if problem.quotas:
        raise MatchingError("quotas need the optimal objective; stable matching ignores them")
    started = time.perf_counter()
    arcs = eligible_arcs(problem) if arcs is None else arcs
    numbers = lottery(problem.needs.key, problem.seed)
    n, m = len(problem.needs), len(problem.offers)
    shops = np.asarray(problem.needs.shop, dtype=np.int64)

    # The shop's order: its own rank (unranked applications after ranked ones, offers it
    # did not apply to after those), then score, then offer index.
    big = np.iinfo(np.int64).max // 4
    own = np.where(
        arcs.preference > 0, arcs.preference, np.where(arcs.preference < 0, big - 1, big)
    )
    shop_order = np.lexsort((arcs.offer, -arcs.score, own, arcs.need))

    # The offer's order of shops, as one number per arc: lower is better.
    partner_rank = np.full(len(arcs), big, dtype=np.int64)
    if problem.priorities and len(arcs):
        offer_keys = [o.key for o in problem.offers]
        for a in range(len(arcs)):
            rank = problem.priorities.get(
                (offer_keys[int(arcs.offer[a])], int(shops[arcs.need[a]]))
            )
            if rank is not None:
                partner_rank[a] = rank
    max_score = int(arcs.score.max()) + 1 if len(arcs) else 1
    priority = (
        np.minimum(partner_rank, 1 << 20) * (max_score * (n + 1))
        + (max_score - arcs.score) * (n + 1)
        + numbers[arcs.need]
    )

    sorted_arcs = arcs.need[shop_order]
    starts = np.searchsorted(sorted_arcs, np.arange(n + 1))
    next_choice = starts[:-1].copy()
    ends = starts[1:]
    capacity = [max(o.places, 0) for o in problem.offers]
    held: list[list[tuple[int, int, int]]] = [
        [] for _ in range(m)
    ]  # heap of (-priority, need, arc)
    arc_of = shop_order.tolist()
    offer_of = arcs.offer.tolist()
    priority_of = priority.tolist()
    free = [i for i in range(n) if starts[i] < ends[i]]
    pointer = next_choice.tolist()
    end = ends.tolist()
    while free:
        i = free.pop()
        while pointer[i] < end[i]:
            a = arc_of[pointer[i]]
            pointer[i] += 1
            j = offer_of[a]
            if capacity[j] == 0:
                continue
            heap = held[j]
            entry = (-priority_of[a], i, a)
            if len(heap) < capacity[j]:
                heapq.heappush(heap, entry)
                break
            if entry > heap[0]:  # better (lower priority number) than the worst held
                rejected = heapq.heapreplace(heap, entry)
                free.append(rejected[1])
                break
    matched = np.sort(np.fromiter((a for heap in held for (_p, _i, a) in heap), np.int64))
    waitlist_need, waitlist_offer = _waitlist(problem, arcs, matched)
    return Result(
        arcs=arcs,
        matched=matched,
        lottery=numbers,
        waitlist_need=waitlist_need,
        waitlist_offer=waitlist_offer,
        places_left=_places_left(problem, arcs, matched),
        objective=int(arcs.score[matched].sum()),
        stats={"arcs": len(arcs), "seconds_solve": round(time.perf_counter() - started, 4)},
    )


def solve(problem: Problem, objective: str) -> Result:
    """Solve by ``objective``: "optimal" or "stable"."""
    if objective == "stable":
        return solve_stable(problem)
    return solve_optimal(problem)
