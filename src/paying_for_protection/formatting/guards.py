"""Sentences whose wording depends on the data, guarded so that the build stops when the data change.

A chapter that writes "Korea's burden fell to its lowest level in 2000 and has risen since" states
a direction, a rank and a date that the data happen to support today. Where such wording is not
generated from the data, the chapter states its premise next to the numbers it uses::

    require(shares.idxmin() == 2000, "Korea's burden was lowest in 2000")
    require((shares.loc[2000:].diff().dropna() > -0.1).all(), "it has risen (allowing small dips) since")

When a data update makes a premise false, the chapter raises :class:`UnsupportedClaim` naming the
claim, the build stops with the chapter's name, and someone rewrites the sentence.
"""

from __future__ import annotations


class UnsupportedClaim(AssertionError):
    """The data no longer support a sentence the chapter writes."""


def require(condition: object, claim: str, detail: str | None = None) -> None:
    """Raise :class:`UnsupportedClaim` unless ``condition`` holds; ``claim`` is the sentence's premise."""
    if not bool(condition):
        message = f"the data no longer support the claim: {claim}"
        if detail:
            message += f" ({detail})"
        raise UnsupportedClaim(message + ". Rewrite the sentence that makes it, or fix the data.")
