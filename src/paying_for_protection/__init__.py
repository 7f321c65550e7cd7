"""Paying for Protection: the code the book's chapters share.

Modules: ``paths`` (where things live), ``catalog`` (the description of every table),
``validation`` and ``loaders`` (validated access to ``data/``), ``derive`` (``make data``),
``style`` (the house figure style), ``book``, ``history``, ``budget``, ``models`` and
``regression`` (what the chapters compute and show), ``provenance`` (each chapter's record of
its inputs, which keeps the execution cache honest), ``execution`` (chapters executed in
parallel before Jupyter Book renders) and ``buildstate`` (whether the built site is current).
"""

__version__ = "1.0.0"
