# Two commands do everything on a fresh machine (Python 3.10+ and, for figures, Debian packages):
#   make demo   build the graph of the embedded corpus and show what it holds
#   make test   run the test suite
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
DATA ?= .kg

.PHONY: demo test lint clean bench

$(STAMP): pyproject.toml
	@if [ -f scripts/install_system_deps.sh ]; then bash scripts/install_system_deps.sh; fi
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	@touch $(STAMP)

demo: $(STAMP)
	$(BIN)/kg build --data-dir $(DATA)
	$(BIN)/kg stats --data-dir $(DATA)
	@echo "--- a few facts (kg facts --type institution) ---"
	@$(BIN)/kg facts --data-dir $(DATA) --type institution | head -n 3
	@if $(BIN)/kg --help | grep -q " ask "; then \
	  echo "--- questions (kg ask) ---"; \
	  $(BIN)/kg ask --data-dir $(DATA) "梧州市第三人民医院的功能定位是什么？"; \
	  $(BIN)/kg ask --data-dir $(DATA) "钦州市第二人民医院参加了哪些体系？"; \
	  $(BIN)/kg ask --data-dir $(DATA) "钦州的约束性指标有哪些？"; \
	  $(BIN)/kg ask --data-dir $(DATA) "梧州市工人医院2025年规划编制床位是多少？"; \
	fi
	@if $(BIN)/kg --help | grep -q " viz "; then \
	  mkdir -p out; \
	  $(BIN)/kg viz --data-dir $(DATA) --city 钦州市 --format html -o out/qinzhou-network.html && \
	  $(BIN)/kg viz --data-dir $(DATA) --city 钦州市 --format png -o out/qinzhou-network.png && \
	  echo "network views: out/qinzhou-network.html out/qinzhou-network.png"; \
	  $(BIN)/kg viz --data-dir $(DATA) --measure 每千人口医疗卫生机构床位数 --format png -o out/beds-per-1000.png && \
	  echo "indicator chart: out/beds-per-1000.png"; \
	fi
	@if $(BIN)/kg --help | grep -q " serve "; then \
	  echo "--- the page (kg serve --data-dir $(DATA), then open) ---"; \
	  echo "page:             http://127.0.0.1:8765/"; \
	  $(BIN)/kg facts --data-dir $(DATA) --type institution | $(BIN)/python -c 'import json, sys; \
	    f = json.loads(sys.stdin.readline()); \
	    print("institution page: http://127.0.0.1:8765" + f["iri"].removeprefix("https://w3id.org/healthkg"), \
	          "(" + f["name"] + ")")'; \
	fi

test: $(STAMP)
	$(BIN)/ruff check kg tests $(wildcard bench scripts)
	$(BIN)/python -m kg.ns_gen --check
	# The tests marked slow (the fuzz test's ten thousand questions, a server load test) run in a second
	# process beside the rest, so two cores share the work; the same tests and assertions, and
	# `make test` fails when either run fails. Plain `pytest` still runs everything in one process.
	@slowlog=$$(mktemp); \
	  $(BIN)/pytest -q -p no:cacheprovider -m slow > $$slowlog 2>&1 & slow=$$!; \
	  $(BIN)/pytest -q -m "not slow"; rest=$$?; \
	  wait $$slow; status=$$?; echo "--- tests marked slow:"; cat $$slowlog; rm -f $$slowlog; \
	  test $$rest -eq 0 && test $$status -eq 0
	# the examples in kg's docstrings are tests too (measure resolution, text normalisation…)
	$(BIN)/pytest -q -p no:cacheprovider --doctest-modules kg

# Benchmarks (not part of `make test`): ~45 min on 2 cores; writes bench/results.md. `make bench QUICK=1` is short.
bench: $(STAMP)
	$(BIN)/python bench/run_all.py $(if $(QUICK),--quick,)

clean:
	rm -rf $(VENV) $(DATA) out
