# The two set-up commands: `make demo` and `make test`. Both create .venv when it is missing.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip
RECTFLOW := $(VENV)/bin/rectflow
SEEDS ?= ../shared/seeds
PLUGINS := plugins/rectflow-cn-workdays plugins/rectflow-example-rules

.PHONY: demo test lint typecheck pytest bench install-cli install-dev clean

$(VENV)/.created:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade "pip>=25.1"
	touch $@

$(VENV)/.cli: $(VENV)/.created pyproject.toml
	$(PIP) install --quiet -e ".[cli]"
	touch $@

$(VENV)/.dev: $(VENV)/.created pyproject.toml $(wildcard plugins/*/pyproject.toml)
	$(PIP) install --quiet --group dev -e ".[cli,strategies]" $(foreach p,$(wildcard $(PLUGINS)),-e $(p))
	touch $@

install-cli: $(VENV)/.cli
install-dev: $(VENV)/.dev

demo: $(VENV)/.cli
	$(PY) examples/demo.py --seeds $(SEEDS) $(if $(AS_OF),--as-of $(AS_OF),)

lint: $(VENV)/.dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: $(VENV)/.dev
	$(VENV)/bin/mypy --strict src/rectflow

pytest: $(VENV)/.dev
	$(VENV)/bin/pytest -q $(PYTEST_ARGS)

test: lint typecheck pytest

bench: $(VENV)/.cli
	$(PY) bench/lifecycle.py --measures 500000

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache .hypothesis
