"""The book's figures: one house style (``style`` and its ``.mplstyle`` sheet) and one module of
plotting functions per chapter, each drawing from frames the analysis modules compute."""
