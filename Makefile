# The CXL attach series on Linux 6.19.11: build, boot, test.
#
#   make             build the patched kernel, boot it on emulated CXL
#                    hardware and show the attached topology
#   make check       static gate on every patch, then the tests of every
#                    scenario in scenarios/ORDER on the series, and on the
#                    base where a scenario's SETS names it or it sets none
#                    (hw), and the mutants of tests/mutants/check, each of
#                    which must be caught; its fail-nth sweeps bisect on
#                    call sites (SWEEP=sites). SERIES=none: no gate, no
#                    mutants, the base alone, in every scenario that has a
#                    base run
#   make check-full  make check with FULL=1: stress loops twice as long,
#                    the base in every scenario that has a base run
#                    (BASE_TOO=1), plus scenarios/ORDER's "full" scenarios
#   make check-fixes the reproducers of patches/fixes/ (scenarios/fixes*.sh)
#                    on the base, where they must fail, and on the base
#                    with the fixes alone, where they must pass
#   make check-mainline
#                    patches/mainline/, fixes for Linux 7.2.8: the static
#                    gate of every patch, built on 7.2.8 (its own tree,
#                    build/mainline/, and config/mainline.config); with
#                    SCENARIOS=mainline-hw, its reproducers on 7.2.8
#                    and on 7.2.8 with the queue too
#   make check-mainline-full
#                    the gate and every mainline reproducer
#   make mutants     deliberately broken drivers: the tests must catch them
#                    (MUTANTS="a b" picks some)
#   make bench       attach latency and determinism, base beside series
#                    (BENCH_* knobs: scripts/bench.sh)
#   make explore     the chaos, slice after slice of every CXL function as
#                    a delay site, with a ledger (scripts/explore.sh)
#   make tree        build/src: a git tree, one commit per patch in patches/
#                    (refuses to rebuild while build/src has unexported
#                    commits or uncommitted changes)
#   make export      write build/src's commits back to patches/: those up to
#                    its branch "fixes" to patches/fixes/, the rest to
#                    patches/attach/ (README.md, "Working on the series")
#   make gate        the static gate alone
#   make run SCENARIO=hw [SET=base] [TESTS="a b"]
#                    one guest run (on the series by default, or on the
#                    set the scenario's SETS names, series-nopci), judged and
#                    tabled like make check's, never cached; fails if a
#                    test failed
#   make kernel, make modules [SET=base], make deps
#                    the steps alone: kernel image, module trees, packages
#   make clean       remove build/obj*, build/gate, build/modules,
#                    build/runs, build/builtin and build/mainline's objdirs
#                    and gate (the trees, the bases and build/cache stay)
#
# Knobs (make or environment variables): SCENARIOS, TESTS, SERIES, GATE,
# GUESTS, FRESH, SOAK, FULL, MUTANTS (scripts/check.sh); QEMU, ACCEL
# (scripts/run-guest.sh).
# Every target fails when its script does: recipes run with pipefail.
# Logs go to build/runs/<date>/ (build/runs/latest points at the last one);
# make run's to build/runs/<scenario>/, make gate's to build/runs/gate/,
# make gate's and make mutants' KTAP to build/runs/gate.ktap and
# build/runs/mutants.ktap, make bench's to build/runs/bench-<date>/.
SHELL := bash
# A recipe "a | tee log" fails when a does.
.SHELLFLAGS := -o pipefail -c
S := scripts
SCENARIO ?= hw
SET ?= series

# Debian packages (QEMU from bookworm-backports, sparse from source), once
# per checkout: scripts/install-deps.sh is idempotent.
DEPS := build/.deps-installed

.PHONY: all show check check-full check-fixes check-mainline check-mainline-full mutants bench explore tree export gate kernel modules run deps clean
all: show

$(DEPS): scripts/install-deps.sh
	$(S)/install-deps.sh
	mkdir -p $(@D) && touch $@

deps: $(DEPS)

show: $(DEPS)
	$(S)/show.sh

