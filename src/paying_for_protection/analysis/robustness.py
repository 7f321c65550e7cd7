"""The robustness checks as a reader meets them: their names, and which of them disagree.

Every check re-estimates the main specification changed in one way (:func:`.models.robustness_fits`,
:func:`.design_checks.design_check_fits`). The names below are what the table prints and what a
sentence lists, so the chapter never pastes a table label into prose.
"""

from __future__ import annotations

import numpy as np

from . import design_checks, models

#: Fewer clusters than this: no cluster-based inference at all in that sample (the Pacific allies).
MIN_CLUSTERS_FOR_BOOTSTRAP = 10

#: A robustness check 'disagrees' when its bootstrap p-value reaches this level (or the sign flips).
DISAGREE_ALPHA = 0.10

#: Each check's name, written to stand after "the estimate" in a sentence and, capitalised, in a table.
CHECK_NAMES = {
    "main": "main specification",
    "without_usa": "without the United States",
    "without_war": "without the war years 2022–2024",
    "nato_only": "on NATO members only",
    "pacific_only": "on the Pacific allies only",
    "with_phl_tha": "adding the Philippines and Thailand",
    "nato_share": "on NATO's own share-of-GDP figures for 2014–2024",
    "dynamic": "with the lagged outcome as a regressor",
    "cold_war": "over the longer window from 1960",
    "growth_outcome": "with the growth of real spending as the outcome",
    **design_checks.DESIGN_CHECKS,
}

#: Checks that are not re-estimates of the same quantity: the placebo asks whether anything happened
#: before the pledge, so it is reported but never counted as agreeing or disagreeing.
NOT_COUNTED = {"placebo_2010"}

#: Where a check measures a pressure variable differently, the coefficient that stands in for it.
SUBSTITUTES = {"troops_level": {"troops_lag": "troops_level_lag"}}


def all_checks() -> dict[str, models.TwoWayFE]:
    """Main specification first, then the robustness and design checks, by id."""
    return {**models.robustness_fits(), **design_checks.design_check_fits()}


def coefficient(check: str, name: str) -> str:
    """The regressor that measures ``name`` in ``check``."""
    return SUBSTITUTES.get(check, {}).get(name, name)


def identified(fits: dict[str, models.TwoWayFE], check: str, name: str) -> bool:
    if check in NOT_COUNTED and name != "wales_pressure":
        return False
    return coefficient(check, name) in fits[check].regressors


def disagreeing_checks(
    fits: dict[str, models.TwoWayFE], name: str, main: str = "main", alpha: float = DISAGREE_ALPHA
) -> list[str]:
    """Ids of the checks whose estimate of ``name`` changes sign or loses significance (bootstrap
    p >= alpha), or that have too few clusters for any test."""
    main_sign = np.sign(fits[main].coef(name))
    out = []
    for check, fit in fits.items():
        if check == main or check in NOT_COUNTED or not identified(fits, check, name):
            continue
        term = coefficient(check, name)
        if fit.clusters < MIN_CLUSTERS_FOR_BOOTSTRAP:
            out.append(check)
        elif np.sign(fit.coef(term)) != main_sign or fit.wild_bootstrap(term) >= alpha:
            out.append(check)
    return out


def counted_checks(fits: dict[str, models.TwoWayFE], name: str, main: str = "main") -> list[str]:
    """Ids of the checks that re-estimate ``name`` (the denominator of 'k of n checks')."""
    return [c for c in fits if c != main and c not in NOT_COUNTED and identified(fits, c, name)]
