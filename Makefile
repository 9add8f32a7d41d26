# qn_landconsol_plugin — every target sets up what it needs, idempotently, on a bare
# Debian 12 machine as root: apt packages when missing, a venv from /usr/bin/python3
# (with system site-packages, for QGIS), compiled resources and translations.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
PY := $(VENV)/bin/python
STAMPS := .make
PLUGIN := qn_landconsol_plugin
APT_PACKAGES := python3-qgis qgis qgis-providers python3-venv python3-scipy python3-matplotlib \
	xvfb pyqt5-dev-tools qttools5-dev-tools fonts-noto-cjk poppler-utils zip
TS := $(wildcard $(PLUGIN)/i18n/*.ts)
QM := $(TS:.ts=.qm)
export QT_QPA_PLATFORM := offscreen
export XDG_RUNTIME_DIR := /tmp/runtime-$(shell id -u)
export QGIS_PLUGINPATH := $(CURDIR)

.PHONY: help setup demo test test-core test-qgis bench package deploy clean

help:
	@echo "make demo    generate the sample township and run every algorithm into demo-output/"
	@echo "make test    run all tests (core without QGIS, then with real QGIS, headless)"
	@echo "make bench   speed against the QGIS native way on county-scale data"
	@echo "make package plugin zip for QGIS 'Install from ZIP' (dist/)"
	@echo "make deploy  link the plugin into the default QGIS profile"

$(STAMPS)/apt:
	@mkdir -p $(STAMPS)
	@missing=""; for p in $(APT_PACKAGES); do \
		dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
		echo "apt: installing$$missing"; \
		apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $$missing; \
	fi
	@touch $@

$(STAMPS)/venv: requirements.txt $(STAMPS)/apt
	@test -x $(PY) || /usr/bin/python3 -m venv --system-site-packages $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -r requirements.txt
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

bench: setup
	bash tools/bench.sh bench-output

package: setup
	$(PY) tools/package.py dist

deploy: setup
	$(PY) tools/deploy.py

clean:
	rm -rf $(STAMPS) $(QM) dist demo-output bench-output
