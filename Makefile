# Qualys Lambda Scanner Pipeline
#
#   make local     the whole pipeline, end to end, on an embedded AWS emulator with the stand-in scanner
#   make test      every test: unit, integration (moto), end to end, cfn-lint, asl-validator, event-ruler
#
# Both set up what they need when it is missing: JDK 25 (found, not installed), a Python virtualenv with
# moto[server] and cfn-lint, and asl-validator from npm.

SHELL := /bin/bash
.DEFAULT_GOAL := help

ROOT := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))

# JDK 25: JAVA_HOME when it is one, else the usual install locations.
JAVA_HOME := $(shell \
  for d in "$$JAVA_HOME" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-25-jdk-arm64 /usr/lib/jvm/java-25-openjdk-amd64 /usr/lib/jvm/java-25-openjdk-arm64 /usr/lib/jvm/java-25; do \
    [ -n "$$d" ] && [ -x "$$d/bin/javac" ] && "$$d/bin/java" -version 2>&1 | grep -q 'version "25' && { echo "$$d"; break; }; \
  done)
export JAVA_HOME
MVNW := $(ROOT)/mvnw -B -ntp

# Python tools: the ones on PATH when they are the versions we test with, else a virtualenv under .local/.
MOTO_VERSION := 5.2.1
CFN_LINT_VERSION := 1.51.0
VENV := $(ROOT)/.local/venv
PY_TOOLS_OK := $(shell python3 -c "import sys, moto, cfnlint; sys.exit(0 if moto.__version__ == '$(MOTO_VERSION)' else 1)" 2>/dev/null \
  && command -v moto_server >/dev/null && command -v cfn-lint >/dev/null && echo yes)
ifeq ($(PY_TOOLS_OK),yes)
  MOTO_SERVER := $(shell command -v moto_server)
  CFN_LINT := $(shell command -v cfn-lint)
  # The Python with cfn-lint's SAM translator (the tests render template.yaml with it: RenderedStack).
  PYTHON := $(shell command -v python3)
else
  MOTO_SERVER := $(VENV)/bin/moto_server
  CFN_LINT := $(VENV)/bin/cfn-lint
  PYTHON := $(VENV)/bin/python3
endif
ASL_VALIDATOR := $(ROOT)/node_modules/.bin/asl-validator
TOOL_PROPS := -Dmoto.server=$(MOTO_SERVER) -Dcfn.lint=$(CFN_LINT) -Dasl.validator=$(ASL_VALIDATOR) -Dpython=$(PYTHON)

# Every AWS request of a local run or test is checked against the stack's own IAM policies (docs/local.md,
# "Authorization"). AUTHZ=off turns that off, for debugging only: never in CI.
AUTHZ ?= on
export AUTHZ

# make local
EVENT ?= events/eventbridge/update-function-code.json
SCENARIO ?= findings
FORMAT ?= text
MODE ?= single
# MODE=fleet: the fleet file to seed (docs/local.md)
FLEET ?= events/fleet/fleet.json
RESCAN ?=
# zip (the layer) or image: run-qscanner as its container image, built here without a daemon (docs/local.md)
SCANNER_PACKAGING ?= zip

# The QScanner layer: the user's binary (plain or .gz) and its published SHA-256.
QSCANNER_BINARY ?=
QSCANNER_SHA256 ?=

FUNCTIONS := resolve-target fetch-credentials run-qscanner store-results notify fleet-enumerate fleet-coverage

.PHONY: help build sizes test local iam-report authz-overhead tools java python-tools node-tools image-tools layer deploy deploy-multi-region delete package publish clean bench bench-cold-start bench-burst \
  bench-pipeline bench-fleet bench-scanner check-scanner \
  build-ResolveTargetFunction build-FetchCredentialsFunction build-RunQScannerFunction build-StoreResultsFunction \
  build-NotifyFunction build-FleetEnumerateFunction build-FleetCoverageFunction build-QScannerLayer

