# Shared definitions for the scripts; sourced, never run.
# shellcheck shell=bash

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${BUILD:-$TOP/build}

BASE_VERSION=6.19.11
BASE_SHA256=e19d838c34519b050dd48334c673b07f4089d56449b453e6d1d04460e0667fa6

log() { printf '>> %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }
