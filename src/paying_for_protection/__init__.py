"""Paying for Protection: the code the book's chapters share.

Modules: ``paths`` (where things live), ``catalog`` (the description of every table),
``validation`` and ``loaders`` (validated access to ``data/``), ``derive`` (``make data``),
``style`` (the house figure style), ``cache`` (keeps the execution cache honest about data).
"""

__version__ = "1.0.0"