help:
	@echo "make local      run the pipeline end to end on the embedded emulator (EVENT=..., SCENARIO=..., FORMAT=json, MODE=hub, MODE=fleet FLEET=...; AUTHZ=off: no IAM checks, debugging only)"
	@echo "make test       all tests (unit, integration, end to end, cfn-lint, asl-validator, event-ruler)"
	@echo "make iam-report every IAM statement of the stack with the tests that used it (after make test)"
	@echo "make authz-overhead  checks evaluated and seconds in IAM authorization over the last tests (after make test)"
	@echo "make build      build the five function packages and print their sizes"
	@echo "make layer      build the QScanner layer from QSCANNER_BINARY (checked against QSCANNER_SHA256)"
	@echo "make deploy     sam build + sam deploy (SAM_CONFIG_ENV=default, or another samconfig.toml environment; CI=true: no prompt)"
	@echo "make deploy-multi-region REGIONS=\"us-east-1 eu-west-1\"  one stack per region, each with its samconfig.toml environment"
	@echo "make delete     sam delete"
	@echo "make package PACKAGE_BUCKET=...  sam build + sam package to your bucket; prints the template_url for Terraform"
	@echo "make publish PACKAGE_BUCKET=...  make package, then sam publish to the Serverless Application Repository"
	@echo "make check-scanner QSCANNER_BINARY=/path  does your qscanner work with this pipeline? (no AWS account, no Qualys call)"
	@echo "make bench      report-parsing benchmark: parse, masking copy, and both end to end as the function does (MB/s, peak heap)"
	@echo "make bench-scanner  java-db downloads and seconds per scan over 10 warm scans, cache per scan vs per container"
	@echo "make bench-cold-start  init, first and warm invocation of each function on the local emulator, run-qscanner also as image without/with AOT cache (BASELINE=<ref>)"
	@echo "make bench-burst  how long a burst of BENCH_BURST_N scans takes to drain over BENCH_BURST_CONCURRENCY slots"
	@echo "make bench-pipeline    the pipeline's overhead per scan, cold and warm, and its state transitions"
	@echo "make bench-fleet       fleet workflow on the local emulator: functions per minute, state transitions per function"
	@echo "make clean      remove build output"

java:
	@[ -n "$(JAVA_HOME)" ] || { echo "JDK 25 not found: install one (e.g. Temurin 25) and set JAVA_HOME" >&2; exit 1; }

python-tools:
ifneq ($(PY_TOOLS_OK),yes)
	@[ -x "$(MOTO_SERVER)" ] && [ -x "$(CFN_LINT)" ] || { \
	  echo "Setting up moto $(MOTO_VERSION) and cfn-lint $(CFN_LINT_VERSION) in $(VENV)"; \
	  python3 -m venv "$(VENV)" && "$(VENV)/bin/pip" install -q "moto[server]==$(MOTO_VERSION)" "cfn-lint==$(CFN_LINT_VERSION)"; }
endif

node-tools: $(ASL_VALIDATOR)

$(ASL_VALIDATOR): package.json package-lock.json
	@command -v npm >/dev/null || { echo "npm not found: install Node.js 20 or later" >&2; exit 1; }
	npm ci --silent
	@touch $@

tools: java python-tools node-tools image-tools

# The scanner image's base (local/image/build-image.py, make local SCANNER_PACKAGING=image and its test): Debian's
# mmdebstrap, from apt when missing (as root; the image's runtime needs root too: unshare and chroot).
image-tools:
	@command -v mmdebstrap >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq mmdebstrap; } || { \
	  echo "mmdebstrap is missing: apt-get install mmdebstrap (as root)" >&2; exit 1; }

build: java
	$(MVNW) -q install -DskipTests
	@$(MAKE) --no-print-directory sizes

sizes:
	@echo "Deployment packages:"
	@for f in $(FUNCTIONS); do \
	  z=functions/$$f/target/function.zip; \
	  [ -f $$z ] && printf '  %-18s %6s KiB  %3s jars\n' $$f $$(( $$(stat -c %s $$z) / 1024 )) $$(unzip -l $$z | grep -c 'lib/.*\.jar'); \
	done

