#!/usr/bin/env bash
# Install everything the check loop needs, from Debian packages only.
# bookworm-backports (QEMU 10) is derived from the machine's own apt source,
# so no mirror host is ever written into the repo.
set -euo pipefail

src=/etc/apt/sources.list.d/debian.sources
bpo=/etc/apt/sources.list.d/bookworm-backports.sources
sid_src=/etc/apt/sources.list.d/sid-source.sources
sparse_version=0.6.5~rc1-2	# bookworm's 0.6.4 misparses 6.19's MODULE_*()

if [ "$(id -u)" != 0 ]; then
	command -v sudo >/dev/null || { echo "install-deps: run as root (no sudo here)" >&2; exit 1; }
	exec sudo "$0" "$@"
fi
[ -r "$src" ] || { echo "install-deps: no $src to derive backports from" >&2; exit 1; }

uri=$(awk '/^URIs:/ { print $2; exit }' "$src")
[ -n "$uri" ] || { echo "install-deps: no URIs: line in $src" >&2; exit 1; }
add_source() { # file type suite
	[ -e "$1" ] ||
		printf 'Types: %s\nURIs: %s\nSuites: %s\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
			"$2" "$uri" "$3" >"$1"
}
add_source "$bpo" deb bookworm-backports
add_source "$sid_src" deb-src sid

export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends \
	build-essential flex bison bc cpio kmod libelf-dev libssl-dev \
	xz-utils curl ca-certificates git ccache python3 python3-ply python3-git perl \
	busybox-static ndctl coccinelle ocaml-nox jq \
	libkmod-dev libudev-dev libjson-c-dev libkeyutils-dev libiniparser-dev \
	libtraceevent-dev libtracefs-dev uuid-dev meson ninja-build keyutils \
	uuid-runtime pkg-config python3-sphinx shellcheck >/dev/null
apt-get install -y -qq -t bookworm-backports --no-install-recommends \
	qemu-system-x86 >/dev/null

# sparse: built from Debian's source package, installed to /usr/local
sparse_stamp=/usr/local/share/sparse-debian-version
if [ "$(cat "$sparse_stamp" 2>/dev/null)" != "$sparse_version" ]; then
	tmp=$(mktemp -d)
	(cd "$tmp" && apt-get source -qq "sparse=$sparse_version" >/dev/null 2>&1 &&
		cd sparse-* && make -s -j"$(nproc)" CC=gcc HAVE_LLVM=no HAVE_GTK=no \
			PREFIX=/usr/local install >/dev/null) ||
		{ echo "install-deps: building sparse $sparse_version failed in $tmp" >&2; exit 1; }
	rm -rf "$tmp"
	mkdir -p "${sparse_stamp%/*}" && echo "$sparse_version" >"$sparse_stamp"
fi
qemu-system-x86_64 --version | head -1
echo "sparse $(cat "$sparse_stamp") at /usr/local/bin/sparse"
