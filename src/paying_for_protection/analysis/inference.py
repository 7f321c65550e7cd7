"""Inference for a least-squares fit with few clusters: what each test is, and why it is used.

With about thirty countries, a test that treats the clustered standard error as exact can reject
too often. The chapter therefore reports, for each coefficient:

* the cluster-robust (CR1) t-test against t(G-1), not the normal distribution (statsmodels'
  ``use_t``, which sets the degrees of freedom to G-1 for clustered covariances);
* the leave-one-cluster-out jackknife (CRV3), which is larger than CR1 when one country has
  leverage (MacKinnon, Nielsen and Webb 2023), also against t(G-1);
* the wild cluster restricted bootstrap (WCR, Rademacher weights, null imposed), computed by the
  ``wildboottest`` package, with its bootstrap denominator vectorised here (see
  :class:`_VectorisedWildClusterBootstrap`);
* for a measure assigned to whole countries, randomisation inference: the measure's values are
  reassigned across the countries that could have received them, and the coefficient re-estimated.

Functions here take arrays and statsmodels objects, not the chapter's fits, so that
:mod:`.models` can use them without a circular import.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

#: Fewer clusters than this with variation in a regressor: no cluster-based test is valid for it
#: (MacKinnon and Webb 2017 show the wild cluster bootstrap fails with very few treated clusters).
MIN_TREATED_CLUSTERS = 5


def cluster_codes(clusters) -> np.ndarray:
    """Integer codes 0..G-1 for a vector of cluster labels, in order of first appearance."""
    return pd.factorize(np.asarray(clusters))[0]


def treated_clusters(values, clusters) -> int:
    """How many clusters have any variation in ``values`` (a regressor constant within a cluster
    over the whole sample is 'untreated' there: only the clusters where it moves identify it)."""
    frame = pd.DataFrame({"v": np.asarray(values, dtype=float), "g": np.asarray(clusters)})
    return int((frame.groupby("g")["v"].nunique() > 1).sum())


# --- the jackknife (CRV3) ---------------------------------------------------------------------------


def leave_one_cluster_out(y, X, clusters) -> np.ndarray:
    """Coefficients with each cluster left out in turn: a (G, k) array, rows in code order.

    beta_(g) = (X'X - X_g'X_g)^+ (X'y - X_g'y_g). A pseudo-inverse, because leaving a country out
    zeroes its own fixed-effect column; the coefficients of interest stay identified.
    """
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    codes = cluster_codes(clusters)
    xtx, xty = X.T @ X, X.T @ y
    out = np.empty((codes.max() + 1, X.shape[1]))
    for g in range(codes.max() + 1):
        rows = codes == g
        Xg = X[rows]
        out[g] = np.linalg.pinv(xtx - Xg.T @ Xg) @ (xty - Xg.T @ y[rows])
    return out


def jackknife_covariance(y, X, clusters) -> np.ndarray:
    """CRV3: (G-1)/G * sum_g (beta_(g) - beta)(beta_(g) - beta)', centred on the full estimate."""
    X = np.asarray(X, dtype=float)
    beta = np.linalg.lstsq(X, np.asarray(y, dtype=float), rcond=None)[0]
    jack = leave_one_cluster_out(y, X, clusters)
    g = jack.shape[0]
    deviations = jack - beta
    return (g - 1) / g * deviations.T @ deviations


def t_test(estimate: float, se: float, clusters: int) -> float:
    """Two-sided p-value of estimate / se against t(G-1)."""
    return float(2 * stats.t.sf(abs(estimate / se), clusters - 1))


# --- the wild cluster bootstrap --------------------------------------------------------------------


def _vectorised_class():
    # Imported when first needed: the bootstrap package imports numba, which the rest of the
    # analysis does not need.
    from wildboottest.wildboottest import WildboottestCL

    class _VectorisedWildClusterBootstrap(WildboottestCL):
        """wildboottest's WCR bootstrap with the CR1 denominator computed by array algebra.

        The package compiles its denominator loop with numba inside the method, so every call
        compiles it again (about a second each; the chapter makes dozens of calls). The same sum,
        denom_b = ssc * sum_g (C_g v_gb - sum_h H_gh v_hb)^2, is one matrix product here. Scores,
        weights, statistics and p-values are the package's own; a test checks that the p-values
        equal the package's exactly.
        """

        def get_denom(self):
            if self.crv_type != "crv1":
                return super().get_denom()
            # H[g, h] = R (X'X)^-1 X_g'X_g (X'X)^-1 S_h, as in the package, for all g and h at once.
            left = np.stack([self.RtXXinv @ xgxg @ self.tXXinv for xgxg in self.tXgXg_list])
            H = left @ self.scores_mat
            v = np.asarray(self.v, dtype=float)
            Z = np.asarray(self.Cg).reshape(-1, 1) * v - H @ v
            self.denom = self.ssc * np.sum(Z**2, axis=0)

    return _VectorisedWildClusterBootstrap


