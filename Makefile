# The two set-up commands: `make demo` and `make test`. Both create .venv when it is missing.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip
RECTFLOW := $(VENV)/bin/rectflow
SEEDS ?= ../shared/seeds
PLUGINS := plugins/rectflow-cn-workdays plugins/rectflow-example-rules plugins/rectflow-notify-email

.PHONY: demo test check lint typecheck imports pytest bench install-cli install-dev clean dist wheel-check docs catalogues

# Hypothesis draws from one seed per run, the same in every pytest-xdist worker, so a failure
# reproduces with `make test HYPOTHESIS_SEED=<the seed printed>` whichever worker ran the test.
ifeq ($(origin HYPOTHESIS_SEED),undefined)
HYPOTHESIS_SEED := $(shell od -An -N4 -tu4 /dev/urandom | tr -d ' ')
endif
PYTEST := $(VENV)/bin/pytest -q -n auto --hypothesis-seed=$(HYPOTHESIS_SEED)

$(VENV)/.created:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade "pip>=25.1"
	touch $@

# The demo uses every part a staff member would: the CLI, the store, the workbook and the dashboard.
$(VENV)/.cli: $(VENV)/.created pyproject.toml
	$(PIP) install --quiet -e ".[cli,store,excel,report,fast]"
	touch $@

