#!/bin/bash
# ndctl 81's test/cxl-xor-region.sh on cxl_test (see tests/lib/ndctl.sh)
# shellcheck source=tests/lib/ndctl.sh
NDCTL_TEST=cxl-xor-region . "$(dirname "$0")/lib/ndctl.sh"
