"""The pure matching engine: no Django here, only Python, numpy and OR-Tools.

``problem`` describes needs, offers and preferences; ``arcs`` finds eligible pairs and their
scores; ``solve`` decides (optimal min-cost flow or stable deferred acceptance) and draws the
lottery that breaks ties.
"""

from sinergi.partnerships.matching.arcs import LOCATION_NAMES, Arcs, eligible_arcs
from sinergi.partnerships.matching.problem import (
    LANGUAGE_BITS,
    Need,
    NeedColumns,
    Offer,
    Problem,
    ineligibility,
    language_mask,
    location_kind,
    pair_score,
    preference_points,
)
from sinergi.partnerships.matching.solve import (
    FlowNetwork,
    MatchingError,
    Result,
    flow_network,
    lottery,
    solve,
    solve_network,
    solve_optimal,
    solve_stable,
)

__all__ = [
    "LANGUAGE_BITS",
    "LOCATION_NAMES",
    "Arcs",
    "FlowNetwork",
    "MatchingError",
    "Need",
    "NeedColumns",
    "Offer",
    "Problem",
    "Result",
    "eligible_arcs",
    "flow_network",
    "ineligibility",
    "language_mask",
    "location_kind",
    "lottery",
    "pair_score",
    "preference_points",
    "solve",
    "solve_network",
    "solve_optimal",
    "solve_stable",
]
