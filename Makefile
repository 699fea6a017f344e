.PHONY: demo test lint typecheck fmt bench clean frontend e2e

demo:            ## run the product on the embedded default (SQLite, sample data)
	scripts/demo.sh

test:            ## the whole suite on SQLite and PostgreSQL, with lint and type checks
	scripts/test.sh

frontend:        ## install npm packages when needed, check the generated API types, unit-test and build frontend/dist
	scripts/frontend.sh --check

e2e:             ## the dashboard in Chromium against a real server (screenshots in test-artifacts/)
	.venv/bin/pytest -q -m browser tests/e2e

lint:
	.venv/bin/ruff check . && .venv/bin/ruff format --check .

typecheck:
	.venv/bin/mypy

fmt:
	.venv/bin/ruff format . && .venv/bin/ruff check --fix .

bench:           ## the quick benchmarks (python -m bench NAME... for others); results go to docs/benchmarks.md
	.venv/bin/python -m bench

clean:
	rm -rf var test-artifacts .pytest_cache .mypy_cache .ruff_cache
