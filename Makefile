# Paying for Protection: build, test and re-derive the compendium.
#
#   make book         build the HTML book into _build/html (creates .venv when missing)
#   make check        lint, format, data validation and the tests that need no built book (under 30 s)
#   make test         run the whole test suite in the same environment
#   make numbers-diff which printed numbers changed (FROM=/TO= a numbers.json, a site or a git revision)
#   make pdf          build a PDF of the whole book, A4 (PAPER=letter adds US Letter; installs TeX when missing)
#   make data         re-derive data/ from the publishers' files (SOURCES=folder, default ../shared/sources)
#   make notebooks    regenerate notebooks/ (the chapters as plain notebooks, with the values of the build)
#   make lab          open the chapters in JupyterLab, in the book's environment
#   make screenshots  save a PNG of every built page in _build/screenshots (needs chromium)
#   make bench        build times against plain Jupyter Book, side by side (RUNS=3), on scratch copies
#   make clean        remove build output and caches (keeps .venv)

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
TEX_PACKAGES := texlive-xetex texlive-lang-cjk texlive-lang-chinese texlive-latex-extra texlive-fonts-recommended texlive-plain-generic lmodern latexmk fonts-noto-cjk fonts-dejavu-core

.PHONY: book check numbers-diff bench test pdf data validate notebooks lab screenshots clean help tex

help:
	@sed -n '3,14p' Makefile

$(STAMP): requirements.txt constraints.txt pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@touch $(STAMP)

validate: $(STAMP)
	$(BIN)/python -m paying_for_protection.data

# `make book` runs the whole build in one process (src/book_build/build.py): a lock, the
# up-to-date check (inputs' fingerprint and every file of the last site), data validation,
# parallel execution into the cache, Sphinx, the post-render steps and an atomic swap of
# _build/html. It returns at once when nothing changed; a failed build leaves the site as it was.
book: $(STAMP)
	@$(BIN)/python -m book_build $(if $(JOBS),--jobs $(JOBS))

# All the tests, in two processes (one per core); the book tests share one clean build.
test: $(STAMP)
	$(BIN)/python -m pytest -n auto --dist loadgroup

# Everything that needs no built book: lint, format, data validation and the unit tests.
check: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m paying_for_protection.data
	$(BIN)/python -m pytest -m "not book and not slow" -q -n auto --dist loadgroup

# Which printed numbers changed: FROM and TO are each a numbers.json, a built site or a git
# revision (e.g. FROM=v1.0.0); the defaults are the previous build and the last one.
numbers-diff: $(STAMP)
	@$(BIN)/python -m book_build.numbers diff $(FROM) $(TO)

# Debian's TeX packages, installed only when xelatex is missing (needs root or sudo).
tex:
	@command -v xelatex >/dev/null && command -v latexmk >/dev/null || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $(TEX_PACKAGES); }

# The PDF: the same lock, validation and execution as `make book`, then Sphinx's LaTeX builder and
# latexmk (src/book_build/build.py). A4 is the book's paper; PAPER=letter also sets the same LaTeX
# on US Letter. The PDFs are copied into the published site as well.
pdf: $(STAMP) tex
	@$(BIN)/python -m book_build pdf $(if $(JOBS),--jobs $(JOBS)) $(if $(PAPER),--paper $(PAPER))

data: $(STAMP)
	$(BIN)/python -m paying_for_protection.derive $(if $(SOURCES),--sources $(SOURCES))

# The notebooks print the values of the last build: build first (at once when nothing changed).
notebooks: book
	$(BIN)/python -m book_build.notebooks _build/html

lab: $(STAMP)
	$(BIN)/jupyter lab notebooks/

screenshots: $(STAMP)
	$(BIN)/python -m book_build.browser screenshots _build/html _build/screenshots

bench: $(STAMP)
	$(BIN)/python benchmarks/bench.py --runs $(or $(RUNS),3) $(if $(JOBS),--jobs $(JOBS))

clean:
	rm -rf _build
