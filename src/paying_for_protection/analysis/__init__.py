"""What the chapters compute: pure functions from the tables in ``data/`` to frames and numbers.

``conversions`` (SIPRI-implied exchange rates and prices), ``history`` and ``budget`` (the first
two chapters), ``allies`` (membership by year), ``models``, ``robustness`` and
``olson_zeckhauser`` (the regression chapter), ``article_check`` (the starting article's claims
against the data). Nothing here draws or formats; see ``figures`` and ``formatting``.
"""
