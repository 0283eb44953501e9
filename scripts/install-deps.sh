#!/usr/bin/env bash
# Install everything the check loop needs, from Debian packages only.
# bookworm-backports (QEMU 10) is derived from the machine's own apt source,
# so no mirror host is ever written into the repo.
set -euo pipefail

src=/etc/apt/sources.list.d/debian.sources
bpo=/etc/apt/sources.list.d/bookworm-backports.sources

[ "$(id -u)" = 0 ] || { echo "install-deps: must run as root" >&2; exit 1; }
[ -r "$src" ] || { echo "install-deps: no $src to derive backports from" >&2; exit 1; }

if [ ! -e "$bpo" ]; then
	uri=$(awk '/^URIs:/ { print $2; exit }' "$src")
	[ -n "$uri" ] || { echo "install-deps: no URIs: line in $src" >&2; exit 1; }
	printf 'Types: deb\nURIs: %s\nSuites: bookworm-backports\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
		"$uri" >"$bpo"
fi

export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends \
	build-essential flex bison bc cpio kmod libelf-dev libssl-dev \
	xz-utils curl ca-certificates git ccache python3 perl \
	busybox-static ndctl coccinelle jq \
	libkmod-dev libudev-dev libjson-c-dev libkeyutils-dev libiniparser-dev \
	libtraceevent-dev libtracefs-dev uuid-dev meson ninja-build keyutils \
	uuid-runtime pkg-config >/dev/null
apt-get install -y -qq -t bookworm-backports --no-install-recommends \
	qemu-system-x86 >/dev/null
qemu-system-x86_64 --version | head -1
