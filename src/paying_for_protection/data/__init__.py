"""Data access: the catalogue of tables (``schema``), validation against the written descriptor
(``validation``) and one validating loader per table (``loaders``).

``python -m paying_for_protection.data`` validates every table in ``data/``.
"""
