# Quick start: `make run` (serve the demo at http://127.0.0.1:8000) and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-requirements
APPS := organizations programs activities households registrations reports api jobs

.PHONY: run test test-thorough check venv migrate demo messages messages-check bench loadtest lint format migrations-check architecture backup restore faulttest

$(STAMP): requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $(STAMP)

venv: $(STAMP)

migrate: venv
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py seed_demo

# The worker (background exports, the daily schedule) runs beside the web server and stops with it.
run: demo
	trap 'kill 0' EXIT; $(PY) manage.py run_worker & $(PY) manage.py runserver 127.0.0.1:8000

# One pytest worker per core (pytest-xdist), each with its own test database and live server;
# the slowest 15 tests are listed at the end.
test: venv
	$(PY) -m pytest -n auto --dist worksteal --durations=15

# The hostile-input tests with a long random search instead of the fixed examples of `make test`.
test-thorough: venv
	$(PY) -m pytest -n auto --hypothesis-profile=thorough portal/tests/test_bad_input.py portal/tests/test_bad_input_forms.py

# ruff, then the direction of imports between the apps (.importlinter) and its picture.
lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache
	$(PY) manage.py architecture --check

# Redraws the apps and their imports in docs/architecture.md from the code.
architecture: venv
	$(PY) manage.py architecture

format: venv
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

migrations-check: venv
	$(PY) manage.py makemigrations --check --dry-run

check: lint migrations-check messages-check
	$(PY) manage.py check

# Translations: each app keeps its own catalog; templates/, core/ and portal/ use locale/.
messages: venv
	for app in $(APPS); do if [ -d $$app/locale ]; then (cd $$app && ../$(PY) ../manage.py makemessages -l vi --no-obsolete --no-location); fi; done
	$(PY) manage.py makemessages -l vi --no-obsolete --no-location $(foreach app,$(APPS),-i '$(app)/*') -i '.venv/*' -i 'e2e/*' -i 'bench/*' -i 'staticfiles/*' -i 'locale/*'
	$(PY) manage.py compilemessages --ignore=.venv

# Fails when a committed .mo differs from what its .po compiles to.
messages-check: venv
	$(PY) manage.py compilemessages --ignore=.venv >/dev/null
	git diff --exit-code -- '*.mo'

bench: venv
	$(PY) bench/run.py

# gunicorn (DEBUG=0) on the province benchmark database, 50 locust users for 60 s, 127.0.0.1 only;
# needs `make bench` to have filled the database first. Not part of `make test`.
loadtest: venv
	$(PY) bench/loadtest.py

# Backups (docs/operations.md): `make backup [FILE=path]`, `make restore FILE=path`.
backup: venv
	$(PY) manage.py backup $(FILE)

restore: venv
	@test -n "$(FILE)" || { echo "usage: make restore FILE=backups/portal-YYYYmmdd-HHMMSS.dump"; exit 2; }
	$(PY) manage.py restore $(FILE)

# Restarts a throw-away PostgreSQL during a load test (docs/operations.md); not part of `make test`.
faulttest: venv
	$(PY) bench/faulttest.py
