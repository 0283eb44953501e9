#!/bin/bash
echo "BUG: fake report written by tmp-fakebug" >/dev/kmsg
echo done
