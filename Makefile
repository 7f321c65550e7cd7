# Paying for Protection: build, test and re-derive the compendium.
#
#   make book         build the HTML book into _build/html (creates .venv when missing)
#   make test         run the test suite in the same environment
#   make pdf          build a PDF of the whole book (installs Debian's TeX packages when missing)
#   make data         re-derive data/ from the publishers' files (SOURCES=folder, default ../shared/sources)
#   make notebooks    regenerate notebooks/ (the chapters as plain notebooks, with the values of the build)
#   make lab          open the chapters in JupyterLab, in the book's environment
#   make screenshots  save a PNG of every built page in _build/screenshots (needs chromium)
#   make bench        time clean builds, rebuilds and chapter execution (RUNS=3), on a scratch copy
#   make clean        remove build output and caches (keeps .venv)

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
STAGE  := _build/staging
TEX_PACKAGES := texlive-xetex texlive-lang-cjk texlive-lang-chinese texlive-latex-extra texlive-fonts-recommended texlive-plain-generic lmodern latexmk fonts-noto-cjk fonts-dejavu-core

.PHONY: book site bench test pdf data validate notebooks lab screenshots clean help tex

help:
	@sed -n '3,12p' Makefile

$(STAMP): requirements.txt constraints.txt pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@touch $(STAMP)

validate: $(STAMP)
	$(BIN)/python -m paying_for_protection.data

# `make book` returns at once when the site was built from exactly the current inputs (a content
# fingerprint, see src/book_build/fingerprint.py). Otherwise: validate data/, execute the chapters that changed
# (several at a time, into the execution cache; cached runs whose data or code changed are
# dropped first), then let Jupyter Book render from the cache. The build goes to a staging
# folder and replaces _build/html only when it succeeded, so a failed build never leaves a
# half-built book in place. --all re-reads every page (Sphinx's incremental build can hide
# warnings); reading from the cache is cheap.
book: $(STAMP)
	@$(BIN)/python -m book_build.fingerprint check _build/html \
	  && echo "Up to date: _build/html/index.html (nothing changed since the last build)" \
	  || $(MAKE) --no-print-directory site

# The build itself, run by `book` once the environment is in place (so it has no prerequisites).
site:
	$(BIN)/python -m paying_for_protection.data
	@rm -rf $(STAGE)
	@$(BIN)/python -m book_build.fingerprint save $(STAGE)/inputs-sha256
	$(BIN)/python -m book_build.execution $(if $(JOBS),--jobs $(JOBS))
	$(BIN)/jupyter-book build . --path-output $(STAGE) --all -n -W --keep-going
	@$(BIN)/python -m book_build.fingerprint stabilise $(STAGE)/_build/html
	@$(BIN)/python -m book_build.notebooks --into-site $(STAGE)/_build/html
	@mv $(STAGE)/inputs-sha256 $(STAGE)/_build/html/.inputs-sha256
	@if [ -f _build/pdf/paying-for-protection.pdf ]; then cp _build/pdf/paying-for-protection.pdf $(STAGE)/_build/html/; fi
	@rm -rf _build/html && mv $(STAGE)/_build/html _build/html && rm -rf $(STAGE)
	@echo "Built: _build/html/index.html"

test: $(STAMP)
	$(BIN)/python -m pytest

# Debian's TeX packages, installed only when xelatex is missing (needs root or sudo).
tex:
	@command -v xelatex >/dev/null && command -v latexmk >/dev/null || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $(TEX_PACKAGES); }

pdf: validate tex
	$(BIN)/python -m book_build.execution $(if $(JOBS),--jobs $(JOBS))
	@rm -rf _build/pdf-staging
	$(BIN)/jupyter-book build . --builder pdflatex --path-output _build/pdf-staging --all -n -W --keep-going
	@mkdir -p _build/pdf && cp _build/pdf-staging/_build/latex/paying-for-protection.pdf _build/pdf/
	@if [ -d _build/html ]; then cp _build/pdf/paying-for-protection.pdf _build/html/; fi
	@rm -rf _build/pdf-staging
	@echo "Built: _build/pdf/paying-for-protection.pdf"

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