def wild_cluster_bootstrap(
    y, X, clusters, column: int, draws: int, seed: int, impose_null: bool = True
) -> tuple[float, float]:
    """WCR (or WCU) bootstrap of H0: beta[column] = 0. Returns (t statistic, two-sided p-value).

    Rademacher weights; with 2^G below ``draws`` every sign pattern is enumerated (the package's
    rule). Same defaults as ``wildboottest.wildboottest`` (type 11, small-sample corrections on).
    """
    X = np.asarray(X, dtype=float)
    R = np.zeros(X.shape[1])
    R[column] = 1.0
    boot = _vectorised_class()(
        X=X, Y=np.asarray(y, dtype=float), cluster=cluster_codes(clusters), R=R, B=draws, seed=seed, parallel=False
    )
    boot.get_scores(bootstrap_type="11", impose_null=impose_null, adj=True, cluster_adj=True)
    boot.get_weights(weights_type="rademacher")
    boot.get_numer()
    boot.get_denom()
    boot.get_tboot()
    boot.get_vcov()
    boot.get_tstat()
    boot.get_pvalue(pval_type="two-tailed")
    return float(np.ravel(boot.t_stat)[0]), float(boot.pvalue)


# --- randomisation inference -------------------------------------------------------------------------


def permutation_coefficients(y, Z, exposure_of_unit: pd.Series, units, timing, permutations: np.ndarray) -> np.ndarray:
    """The coefficient on exposure x timing when the exposure is reassigned across units.

    ``Z`` holds every other regressor (fixed effects included); ``units`` names each row's unit;
    ``exposure_of_unit`` the exposure of the units that take part in the reassignment (indexed by
    unit); ``permutations`` is an (R, n_units) array of index permutations of that index. By
    Frisch-Waugh-Lovell each coefficient is r'y~ / r'r, with r the permuted regressor and y~ the
    outcome, both residualised on Z once (a QR decomposition), so R re-estimations cost one
    matrix product.
    """
    Z = np.asarray(Z, dtype=float)
    Q, _ = np.linalg.qr(Z)
    y = np.asarray(y, dtype=float)
    y_resid = y - Q @ (Q.T @ y)
    units = np.asarray(units)
    timing = np.asarray(timing, dtype=float)
    taking_part = exposure_of_unit.index.to_numpy()
    values = exposure_of_unit.to_numpy(dtype=float)
    position = pd.Index(taking_part).get_indexer(units)  # -1: a unit outside the reassignment keeps 0
    inside = position >= 0
    regressors = np.zeros((len(y), len(permutations)))
    for r, perm in enumerate(permutations):
        assigned = values[perm]
        regressors[inside, r] = assigned[position[inside]] * timing[inside]
    resid = regressors - Q @ (Q.T @ regressors)
    return (resid.T @ y_resid) / np.sum(resid**2, axis=0)


def randomisation_pvalue(observed: float, permuted: np.ndarray) -> float:
    """Two-sided: the share of reassignments (the observed one counted) with |b| at least |b_obs|."""
    permuted = np.asarray(permuted, dtype=float)
    return float((1 + np.sum(np.abs(permuted) >= abs(observed) - 1e-12)) / (1 + len(permuted)))


# --- joint tests ----------------------------------------------------------------------------------------


def joint_wald_test(results, names: list[str]) -> dict[str, float]:
    """H0: every coefficient in ``names`` is zero; F(q, G-1) from the clustered covariance.

    ``results`` is a statsmodels fit with ``use_t`` (its F test then uses G-1 denominator degrees of
    freedom). With q close to G-1 the clustered covariance is nearly singular and the test loses
    power, so the chapter reports q and G beside it.
    """
    test = results.wald_test(", ".join(f"{n} = 0" for n in names), scalar=True, use_f=True)
    return {
        "F": float(test.statistic),
        "df_num": int(test.df_num),
        "df_denom": int(test.df_denom),
        "p": float(test.pvalue),
    }
