"""Data access: the catalogue of tables (``schema``), validation against the written descriptor
with frictionless (``validation``; its problems in words, with editor lines, in ``problems``;
tables validated in earlier sessions in ``validated_store``) and one validating loader per table
(``loaders``).

``python -m paying_for_protection.data`` validates every table in ``data/``.
"""
