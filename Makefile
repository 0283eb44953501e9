# The CXL attach series on Linux 6.19.11: build, boot, test.
#
#   make             build the patched kernel, boot it on emulated CXL
#                    hardware and show the attached topology
#   make check       static gate on every patch, then every scenario's
#                    tests on the series and on the base (SERIES=none: base only)
#   make check-full  make check plus the long scenarios (ndctl's whole suite)
#   make mutants     deliberately broken drivers: the tests must catch them
#   make bench       attach latency and determinism, base beside series
#   make tree        build/src: a git tree, one commit per patch in patches/
#   make export      write build/src's commits back to patches/
#   make gate        the static gate alone
#   make run SCENARIO=hw [TESTS="a b"]   one guest run on the series
#
# Logs go to build/runs/<date>/ (build/runs/latest points at the last one).
SHELL := bash
S := scripts
SCENARIO ?= hw
SET ?= series

# Debian packages (QEMU from bookworm-backports, sparse from source), once
# per checkout: scripts/install-deps.sh is idempotent.
DEPS := build/.deps-installed

.PHONY: all show check check-full mutants bench tree export gate kernel modules run deps clean
all: show

$(DEPS): scripts/install-deps.sh
	$(S)/install-deps.sh
	mkdir -p $(@D) && touch $@

deps: $(DEPS)

show: $(DEPS)
	$(S)/show.sh

check: $(DEPS)
	$(S)/check.sh

check-full: $(DEPS)
	FULL=1 $(S)/check.sh

mutants: $(DEPS)
	$(S)/mutants.sh | tee build/runs/mutants.ktap

bench: $(DEPS)
	$(S)/bench.sh

tree: $(DEPS)
	$(S)/tree.sh

export:
	$(S)/export.sh

kernel: tree
	$(S)/build-kernel.sh

modules: kernel
	$(S)/install-modules.sh $(SET)

gate: kernel
	$(S)/gate.sh build/runs/gate | tee build/runs/gate.ktap

run: modules
	$(S)/run-guest.sh $(SCENARIO) build/modules/$(SET)/$$(. scenarios/$(SCENARIO).sh; echo $$MODULE_FLAVOR) \
		build/runs/$(SCENARIO) $(TESTS)

clean:
	rm -rf build/obj build/obj-ext build/gate build/modules build/runs
