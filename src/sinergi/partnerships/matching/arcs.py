"""Eligible (need, offer) pairs and their scores, computed with arrays.

Needs that share a profile (topic, province, sector, size class, languages) have the same
eligible offers, so eligibility is decided once per profile and topic with boolean matrices,
then expanded to needs; the per-need rules (dates, regency bonus, applications) are applied
to the expanded arrays. The rules are those of ``problem.ineligibility`` and
``problem.pair_score``; a test checks the two agree on random problems.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from sinergi.partnerships.matching.problem import (
    LANGUAGE_BITS,
    LOCATION_POINTS,
    NO_DATE,
    TOPIC_POINTS,
    URGENCY_POINTS,
    Offer,
    Problem,
    preference_points,
)

IntArray = npt.NDArray[np.int64]


@dataclass
class Arcs:
    """Eligible pairs: arc a joins need ``need[a]`` to offer ``offer[a]`` (indices)."""

    need: IntArray
    offer: IntArray
    score: IntArray
    location: npt.NDArray[np.int8]  # 0 online, 1 same regency, 2 same province
    preference: IntArray  # the shop's rank; 0 not applied; -1 applied without rank

    def __len__(self) -> int:
        return len(self.need)


LOCATION_NAMES = ("online", "regency", "province")


def _codes(values: list[str], vocabulary: dict[str, int]) -> IntArray:
    for value in values:
        if value not in vocabulary:
            vocabulary[value] = len(vocabulary)
    return np.fromiter((vocabulary[v] for v in values), dtype=np.int64, count=len(values))


def eligible_arcs(problem: Problem) -> Arcs:  # noqa: PLR0915 (one array pipeline, read top down)
    """All eligible pairs of ``problem`` with their scores, sorted by need then offer."""
    needs, offers = problem.needs, problem.offers
    n, m = len(needs), len(offers)
    empty = np.zeros(0, dtype=np.int64)
    if n == 0 or m == 0:
        return Arcs(empty, empty, empty, np.zeros(0, dtype=np.int8), empty)

    # Shared vocabularies; code 0 is "unknown" ("").
    provinces: dict[str, int] = {"": 0}
    regencies: dict[str, int] = {"": 0}
    sectors: dict[str, int] = {"": 0}
    sizes: dict[str, int] = {"": 0}
    topics: dict[str, int] = {}

    n_topic = _codes(needs.topic, topics)
    n_prov = _codes(needs.province, provinces)
    n_reg = _codes(needs.regency, regencies)
    n_sec = _codes(needs.sector, sectors)
    n_size = _codes(needs.size, sizes)
    n_lang = np.asarray(needs.languages, dtype=np.int64)
    n_by = np.asarray(needs.needed_by, dtype=np.int64)
    n_urg = np.asarray(needs.urgency, dtype=np.int64)
    n_shop = np.asarray(needs.shop, dtype=np.int64)

    o_prov = _codes([o.province if not o.online else "" for o in offers], provinces)
    o_reg = _codes([o.regency for o in offers], regencies)
    for offer in offers:
        _codes(sorted(offer.provinces), provinces)
        _codes(sorted(offer.sectors), sectors)
        _codes(sorted(offer.sizes), sizes)
    o_online = np.fromiter((o.online for o in offers), dtype=bool, count=m)
    o_lang = np.fromiter((LANGUAGE_BITS.get(o.language, 0) for o in offers), np.int64, m)
    o_start = np.fromiter(
        (o.starts_on.toordinal() if o.starts_on else NO_DATE for o in offers), np.int64, m
    )
    today = problem.today.toordinal()
    o_active = np.fromiter(
        (o.places > 0 and (o.ends_on is None or o.ends_on.toordinal() >= today) for o in offers),
        dtype=bool,
        count=m,
    )

    def matrix(vocabulary: dict[str, int], attribute: str) -> npt.NDArray[np.bool_]:
        allowed = np.zeros((m, len(vocabulary)), dtype=bool)
        for j, offer in enumerate(offers):
            values = getattr(offer, attribute)
            if values:
                allowed[j, [vocabulary[v] for v in values]] = True
            else:
                allowed[j, :] = True
        return allowed

    e_prov = matrix(provinces, "provinces")
    e_sec = matrix(sectors, "sectors")
    e_size = matrix(sizes, "sizes")

    # Profiles of needs: identical profiles have identical eligible offers.
    dims = [len(topics), len(provinces), len(sectors), len(sizes), 4]
    profile_key = np.ravel_multi_index((n_topic, n_prov, n_sec, n_size, n_lang & 3), dims)
    profiles, need_profile = np.unique(profile_key, return_inverse=True)
    p_topic, p_prov, p_sec, p_size, p_lang = np.unravel_index(profiles, dims)

    pairs = _profile_pairs(
        topics=topics,
        offers=offers,
        active=o_active,
        profile=(p_topic, p_prov, p_sec, p_size, p_lang),
        allowed=(e_prov, e_sec, e_size),
        o_lang=o_lang,
        o_online=o_online,
        o_prov=o_prov,
    )
    if pairs is None:
        return Arcs(empty, empty, empty, np.zeros(0, dtype=np.int8), empty)
    pr, po = pairs

    # Expand profile pairs to needs: profile p has c_p needs and k_p offers → c_p·k_p arcs.
    n_profiles = len(profiles)
    k = np.bincount(pr, minlength=n_profiles)
    pair_start = np.concatenate(([0], np.cumsum(k)[:-1]))
    need_order = np.argsort(need_profile, kind="stable")
    need_sorted_profile = need_profile[need_order]
    per_need_k = k[need_sorted_profile]
    total = int(per_need_k.sum())
    arc_need_sorted = np.repeat(np.arange(n, dtype=np.int64), per_need_k)
    first_arc = np.concatenate(([0], np.cumsum(per_need_k)[:-1]))
    local = np.arange(total, dtype=np.int64) - np.repeat(first_arc, per_need_k)
    arc_need = need_order[arc_need_sorted]
    arc_offer = po[pair_start[need_sorted_profile][arc_need_sorted] + local]

    # Per-need rules: the offering must start by the date the shop needs it.
    by = n_by[arc_need]
    start = o_start[arc_offer]
    keep = (by == NO_DATE) | (start == NO_DATE) | (start <= by)
    if problem.declined:
        # A pair one side declined is not proposed again.
        offer_index = {o.key: j for j, o in enumerate(offers)}
        need_index = {key: i for i, key in enumerate(needs.key)}
        declined = np.fromiter(
            (
                need_index[need] * m + offer_index[offer]
                for need, offer in problem.declined
                if need in need_index and offer in offer_index
            ),
            dtype=np.int64,
        )
        keep &= ~np.isin(arc_need * m + arc_offer, declined)
    arc_need, arc_offer = arc_need[keep], arc_offer[keep]
    order = np.lexsort((arc_offer, arc_need))
    arc_need, arc_offer = arc_need[order], arc_offer[order]

    online = o_online[arc_offer]
    same_regency = (n_reg[arc_need] != 0) & (n_reg[arc_need] == o_reg[arc_offer])
    location = np.where(online, 0, np.where(same_regency, 1, 2)).astype(np.int8)
    location_points = np.array([LOCATION_POINTS[name] for name in LOCATION_NAMES], np.int64)
    score = (
        TOPIC_POINTS
        + np.asarray(URGENCY_POINTS, np.int64)[n_urg[arc_need]]
        + location_points[location]
    )

    preference = _preferences(problem, n_shop[arc_need] * m + arc_offer, score)
    return Arcs(arc_need, arc_offer, score, location, preference)


def _profile_pairs(
    *,
    topics: dict[str, int],
    offers: Sequence[Offer],
    active: npt.NDArray[np.bool_],
    profile: tuple[IntArray, ...],
    allowed: tuple[npt.NDArray[np.bool_], ...],
    o_lang: IntArray,
    o_online: npt.NDArray[np.bool_],
    o_prov: IntArray,
) -> tuple[IntArray, IntArray] | None:
    """Eligible (profile, offer) pairs, topic by topic, sorted by profile then offer."""
    p_topic, p_prov, p_sec, p_size, p_lang = profile
    e_prov, e_sec, e_size = allowed
    m = len(offers)
    pair_profile: list[IntArray] = []
    pair_offer: list[IntArray] = []
    for code, t in topics.items():
        in_topic = np.flatnonzero(active & np.fromiter((code in o.topics for o in offers), bool, m))
        chosen = np.flatnonzero(p_topic == t)
        if len(in_topic) == 0 or len(chosen) == 0:
            continue
        pp, ps, pz, pl = p_prov[chosen], p_sec[chosen], p_size[chosen], p_lang[chosen]
        ok = e_prov[np.ix_(in_topic, pp)].T
        ok &= e_sec[np.ix_(in_topic, ps)].T
        ok &= e_size[np.ix_(in_topic, pz)].T
        ok &= (o_lang[in_topic][None, :] & pl[:, None]) != 0
        # On site: only shops of the offering's province (a known one).
        ok &= o_online[in_topic][None, :] | (
            (o_prov[in_topic][None, :] == pp[:, None]) & (pp[:, None] != 0)
        )
        rows, cols = np.nonzero(ok)
        pair_profile.append(chosen[rows])
        pair_offer.append(in_topic[cols])
    if not pair_profile:
        return None
    pr = np.concatenate(pair_profile)
    po = np.concatenate(pair_offer)
    order = np.lexsort((po, pr))
    return pr[order], po[order]


def _preferences(problem: Problem, arc_keys: IntArray, score: IntArray) -> IntArray:
    """The shop's rank on each arc (0 none, -1 applied unranked); adds its points to score."""
    preference = np.zeros(len(arc_keys), dtype=np.int64)
    m = len(problem.offers)
    offer_index = {o.key: j for j, o in enumerate(problem.offers)}
    keys, ranks = [], []
    for (shop, offer_key), rank in problem.preferences.items():
        j = offer_index.get(offer_key)
        if j is not None:
            keys.append(shop * m + j)
            ranks.append(-1 if rank is None else rank)
    if not keys or not len(arc_keys):
        return preference
    pref_keys = np.asarray(keys, dtype=np.int64)
    pref_ranks = np.asarray(ranks, dtype=np.int64)
    sort = np.argsort(pref_keys)
    pref_keys, pref_ranks = pref_keys[sort], pref_ranks[sort]
    pos = np.clip(np.searchsorted(pref_keys, arc_keys), 0, len(pref_keys) - 1)
    hit = pref_keys[pos] == arc_keys
    preference[hit] = pref_ranks[pos[hit]]
    for rank in set(ranks):
        score[hit & (preference == rank)] += preference_points(None if rank == -1 else rank)
    return preference
