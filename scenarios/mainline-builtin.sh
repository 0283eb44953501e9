# shellcheck shell=bash disable=SC2034 # variables read by run-guest.sh
# Linux 7.2.8 with every CXL driver built in (config/builtin.config, module
# sets base-builtin and series-builtin of scripts/build-builtin.sh: a kernel
# each, about 6 minutes with ccache warm from 7.2.8's own build) on the
# emulated hardware of scenarios/hw.sh: the CXL root and every memdev come
# up at boot, on 7.2.8 and with patches/mainline/ (KBASE=mainline: make
# check-mainline SCENARIOS=mainline-builtin). It is why the 6.19.11 queue's
# link-order fix is not in the mainline queue (docs/mainline.md);
# BUILTIN_PATCH=tests/builtin/mainline-acpi-subsys-initcall.patch shows it
# failing.
# shellcheck source=scenarios/hw.sh
. "$(dirname "${BASH_SOURCE[0]}")/hw.sh"
SETS=(series-builtin base-builtin)
TESTS=(builtin-topology)
TIMEOUT=600
TEST_TIMEOUT=300
