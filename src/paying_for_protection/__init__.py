"""Paying for Protection: the research code behind the book's chapters.

Layers, each importing only those below it:

* ``paths`` and ``panel_design``: where things live; the regression panel's fixed design;
* ``data``: the catalogue of tables, validation and one validating loader per table;
* ``derive``: ``make data``, the tidy tables derived from the publishers' files;
* ``analysis``: what the chapters compute, as pure functions returning frames and numbers;
* ``figures``: the house style and each chapter's plotting functions;
* ``formatting`` and ``provenance``: numbers as phrases, tables, citations, the Data page and
  each chapter's colophon.

The build tooling lives apart, in ``book_build``; nothing here imports it.
"""

__version__ = "1.0.0"
