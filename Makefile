# Paying for Protection: build, test and re-derive the compendium.
#
#   make book   build the HTML book into _build/html (creates .venv when missing)
#   make test   run the test suite in the same environment
#   make data   re-derive data/ from the publishers' files (SOURCES=folder, default ../shared/sources)
#   make clean  remove build output and caches (keeps .venv)

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
STAGE  := _build/staging

.PHONY: book test data validate clean help

help:
	@sed -n '3,7p' Makefile

$(STAMP): requirements.txt constraints.txt pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt -c constraints.txt
	@touch $(STAMP)

validate: $(STAMP)
	$(BIN)/python -m paying_for_protection.validate

# The build goes to a staging folder and replaces _build/html only when it succeeded, so a failed
# build never leaves a half-built book in place. --all re-reads every page (Sphinx's incremental
# build can hide warnings); cached executions are reused unless their data or code changed.
book: validate
	$(BIN)/python -m paying_for_protection.provenance _build/.jupyter_cache
	@rm -rf $(STAGE)
	$(BIN)/jupyter-book build . --path-output $(STAGE) --all -n -W --keep-going
	@rm -rf _build/html && mv $(STAGE)/_build/html _build/html && rm -rf $(STAGE)
	@echo "Built: _build/html/index.html"

test: $(STAMP)
	$(BIN)/python -m pytest

data: $(STAMP)
	$(BIN)/python -m paying_for_protection.derive $(if $(SOURCES),--sources $(SOURCES))

clean:
	rm -rf _build