$(VENV)/.dev: $(VENV)/.created pyproject.toml $(wildcard plugins/*/pyproject.toml)
	$(PIP) install --quiet --group dev --group docs -e ".[cli,strategies,postgresql,excel,report,fast]" $(foreach p,$(wildcard $(PLUGINS)),-e $(p))
	touch $@

install-cli: $(VENV)/.cli
install-dev: $(VENV)/.dev

# The main job on the bundled examples: the status of every case (what is overdue as of AS_OF,
# default each case's last event date), the checks under both presets, the seed notices imported
# (when ../shared/seeds is there), the synthetic case rendered as a notice, and the same case taken
# round the supervision loop (examples/supervise.py) and shown by status, and the Chinese agenda of
# the examples on a fixed day under the 江津区 three-colour ladder. `check` exits 1
# when it finds errors, which the examples do on purpose; 2 (a mistake) stops the demo.
AS_OF_OPT := $(if $(AS_OF),--as-of $(AS_OF),)
EXAMPLES := $(wildcard examples/cases/*.toml)

demo: $(VENV)/.cli
	@echo "== rectflow status: every example case =="
	$(RECTFLOW) status $(EXAMPLES) $(AS_OF_OPT)
	@echo; echo "== why the examples have errors (examples/README.md) =="
	@$(MAKE) --no-print-directory -s demo-why
	@for policy in xunshi xuncha; do \
	  echo; echo "== rectflow check --policy $$policy =="; \
	  $(RECTFLOW) check $(EXAMPLES) --policy $$policy $(AS_OF_OPT); rc=$$?; \
	  [ $$rc -le 1 ] || exit $$rc; \
	done
	@if [ -d "$(SEEDS)" ]; then \
	  mkdir -p out/imported; \
	  for notice in $(SEEDS)/*.txt; do \
	    echo; echo "== rectflow import $$notice =="; \
	    $(RECTFLOW) import "$$notice" -o "out/imported/$$(basename "$$notice" .txt).toml" --force || exit $$?; \
	    $(RECTFLOW) status "out/imported/$$(basename "$$notice" .txt).toml" || exit $$?; \
	  done; \
	else echo; echo "(no seed notices at $(SEEDS): import skipped)"; fi
	@echo; echo "== rectflow render: the synthetic case as a notice =="
	$(RECTFLOW) render examples/cases/synthetic-hongqiao-first-people-hospital.toml --format text
	@echo; echo "== examples/supervise.py: an extension, a rejection, acceptance, accountability, an evaluation =="
	mkdir -p out
	$(VENV)/bin/python examples/supervise.py out/supervised.toml
	$(RECTFLOW) status out/supervised.toml
	@echo; echo "== rectflow agenda: who is to be told of what on 2025-06-08 (江津区 三色预警, in Chinese) =="
	$(RECTFLOW) agenda $(EXAMPLES) --as-of 2025-06-08 --policy examples/policies/jiangjin-three-colour.toml --lang zh
	@echo; echo "== rectflow store: the examples in a SQLite ledger store (out/ledger.db), and the cross-case agenda from it (2025-06-08, in Chinese) =="
	rm -f out/ledger.db out/ledger.db-wal out/ledger.db-shm
	$(RECTFLOW) store init --store sqlite:///out/ledger.db --lang zh
	$(RECTFLOW) store import $(EXAMPLES) --store sqlite:///out/ledger.db --lang zh
	$(RECTFLOW) agenda --store sqlite:///out/ledger.db --as-of 2025-06-08 --policy examples/policies/jiangjin-three-colour.toml --lang zh
	$(RECTFLOW) store overdue --store sqlite:///out/ledger.db --as-of 2025-06-08 --by department --lang zh
	@echo; echo "== a round: the five seed-based examples and the synthetic case, rolled up by body (2025-06-30) =="
	$(VENV)/bin/python examples/rounds/build_round.py out/round.toml --as-of 2025-06-30 --force
	$(RECTFLOW) stats out/round.toml --by body --as-of 2025-06-30 --lang zh
	$(RECTFLOW) round render out/round.toml --as-of 2025-06-30 -o out/round-notice.txt --force
	@echo; echo "== rectflow ledger export: the round's 台账 (out/round.xlsx), and its re-import gives back the same ledger =="
	$(RECTFLOW) ledger export out/round.toml -o out/round.xlsx --as-of 2025-06-30 --policy examples/policies/jiangjin-three-colour.toml --force
	$(RECTFLOW) ledger import out/round.xlsx --dry-run --against out/round.toml --as-of 2025-06-30
	@echo; echo "== rectflow report: the round's dashboard (one offline HTML file) =="
	$(RECTFLOW) report out/round.toml -o out/round.html --as-of 2025-06-30 --policy examples/policies/jiangjin-three-colour.toml --lang zh --force

# The section of examples/README.md that says why each example has errors on purpose, as plain
# text: `make demo` prints it before the checks, so that their exit 1 reads as intended.
.PHONY: demo-why
demo-why:
	@awk '/^## Why .*finds errors/ { on = 1; next } \
	  on && /^## / { exit } \
	  on && /^\|( example |---)/ { next } \
	  on && /^\|/ { gsub(/`/, ""); split($$0, cell, / *\| */); \
	    printf "  %s: %s\n      %s\n", cell[2], cell[3], cell[4]; next } \
	  on { gsub(/`/, ""); print }' examples/README.md

lint: $(VENV)/.dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: $(VENV)/.dev
	$(VENV)/bin/mypy --strict src/rectflow

# The layer contract in pyproject.toml: rooms import downwards only, and nothing in a circle.
imports: $(VENV)/.dev
	$(VENV)/bin/lint-imports

pytest: $(VENV)/.dev
	@echo "hypothesis seed $(HYPOTHESIS_SEED) (rerun with HYPOTHESIS_SEED=$(HYPOTHESIS_SEED))"
	$(PYTEST) $(PYTEST_ARGS)

# The sdists and wheels of rectflow and the plugins, in dist/. `python -m build` makes each
# wheel from its sdist, so an sdist that cannot rebuild its wheel fails here.
dist: $(VENV)/.dev
	rm -rf dist
	$(foreach p,. $(PLUGINS),$(PY) -m build --quiet --outdir dist $(p) &&) ls dist

# The built wheels installed as a user would (a fresh venv in a temporary directory, with the
# extras, the plugins and every dependency from the package index) and run: the CLI, the presets
# and templates, py.typed, the pytest11 and hypothesis entry points; the sdists listed.
wheel-check: dist
	$(PY) .ci/wheel_check.py

# The gettext catalogues (src/rectflow/_i18n.py): every msgid marked in the source (_, N_, Msg,
# and NP_ with its msgctxt) extracted into rectflow.pot, the zh_CN .po updated from it (a new msgid
# comes in untranslated, and tests/test_catalogues.py fails until it is translated), and the .po
# compiled into the .mo that rectflow reads. The .pot, .po and .mo are committed and built into the wheel.
LOCALE := src/rectflow/locale
catalogues: $(VENV)/.dev
	$(VENV)/bin/pybabel extract -F babel.cfg -k N_ -k NP_:1c,2 -k Msg --sort-by-file \
		--ignore-dirs '.* __pycache__' \
		--project rectflow --no-wrap -o $(LOCALE)/rectflow.pot src/rectflow
	$(VENV)/bin/pybabel update -i $(LOCALE)/rectflow.pot -d $(LOCALE) -D rectflow \
		-l zh_CN --no-fuzzy-matching --no-wrap --ignore-obsolete
	$(VENV)/bin/pybabel compile --statistics -d $(LOCALE) -D rectflow -l zh_CN

# The documentation site (mkdocs.yml) into site/, strictly: a broken link, an API entry that does
# not resolve or a docstring griffe cannot read fails. Offline: nothing is downloaded. (The
# variable silences the theme's banner about its maintenance plans, printed on every build.)
docs: $(VENV)/.dev
	NO_MKDOCS_2_WARNING=1 $(VENV)/bin/mkdocs build --strict

# Everything CI runs (CI selects the thorough `ci` hypothesis profile).
test: lint typecheck imports pytest wheel-check docs

# The edit loop: the same static checks, and the suite without the slow tests under the quick
# default hypothesis profile.
check: lint typecheck imports $(VENV)/.dev
	@echo "hypothesis seed $(HYPOTHESIS_SEED) (rerun with HYPOTHESIS_SEED=$(HYPOTHESIS_SEED))"
	HYPOTHESIS_PROFILE=default $(PYTEST) -m "not slow" $(PYTEST_ARGS)

bench: $(VENV)/.dev
	$(PY) bench/lifecycle.py --measures 500000
	$(PY) bench/check.py --measures 500000
	$(PY) bench/notices.py
	$(PY) bench/cli.py
	$(PY) bench/casefile.py
	$(PY) bench/growth.py
	$(PY) bench/store.py --cases 200

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache .hypothesis dist