check: $(DEPS)
	SWEEP=sites $(S)/check.sh

check-full: $(DEPS)
	FULL=1 $(S)/check.sh

check-fixes: $(DEPS)
	SCENARIOS="fixes fixes-links fixes-autoremove fixes-dport fixes-mem-dport fixes-target fixes-cdat fixes-cascade" GATE=0 MUTANTS=none $(S)/check.sh

# The mainline queue's gate on Linux 7.2.8 (scripts/lib.sh, KBASE=mainline);
# SCENARIOS="mainline-..." adds their reproducers, on 7.2.8 and the queue
check-mainline: $(DEPS)
	KBASE=mainline SCENARIOS="$${SCENARIOS:-none}" MUTANTS=none $(S)/check.sh

# Every mainline reproducer (scenarios/mainline-*.sh), on 7.2.8 and the queue,
# and the mutants of tests/mutants/mainline/check
MAINLINE_SCENARIOS = mainline-hw mainline-fixes-links mainline-fixes-autoremove \
	mainline-fixes-dport mainline-fixes-mem-dport mainline-fixes-target mainline-fixes-cdat mainline-fixes-cascade mainline-fixes \
	mainline-chaos mainline-builtin
check-mainline-full: $(DEPS)
	KBASE=mainline SCENARIOS="$(MAINLINE_SCENARIOS)" $(S)/check.sh

mutants: $(DEPS)
	mkdir -p build/runs && $(S)/mutants.sh | tee build/runs/mutants.ktap

bench: $(DEPS)
	$(S)/bench.sh

# The chaos's exploration of every CXL function as a delay site, slice
# after slice of one seed, with its ledger (scripts/explore.sh)
explore: kernel
	$(S)/explore.sh

tree: $(DEPS)
	$(S)/tree.sh

export:
	$(S)/export.sh

kernel: tree
	$(S)/build-kernel.sh

modules: kernel
	$(S)/install-modules.sh $(SET)

gate: kernel
	mkdir -p build/runs && $(S)/gate.sh build/runs/gate | tee build/runs/gate.ktap

# One guest run, each test judged (scripts/judge.sh) into <dir>.tsv and
# tabled (scripts/report.sh) as make check does; SET=base is judged against
# tests/expected-base.txt.
run: modules
	@sc=scenarios/$(SCENARIO).sh dir=build/runs/$(SCENARIO) col=series err=; \
	[ -r $$sc ] || { echo "error: no scenario $$sc" >&2; exit 1; }; \
	set=$(SET); sets=$$(. $$sc && echo "$${SETS[*]-}"); \
	case " $$sets " in "  " | *" $$set "*) ;; *) set=$${sets%% *}; $(S)/install-modules.sh $$set;; esac; \
	[ "$$set" != base ] || col=base; \
	flavor=$$(. $$sc && echo $$MODULE_FLAVOR); \
	tests="$(TESTS)"; [ -n "$$tests" ] || tests=$$(. $$sc && echo "$${TESTS[*]}"); \
	mkdir -p build/runs; \
	$(S)/run-guest.sh $(SCENARIO) build/modules/$$set/$$flavor $$dir $$tests 2>&1 | tee $$dir.log >&2 || \
		err=$$(tail -n1 $$dir.log | sed 's/^error: //; s/; see [^ ]*$$//'); \
	for t in boot $$tests; do \
		printf '%s/%s\t%s\t%s\n' $(SCENARIO) $$t $$col "$$($(S)/judge.sh -l $$dir/results $$t "$$err")"; \
	done >$$dir.tsv; \
	{ echo "accelerator: $$(cat $$dir/accel 2>/dev/null || echo unknown)"; $(S)/report.sh $$dir.tsv; } | \
		tee $$dir.summary.txt

clean:
	rm -rf build/obj build/obj-ext build/gate build/modules build/runs \
		build/builtin build/mainline/obj build/mainline/gate \
		build/mainline/builtin build/mainline/builtin-base
