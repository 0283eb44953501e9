#!/bin/bash
# ndctl 81's test/cxl-topology.sh on cxl_test (see tests/lib/ndctl.sh)
# shellcheck source=tests/lib/ndctl.sh
NDCTL_TEST=cxl-topology . "$(dirname "$0")/lib/ndctl.sh"
