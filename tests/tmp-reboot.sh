#!/bin/bash
busybox reboot -f
