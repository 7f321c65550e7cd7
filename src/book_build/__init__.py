"""The build tooling of the book, kept apart from the research package it builds.

``execution`` (chapters executed in parallel into Jupyter Book's cache), ``cache_guard`` (cached
runs whose inputs changed, executed again), ``fingerprint`` (is the built site current?),
``notebooks`` (the chapters exported as notebooks for readers) and ``browser`` (the built book
checked and photographed in headless Chromium). It imports the research package
(``paying_for_protection``); the research package never imports it.
"""
