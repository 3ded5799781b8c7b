# The two set-up commands are `make run` and `make test`; everything else is for developers.
.PHONY: run test check bench loadtest venv frontend validator-env

VENV := .venv/bin

venv: .venv/.synced
.venv/.synced: pyproject.toml uv.lock
	@scripts/python-env.sh
	@touch $@

# PostgreSQL and Redis with their data under var/, migrations, demo data, gunicorn, a Celery worker and beat.
run: venv validator-env
	@scripts/system-packages.sh run
	@scripts/run.sh

test: venv validator-env
	@scripts/system-packages.sh test
	@$(MAKE) --no-print-directory check
	@scripts/with-services.sh $(VENV)/pytest $(PYTEST_ARGS)

check: venv
	$(VENV)/ruff format --check --quiet .
	$(VENV)/ruff check --quiet .
	$(VENV)/lint-imports --no-cache --no-logo >/dev/null
	@DEBUG=true scripts/with-services.sh $(VENV)/python manage.py makemigrations --check --dry-run >/dev/null

bench: venv
	@scripts/system-packages.sh test
	@scripts/with-services.sh $(VENV)/pytest tests/benchmarks -p no:randomly -s -q -o addopts="" $(PYTEST_ARGS)

# LOADTEST_USERS, LOADTEST_DURATION and LOADTEST_CHILDREN override 50 users, 2m (after they have signed in) and 20000 children.
loadtest: venv
	@scripts/system-packages.sh test
	@scripts/with-services.sh scripts/loadtest.sh

frontend:
	scripts/build-frontend.sh

validator-env:
	@scripts/validator-env.sh >/dev/null
