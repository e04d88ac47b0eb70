.PHONY: run test check format lint

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

check: test