test: tools
	$(MVNW) verify $(TOOL_PROPS)
	@$(MAKE) --no-print-directory sizes

# Every statement of every role and resource policy, with the tested paths (test names) whose requests it allowed
# under enforcement (local/pipeline/target/authz-usage.tsv, written by the integration tests), and those none used.
iam-report: python-tools
	@$(PYTHON) $(ROOT)/local/pipeline/iam-report.py

# What enforcement cost the tests just run (after make test): checks evaluated, seconds in authorization, and that as
# a share of the tests' time (every module's target/authz-overhead.tsv; docs/local.md "Authorization").
authz-overhead:
	@python3 $(ROOT)/local/pipeline/authz-overhead.py

local: tools
	@$(MVNW) -q install -DskipTests
	@MODE="$(MODE)" FLEET="$(FLEET)" RESCAN="$(RESCAN)" SCANNER_PACKAGING="$(SCANNER_PACKAGING)" $(ROOT)/local/pipeline/run-local "$(EVENT)" "$(SCENARIO)" "$(FORMAT)" "$(MOTO_SERVER)"

# Report parsing: throughput and peak heap for a generated report (BENCH_REPORT_MB, heap capped at 256 MB as in
# the memory test). Benchmarks measure; no test asserts a time.
BENCH_REPORT_MB ?= 100
bench: java
	$(MVNW) -q -pl functions/run-qscanner -am install -DskipTests
	$(MVNW) -q -pl functions/run-qscanner test-compile exec:exec -Dexec.executable="$(JAVA_HOME)/bin/java" \
	  -Dexec.classpathScope=test \
	  "-Dexec.args=-Xmx256m -cp %classpath com.qualys.lambdascanner.scan.ReportParsingBenchmark $(BENCH_REPORT_MB) 3"

# java-db once per container vs once per scan (as before): downloads and seconds per scan over BENCH_SCANNER_SCANS
# warm scans of the stand-in, whose download is modelled as BENCH_SCANNER_DOWNLOAD_S seconds (local/qscanner).
BENCH_SCANNER_SCANS ?= 10
BENCH_SCANNER_DOWNLOAD_S ?= 3
bench-scanner: java
	$(MVNW) -q -pl functions/run-qscanner -am install -DskipTests
	$(MVNW) -q -pl functions/run-qscanner test-compile exec:exec -Dexec.executable="$(JAVA_HOME)/bin/java" \
	  -Dexec.classpathScope=test \
	  "-Dexec.args=-Dproject.root=$(ROOT) -cp %classpath com.qualys.lambdascanner.scan.ScannerBenchmark $(BENCH_SCANNER_SCANS) $(BENCH_SCANNER_DOWNLOAD_S)"

# Does a qscanner binary work with this pipeline? Its --version, then Run QScanner's own command line in
# inventory-only mode, offline, against a function in the local emulator; a pass/fail table, non-zero on a failure.
check-scanner: java python-tools
	@[ -n "$(QSCANNER_BINARY)" ] || { echo "QSCANNER_BINARY is not set: the path of your qscanner binary" >&2; exit 1; }
	$(MVNW) -q -pl functions/run-qscanner -am install -DskipTests
	$(MVNW) -q -pl functions/run-qscanner test-compile exec:exec -Dexec.executable="$(JAVA_HOME)/bin/java" \
	  -Dexec.classpathScope=test \
	  "-Dexec.args=-Dmoto.server=$(MOTO_SERVER) -cp %classpath com.qualys.lambdascanner.scan.ScannerCheck $(abspath $(QSCANNER_BINARY))"

