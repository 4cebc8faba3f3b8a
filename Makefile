# Two commands do all the set-up on a fresh machine with Python 3.11 and make:
#   make lab    JupyterLab on the student notebooks (release/)
#   make test   the whole test suite
# Each creates or updates the virtual environment in .venv first.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export PATH := $(CURDIR)/$(BIN):$(PATH)

.PHONY: venv lab test sandbox browser check release selftest bench clean

$(STAMP): requirements.txt pyproject.toml lib/pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "the course needs Python 3.11 or newer"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps -e lib -e .
	touch $@

venv: $(STAMP)

# The student lab: course/student-lab switches nbgrader's instructor tools off (the instructor keeps
# `nbgrader formgrader` and `course`). JupyterLab refuses to run as root without --allow-root.
# LAB_ROOT: the folder it serves; LAB_ARGS: more JupyterLab options (tests/test_browser.py sets both).
LAB_ROOT ?= release
lab: venv
	JUPYTER_CONFIG_PATH=$(CURDIR)/course/student-lab $(BIN)/jupyter lab --ServerApp.root_dir=$(LAB_ROOT) \
	  $(if $(filter 0,$(shell id -u)),--allow-root) $(LAB_ARGS)

# The grader's sandbox needs bubblewrap (Debian/Ubuntu package); installed here when missing.
sandbox:
	@command -v bwrap >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq bubblewrap; \
	  else sudo apt-get install -y bubblewrap; fi; }

# The browser test (tests/test_browser.py) drives Debian's Chromium through its ChromeDriver.
browser:
	@command -v chromium >/dev/null && command -v chromedriver >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium chromium-driver; \
	  else sudo apt-get install -y chromium chromium-driver; fi; }

# Two test processes, one thread each: two threads per process on two cores slow torch down many times.
test: venv sandbox browser
	OMP_NUM_THREADS=1 $(BIN)/python -m pytest -n 2 --dist loadgroup

check: venv
	$(BIN)/course check

release: venv
	$(BIN)/course release

selftest: venv sandbox browser
	$(BIN)/course selftest

bench: venv
	$(BIN)/python lib/benchmarks/bench_tokenizer.py
	$(BIN)/python lib/benchmarks/bench_generate.py
	$(BIN)/python lib/benchmarks/bench_train.py
	$(BIN)/python lib/benchmarks/bench_lora.py
	$(BIN)/python lib/benchmarks/bench_attention.py
	$(BIN)/python lib/benchmarks/bench_distributed.py
	$(BIN)/python lib/benchmarks/bench_retrieval.py
	$(BIN)/python lib/benchmarks/bench_engine.py

clean:
	rm -rf $(VENV) build .pytest_cache
