#!/usr/bin/env bash
# The main job: build the patched kernel, boot it on emulated CXL hardware,
# load the drivers as a system does at boot (no udev), show what attached.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"
S=$TOP/scripts
qemu_check	# before the build, not after it

"$S/tree.sh"
"$S/build-kernel.sh"
"$S/install-modules.sh" series
run=$BUILD/runs/show
"$S/run-guest.sh" hw "$BUILD/modules/series/intree" "$run" show-topology
sed -n 's/^# //p' "$run/results/show-topology.ktap"
verdict=$("$S/judge.sh" "$run/results" show-topology)
echo "show-topology: $verdict (console: $run/console.log)"
[ "$verdict" = pass ]
