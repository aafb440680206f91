# beirat: the two set-up commands are `make run` and `make test` (see README.md).
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
UV := $(VENV)/bin/uv
UV_VERSION := 0.13.9
PORT ?= 8000

.PHONY: run test test-sqlite test-postgres lint format messages bench bench-quick deploy-check clean

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

# Benchmarks: generated data at scale, every table of docs/benchmarks.md from one run on one clean
# commit (benchmarks/provenance.py refuses uncommitted changes and stamps each section). Hours.
bench: export BEIRAT_BENCH_COMMIT := $(shell git rev-parse HEAD)
bench: $(VENV)/.installed
	$(PY) benchmarks/provenance.py start
	$(PY) benchmarks/oparl_bench.py --papers 1000000 --crawl 20000
	$(PY) benchmarks/oparlsync_bench.py --papers 100000 --changes 100
	$(PY) benchmarks/search_bench.py --papers 100000 1000000 --queries 1000
	$(PY) benchmarks/similar_bench.py
	$(PY) benchmarks/ingest_bench.py --copies 10 --scans 1 --repeat 5
	$(PY) benchmarks/pages_bench.py --sizes 1000 100000 1000000 --databases sqlite postgres
	$(PY) benchmarks/load_bench.py --submissions 1000 --concurrency 8 --workers 4
	$(PY) benchmarks/faults.py --submissions 120
	$(PY) benchmarks/backup_bench.py --papers 1000000
	$(PY) benchmarks/two_servers.py
	$(PY) benchmarks/weight_bench.py --repeat 15
	$(PY) benchmarks/provenance.py finish

# The same benchmarks at 100,000 papers and fewer repetitions (minutes, not hours), for checking
# a change: uncommitted changes allowed, results in var/bench/quick.md, docs/benchmarks.md untouched.
bench-quick: export BEIRAT_BENCH_COMMIT := $(shell git rev-parse HEAD)
bench-quick: export BEIRAT_BENCH_ALLOW_DIRTY := 1
bench-quick: export BEIRAT_BENCH_REPORT := $(CURDIR)/var/bench/quick.md
bench-quick: $(VENV)/.installed
	$(PY) benchmarks/provenance.py start --quick
	$(PY) benchmarks/oparl_bench.py --papers 100000 --crawl 2000
	$(PY) benchmarks/oparlsync_bench.py --papers 2000 --changes 100
	$(PY) benchmarks/search_bench.py --papers 100000 --queries 300
	$(PY) benchmarks/similar_bench.py
	$(PY) benchmarks/ingest_bench.py --copies 2 --scans 1 --repeat 5
	$(PY) benchmarks/pages_bench.py --sizes 1000 100000 --databases sqlite postgres --repeat 10
	$(PY) benchmarks/load_bench.py --submissions 200 --concurrency 8 --workers 4
	$(PY) benchmarks/faults.py --submissions 60
	$(PY) benchmarks/backup_bench.py --papers 100000
	$(PY) benchmarks/two_servers.py
	$(PY) benchmarks/weight_bench.py --repeat 3
	$(PY) benchmarks/provenance.py finish

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
