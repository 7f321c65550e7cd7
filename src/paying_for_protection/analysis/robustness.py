"""Which robustness checks disagree with the main estimate of a pressure measure."""

from __future__ import annotations

import numpy as np

from . import models

MIN_CLUSTERS_FOR_BOOTSTRAP = 10

#: A robustness check 'disagrees' when its bootstrap p-value reaches this level (or the sign flips).
DISAGREE_ALPHA = 0.10


def disagreeing_checks(
    fits: dict[str, models.TwoWayFE], name: str, main_title: str = "Main specification", alpha: float = DISAGREE_ALPHA
) -> list[str]:
    """Checks whose estimate of ``name`` changes sign or loses significance (bootstrap p >= alpha)."""
    main = fits[main_title]
    main_sign = np.sign(main.coef(name))
    out = []
    for title, fit in fits.items():
        if title == main_title or name not in fit.regressors:
            continue
        if fit.clusters < MIN_CLUSTERS_FOR_BOOTSTRAP:
            out.append(title)
            continue
        if np.sign(fit.coef(name)) != main_sign or fit.wild_bootstrap(name) >= alpha:
            out.append(title)
    return out