# Cold start per function: init (JVM start to the first /next), first and warm invocation, under the real Runtime
# Interface Client on the local emulator (local/pipeline ColdStartBenchmark), run-qscanner also as its container image
# without and with the Java 25 AOT cache (built here, as root: image-tools). COLD_START_ROUNDS rounds, medians.
# BASELINE=<git ref> adds the init of that commit's packages, built from a clean export under target/, in the same run
# (only the functions that commit has).
COLD_START_ROUNDS ?= 5
BASELINE ?=
BASELINE_ROOT := $(ROOT)/target/baseline
bench-cold-start: tools
	$(MVNW) -q install -DskipTests
	@if [ -n "$(BASELINE)" ]; then \
	  echo "Building the baseline packages of $(BASELINE) in $(BASELINE_ROOT)"; \
	  rm -rf "$(BASELINE_ROOT)" && mkdir -p "$(BASELINE_ROOT)" && \
	  git -C "$(ROOT)" archive "$(BASELINE)" | tar -x -C "$(BASELINE_ROOT)" && \
	  (cd "$(BASELINE_ROOT)" && ./mvnw -B -ntp -q -am package -DskipTests \
	    -pl $$(for f in $(FUNCTIONS); do [ -d functions/$$f ] && printf 'functions/%s,' $$f; done)) || exit 1; \
	fi
	$(MVNW) -q -pl local/pipeline test-compile exec:exec -Dexec.executable="$(JAVA_HOME)/bin/java" \
	  -Dexec.classpathScope=test \
	  "-Dexec.args=-Dmoto.server=$(MOTO_SERVER) -Dproject.root=$(ROOT) $(if $(BASELINE),-Dbaseline.root=$(BASELINE_ROOT)) -cp %classpath com.qualys.lambdascanner.local.ColdStartBenchmark $(COLD_START_ROUNDS)"

# A burst: BENCH_BURST_N functions changed at once, Run QScanner capped at BENCH_BURST_CONCURRENCY (its reserved
# concurrency, answered with 429 over the cap as Lambda does): how long the state machine's throttle retries take
# to drain it locally, and how many invocations were throttled (local/pipeline BurstBenchmark).
BENCH_BURST_N ?= 20
BENCH_BURST_CONCURRENCY ?= 2
bench-burst: tools
	$(MVNW) -q install -DskipTests
	$(MVNW) -q -pl local/pipeline test-compile exec:exec -Dexec.executable="$(JAVA_HOME)/bin/java" \
	  -Dexec.classpathScope=test \
	  "-Dexec.args=-Dmoto.server=$(MOTO_SERVER) -Dproject.root=$(ROOT) -cp %classpath com.qualys.lambdascanner.local.BurstBenchmark $(BENCH_BURST_N) $(BENCH_BURST_CONCURRENCY)"

# The pipeline's overhead: BENCH_PIPELINE_RUNS executions cold (every runtime stopped first) and as many warm, with the
# stand-in scanner; median time from the execution's start to the stored record minus the scanner's own time, and
# the state transitions per scan (local/pipeline PipelineBenchmark).
BENCH_PIPELINE_RUNS ?= 5
bench-pipeline: tools
	$(MVNW) -q install -DskipTests
	$(MVNW) -q -pl local/pipeline test-compile exec:exec -Dexec.executable="$(JAVA_HOME)/bin/java" \
	  -Dexec.classpathScope=test \
	  "-Dexec.args=-Dmoto.server=$(MOTO_SERVER) -Dproject.root=$(ROOT) -cp %classpath com.qualys.lambdascanner.local.PipelineBenchmark $(BENCH_PIPELINE_RUNS)"

# The fleet workflow on the local emulator: functions per minute and state transitions per function for a generated
# fleet (BENCH_FLEET_FUNCTIONS, BENCH_FLEET_CONCURRENCY). Benchmarks measure; no test asserts a time.
BENCH_FLEET_FUNCTIONS ?= 300
BENCH_FLEET_CONCURRENCY ?= 8
bench-fleet: tools
	$(MVNW) -q install -DskipTests
	$(MVNW) -q -pl local/pipeline test-compile exec:exec -Dexec.executable="$(JAVA_HOME)/bin/java" \
	  -Dexec.classpathScope=test \
	  "-Dexec.args=-Dmoto.server=$(MOTO_SERVER) -Dproject.root=$(ROOT) -cp %classpath com.qualys.lambdascanner.local.FleetBenchmark $(BENCH_FLEET_FUNCTIONS) $(BENCH_FLEET_CONCURRENCY)"

