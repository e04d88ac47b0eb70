.PHONY: run test check format lint types

# As in scripts/bootstrap.sh: no PyPI version check, so pyright runs offline.
export PYRIGHT_PYTHON_IGNORE_WARNINGS = 1

run:
	bash scripts/run.sh

test:
	bash scripts/test.sh

lint:
	.venv/bin/ruff format --check chatapp tests alembic/env.py rxconfig.py
	.venv/bin/ruff check chatapp tests alembic/env.py rxconfig.py

format:
	.venv/bin/ruff format chatapp tests alembic/env.py rxconfig.py
	.venv/bin/ruff check --fix chatapp tests alembic/env.py rxconfig.py

types:
	.venv/bin/pyright chatapp

# What CI runs: scripts/test.sh checks formatting, lints, type-checks, then runs the tests.
check: test
