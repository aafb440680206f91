# beirat: the two set-up commands are `make run` and `make test` (see README.md).
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
UV := $(VENV)/bin/uv
UV_VERSION := 0.13.9
PORT ?= 8000

.PHONY: run test test-sqlite test-postgres lint format messages bench deploy-check clean

$(VENV)/.installed: pyproject.toml uv.lock
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PY) -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)
	@$(UV) sync --frozen --quiet --python $(PY)
	@touch $@

# Creates the environment, migrates, loads the Koblenz demo data, starts the background worker
# and serves on http://127.0.0.1:$(PORT) (SQLite, nothing else needed). Static files as in
# production: collected, hashed, compressed (after changing a CSS file, run `make run` again).
run: export BEIRAT_STATIC_COLLECTED := 1
run: $(VENV)/.installed
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	$(PY) manage.py optimize_database
	$(PY) manage.py collectstatic --noinput --verbosity 0
	PORT=$(PORT) scripts/serve

# The whole suite on SQLite and on a throwaway PostgreSQL cluster.
test: $(VENV)/.installed
	scripts/run-tests

test-sqlite: $(VENV)/.installed
	scripts/run-tests sqlite

test-postgres: $(VENV)/.installed
	scripts/run-tests postgres

# Benchmarks: generated data at scale, results printed and written to docs/benchmarks.md.
bench: $(VENV)/.installed
	$(PY) benchmarks/oparl_bench.py --papers 1000000 --crawl 20000
	$(PY) benchmarks/search_bench.py --papers 100000 1000000 --queries 1000
	$(PY) benchmarks/similar_bench.py
	$(PY) benchmarks/ingest_bench.py --copies 10 --scans 1
	$(PY) benchmarks/pages_bench.py --sizes 1000 100000 1000000 --databases sqlite postgres
	$(PY) benchmarks/load_bench.py --submissions 1000 --concurrency 8 --workers 4
	$(PY) benchmarks/faults.py --submissions 120
	$(PY) benchmarks/backup_bench.py --papers 1000000
	$(PY) benchmarks/two_servers.py
	$(PY) benchmarks/weight_bench.py --repeat 15

# ruff, mypy strict, migrations, the import contracts of pyproject.toml (import-linter), unused or
# undeclared dependencies (deptry) and the one door for visibility (scripts/lint_visibility.py).
lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy beirat
	$(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/lint-imports
	$(VENV)/bin/deptry .
	$(PY) scripts/lint_visibility.py beirat

# The shipped deployment files: systemd-analyze verify on every unit, nginx -t on the site with a
# generated certificate, its access log without tracking codes (needs nginx-light and openssl;
# also run by tests/core/test_deploy_files.py).
deploy-check: $(VENV)/.installed
	deploy/check-files

format: $(VENV)/.installed
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Refresh the translation catalogues after changing German UI text.
messages: $(VENV)/.installed
	scripts/make-messages

clean:
	rm -rf $(VENV) var test-artifacts