# --- SAM: `sam build` runs these targets (Metadata: BuildMethod: makefile) ---------------------------------

define function_build
	$(MVNW) -q -f "$(ROOT)/pom.xml" -pl functions/$(1) -am package -DskipTests
	unzip -q -o "$(ROOT)/functions/$(1)/target/function.zip" -d "$(ARTIFACTS_DIR)"
endef

build-FleetEnumerateFunction: java
	$(call function_build,fleet-enumerate)
build-FleetCoverageFunction: java
	$(call function_build,fleet-coverage)

build-ResolveTargetFunction: java
	$(call function_build,resolve-target)
build-FetchCredentialsFunction: java
	$(call function_build,fetch-credentials)
build-RunQScannerFunction: java
	$(call function_build,run-qscanner)
build-StoreResultsFunction: java
	$(call function_build,store-results)
build-NotifyFunction: java
	$(call function_build,notify)

# The layer holds bin/qscanner, found at /opt/bin/qscanner at run time. Nothing is downloaded: the binary is
# the user's to bring, and it must match the SHA-256 Qualys publishes for it.
build-QScannerLayer:
	@[ -n "$(QSCANNER_BINARY)" ] || { echo "QSCANNER_BINARY is not set: the path of your qscanner (or qscanner.gz)" >&2; exit 1; }
	@[ -f "$(QSCANNER_BINARY)" ] || { echo "QSCANNER_BINARY=$(QSCANNER_BINARY): no such file" >&2; exit 1; }
	@[ -n "$(QSCANNER_SHA256)" ] || { echo "QSCANNER_SHA256 is not set: the binary's published SHA-256" >&2; exit 1; }
	@echo "$(QSCANNER_SHA256)  $(QSCANNER_BINARY)" | sha256sum --check --status || { \
	  echo "SHA-256 of $(QSCANNER_BINARY) is $$(sha256sum "$(QSCANNER_BINARY)" | cut -d' ' -f1), not $(QSCANNER_SHA256)" >&2; exit 1; }
	mkdir -p "$(ARTIFACTS_DIR)/bin"
	@case "$(QSCANNER_BINARY)" in \
	  *.gz) gunzip -c "$(QSCANNER_BINARY)" > "$(ARTIFACTS_DIR)/bin/qscanner" ;; \
	  *) cp "$(QSCANNER_BINARY)" "$(ARTIFACTS_DIR)/bin/qscanner" ;; \
	esac
	chmod 0755 "$(ARTIFACTS_DIR)/bin/qscanner"

layer:
	rm -rf "$(ROOT)/target/qscanner-layer" && mkdir -p "$(ROOT)/target/qscanner-layer"
	@$(MAKE) --no-print-directory build-QScannerLayer ARTIFACTS_DIR="$(ROOT)/target/qscanner-layer"
	cd "$(ROOT)/target/qscanner-layer" && rm -f ../qscanner-layer.zip && zip -q -r ../qscanner-layer.zip bin
	@echo "Layer: target/qscanner-layer.zip ($$(du -h "$(ROOT)/target/qscanner-layer.zip" | cut -f1))"

# --- Deployment ----------------------------------------------------------------------------------------------

SAM_CONFIG_ENV ?= default
REGIONS ?=
# From a pipeline (CI=true, as most CI services set it, or NO_PROMPT=1): no changeset prompt, and a deploy that
# changes nothing is not an error.
NO_PROMPT ?=
SAM_PROMPT_ARGS := $(if $(filter-out false 0,$(NO_PROMPT) $(CI)),--no-confirm-changeset --no-fail-on-empty-changeset)
# A region's settings (its Qualys pod among them) are the samconfig.toml environment named after it; a region
# without one deploys with SAM_CONFIG_ENV's settings.
region_env = $(if $(shell grep -qs '^\[$(1)\.deploy\.parameters\]' "$(ROOT)/samconfig.toml" && echo yes),$(1),$(SAM_CONFIG_ENV))

