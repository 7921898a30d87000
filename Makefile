# Familieportalen: `make run` to try it, `make test` to test it. Nothing else is needed.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app portal
DKFDS := static/vendor/dkfds
PO_FILES := $(wildcard translations/*/LC_MESSAGES/messages.po)
MO_FILES := $(PO_FILES:.po=.mo)

export PORTAL_ENV ?= development

.PHONY: run test setup bench translations-extract translations-update lint clean

# The local MitID provider `make run` starts beside the portal (never in production).
MITID_PORT ?= 5002

run: setup
	mkdir -p instance
	$(FLASK) db upgrade
	$(FLASK) seed-demo
	@echo "Familieportalen runs on http://127.0.0.1:5000 (stop with Ctrl+C)"
	@echo "MitID: the local provider on http://localhost:$(MITID_PORT); log in as mette-jensen, jonas-jensen or sara-hansen"
	$(FLASK) dev-mitid --port $(MITID_PORT) & provider=$$!; trap 'kill $$provider' EXIT; \
	OIDC_ISSUER=$${OIDC_ISSUER:-http://localhost:$(MITID_PORT)} $(FLASK) run --host 127.0.0.1 --port 5000

test: setup
	$(BIN)/python -m pytest $(PYTEST_ARGS)

setup: $(VENV)/.installed $(DKFDS)/.copied $(MO_FILES)

$(VENV)/.installed: pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	touch $@

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

$(DKFDS)/.copied: node_modules/.package-lock.json
	rm -rf $(DKFDS)
	mkdir -p $(DKFDS)
	cp -r node_modules/dkfds/dist/css node_modules/dkfds/dist/js node_modules/dkfds/dist/fonts node_modules/dkfds/dist/img $(DKFDS)/
	touch $@

translations/%/LC_MESSAGES/messages.mo: translations/%/LC_MESSAGES/messages.po $(VENV)/.installed
	$(BIN)/pybabel compile --statistics -d translations -l $*

# After changing texts: extract, merge into each language, then translate the .po files.
translations-extract: $(VENV)/.installed
	$(BIN)/pybabel extract -F babel.cfg -k _l -k N_plural:1,2 -k lazy_ngettext:1,2 \
		--add-comments=i18n: \
		--sort-by-file --project=Familieportalen --no-wrap -o translations/messages.pot .

translations-update: translations-extract
	$(BIN)/pybabel update -i translations/messages.pot -d translations --no-wrap --ignore-obsolete
	$(BIN)/python translations/fill_english.py

# ruff, then mypy strict on portal/ (its exceptions are listed in pyproject.toml).
lint: $(VENV)/.installed
	$(BIN)/ruff check portal tests bench
	$(BIN)/ruff format --check portal tests bench
	$(BIN)/mypy

bench: setup
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) node_modules $(DKFDS) instance .mypy_cache
