# qn_landconsol_plugin — every target sets up what it needs, idempotently, on a bare
# Debian 12 (QGIS 3.22) or Debian 13 (QGIS 3.40, or 3.44 from trixie-backports) machine as
# root: apt packages when missing, a venv from /usr/bin/python3 (with system site-packages,
# for QGIS), compiled translations.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
PY := $(VENV)/bin/python
STAMPS := .make
PLUGIN := qn_landconsol_plugin
APT_PACKAGES := python3-qgis qgis qgis-providers python3-venv python3-scipy python3-matplotlib \
	xvfb qttools5-dev-tools fonts-noto-cjk poppler-utils zip
TS := $(wildcard $(PLUGIN)/i18n/*.ts)
QM := $(TS:.ts=.qm)
export QT_QPA_PLATFORM := offscreen
export XDG_RUNTIME_DIR := /tmp/runtime-$(shell id -u)
export QGIS_PLUGINPATH := $(CURDIR)

.PHONY: help setup demo test test-core test-qgis test-matrix bench package deploy clean

help:
	@echo "make demo    generate the sample township and run every algorithm into demo-output/"
	@echo "make test    run all tests (core without QGIS, then with real QGIS, headless)"
	@echo "make test-matrix  make test and make demo on QGIS 3.40 and 3.44 (Debian 13 chroots) too"
	@echo "make bench   speed against the QGIS native way on county-scale data"
	@echo "make package plugin zip for QGIS 'Install from ZIP' (dist/)"
	@echo "make deploy  link the plugin into the default QGIS profile"

# Debian 13 on (Python >= 3.12): numpy, pandas and shapely from Debian, built against the numpy,
# GDAL and GEOS that QGIS uses (requirements.txt pins pip wheels for Python 3.11 only).
APT_PACKAGES_PY312 := python3-numpy python3-pandas python3-shapely

# apt-install the packages of $(1) that are not installed; downloads retried, a clear error otherwise
define apt_install
missing=""; for p in $(1); do \
	dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
done; \
if [ -n "$$missing" ]; then \
	echo "apt: installing$$missing"; \
	for try in 1 2 3; do \
		apt-get update -q -o Acquire::Retries=3 \
		&& DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
			-o Acquire::Retries=3 $$missing && break; \
		[ $$try = 3 ] && { echo "apt: could not install$$missing (network or mirror?); see the apt messages above" >&2; exit 1; }; \
		echo "apt: attempt $$try failed, retrying in $$((try * 10)) s" >&2; sleep $$((try * 10)); \
	done; \
fi
endef

$(STAMPS)/apt:
	@mkdir -p $(STAMPS)
	@$(call apt_install,$(APT_PACKAGES))
	@if /usr/bin/python3 -c 'import sys; sys.exit(sys.version_info < (3, 12))'; then \
		$(call apt_install,$(APT_PACKAGES_PY312)); \
	fi
	@touch $@

# Wheels only (--only-binary): nothing is ever compiled here. pytest-qgis fits the QGIS found:
# requirements-qgis3.22.txt below QGIS 3.34, requirements-qgis3.34.txt from 3.34 on.
$(STAMPS)/venv: requirements.txt requirements-qgis3.22.txt requirements-qgis3.34.txt $(STAMPS)/apt
	@test -x $(PY) || /usr/bin/python3 -m venv --system-site-packages $(VENV)
	@qgis=$$(/usr/bin/python3 -c 'from qgis.core import Qgis; print(Qgis.QGIS_VERSION_INT)' 2>/dev/null); \
	req=requirements-qgis3.22.txt; [ "$${qgis:-0}" -ge 33400 ] && req=requirements-qgis3.34.txt; \
	echo "pip: QGIS $${qgis:-not found} -> requirements.txt $$req (wheels only)"; \
	$(PY) -m pip install -q --disable-pip-version-check --only-binary=:all: -r requirements.txt -r $$req
	@touch $@

%.qm: %.ts $(STAMPS)/apt
	lrelease -silent $< -qm $@

setup: $(STAMPS)/venv $(QM)
	@mkdir -p $(XDG_RUNTIME_DIR) && chmod 700 $(XDG_RUNTIME_DIR)

test: setup
	$(PY) -m pytest -p no:pytest_qgis -q tests/core
	$(PY) -m pytest -q tests/qgis

test-core: setup
	$(PY) -m pytest -p no:pytest_qgis -q tests/core

test-qgis: setup
	$(PY) -m pytest -q tests/qgis

demo: setup
	bash tools/demo.sh demo-output

# The suite and the demo on this machine's QGIS and in Debian 13 chroots with QGIS 3.40 and 3.44
# (built once with debootstrap, cached in /var/cache/qn_landconsol/matrix); tools/matrix/README.md
test-matrix: setup
	bash tools/matrix/matrix.sh

bench: setup
	bash tools/bench.sh bench-output

package: setup
	$(PY) tools/package.py dist

deploy: setup
	$(PY) tools/deploy.py

clean:
	rm -rf $(STAMPS) $(QM) dist demo-output bench-output matrix-output