deploy: java
	sam build --config-env $(SAM_CONFIG_ENV)
	sam deploy --config-env $(SAM_CONFIG_ENV) $(SAM_PROMPT_ARGS) $(SAM_DEPLOY_ARGS)

define deploy_region
	@echo "== $(1): samconfig.toml environment $(call region_env,$(1))"
	sam deploy --config-env $(call region_env,$(1)) --region $(1) $(SAM_PROMPT_ARGS) $(SAM_DEPLOY_ARGS)

endef

deploy-multi-region: java
	@[ -n "$(REGIONS)" ] || { echo 'REGIONS is not set, e.g. REGIONS="us-east-1 eu-west-1"' >&2; exit 1; }
	sam build --config-env $(SAM_CONFIG_ENV)
	$(foreach r,$(REGIONS),$(call deploy_region,$(r)))

delete:
	sam delete --config-env $(SAM_CONFIG_ENV)

# make package PACKAGE_BUCKET=<bucket>: what Terraform (terraform/, docs/terraform.md) and the Serverless Application
# Repository deploy. sam build, then sam package uploads the function packages, the layer, README.md and LICENSE to
# the bucket (which must be in the region the stack goes to: Lambda reads code from its own region), writes the
# packaged template with their S3 locations, and that template goes to the bucket too (a stack this size needs a
# template_url: template_body stops at 51,200 bytes).
PACKAGE_BUCKET ?=
# One prefix per commit: a new package is a new template_url, which is what tells Terraform the stack changed.
PACKAGE_PREFIX ?= qualys-lambda-scanner-pipeline/$(shell git -C "$(ROOT)" rev-parse --short=12 HEAD 2>/dev/null || echo unversioned)
PACKAGE_REGION ?= $(or $(AWS_REGION),$(AWS_DEFAULT_REGION),$(shell aws configure get region 2>/dev/null))
PACKAGED_TEMPLATE := $(ROOT)/.aws-sam/packaged.yaml
package: java
	@[ -n "$(PACKAGE_BUCKET)" ] || { echo "PACKAGE_BUCKET is not set: an S3 bucket of yours in the region to deploy to" >&2; exit 1; }
	@[ -n "$(PACKAGE_REGION)" ] || { echo "No region: set AWS_REGION (or PACKAGE_REGION)" >&2; exit 1; }
	sam build --config-env $(SAM_CONFIG_ENV)
	sam package --region $(PACKAGE_REGION) --s3-bucket $(PACKAGE_BUCKET) --s3-prefix $(PACKAGE_PREFIX) \
	  --output-template-file $(PACKAGED_TEMPLATE)
	aws s3 cp --region $(PACKAGE_REGION) $(PACKAGED_TEMPLATE) s3://$(PACKAGE_BUCKET)/$(PACKAGE_PREFIX)/template.yaml
	@echo "Packaged: $(PACKAGED_TEMPLATE)"
	@echo "Terraform (modules/pipeline):  template_url = \"https://$(PACKAGE_BUCKET).s3.$(PACKAGE_REGION).amazonaws.com/$(PACKAGE_PREFIX)/template.yaml\""
	@echo "CloudFormation:                aws cloudformation deploy --region $(PACKAGE_REGION) --template-file $(PACKAGED_TEMPLATE) --s3-bucket $(PACKAGE_BUCKET) --s3-prefix $(PACKAGE_PREFIX) --capabilities CAPABILITY_IAM CAPABILITY_AUTO_EXPAND --stack-name qualys-lambda-scanner"

# make publish PACKAGE_BUCKET=<bucket>: the packaged template to the Serverless Application Repository (template.yaml's
# AWS::ServerlessRepo::Application metadata), private to the account until shared (docs/deployment.md). SAR reads
# the package's objects: the bucket policy must allow serverlessrepo.amazonaws.com s3:GetObject.
publish: package
	sam publish --region $(PACKAGE_REGION) --template $(PACKAGED_TEMPLATE)

clean:
	-$(MVNW) -q clean
	rm -rf .aws-sam target
