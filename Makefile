# Developer entry points. `make setup` once, then `make test`; see README.md.
SHELL := /bin/bash
VENV := .venv
BIN := $(CURDIR)/$(VENV)/bin
export PATH := $(BIN):$(PATH)
export ANSIBLE_CONFIG := $(CURDIR)/ansible.cfg

.PHONY: setup test test-units test-sanity test-lint test-lab lab-up lab-down lab-status bench bench-parsers bench-lab clean

setup:
	bash tests/utils/setup.sh

# Every tier (make setup first, timed with the rest); with CI=true a tier that cannot run is a failure, never a skip.
test:
	bash tests/utils/run-tests.sh all

test-units: setup
	bash tests/utils/run-tests.sh units

test-sanity: setup
	bash tests/utils/run-tests.sh sanity

test-lint: setup
	bash tests/utils/run-tests.sh lint

test-lab: setup
	bash tests/utils/run-tests.sh lab

# The lab, with the real Alluxio image in every node and the Spark distribution and base images on the build
# engine (built once, cached), ready for ansible-playbook -i inventory/lab playbooks/alluxio.yml and
# playbooks/spark_image.yml
lab-up: setup
	bash tests/lab/lab.sh up
	bash tests/images/alluxio/load-into-lab.sh
	bash tests/images/spark/prepare-lab.sh

lab-down:
	bash tests/lab/lab.sh down

lab-status:
	bash tests/lab/lab.sh status

# Every benchmark: the parsers (no cluster), then the Spark image on the lab (make lab-up first).
bench: bench-parsers bench-lab

bench-parsers: setup
	$(BIN)/python tests/bench/bench_parsers.py

bench-lab: setup
	$(BIN)/python tests/bench/bench_spark_image.py

clean:
	rm -rf tests/output .pytest_cache .ruff_cache .hypothesis .benchmarks
