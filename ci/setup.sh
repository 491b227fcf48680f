#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
#
# Installs every Debian package covemon needs. Idempotent: when every package
# is already installed it touches nothing (no apt-get update, no network).
# Runs as root without prompts; as another user it uses sudo when available.
set -euo pipefail

# One list, grouped by what needs it (see ../shared/reference/platform.md).
packages=(
	# host build and tests
	build-essential cmake ninja-build git python3 clang-format clang-tidy cppcheck
	# fuzzing: libFuzzer, sanitizers, coverage, AFL++
	clang llvm lld libclang-rt-14-dev afl++ gnuplot-nox
	# firmware cross toolchain and its C library
	gcc-riscv64-unknown-elf binutils-riscv64-unknown-elf picolibc-riscv64-unknown-elf
	# running and debugging firmware
	qemu-system-misc opensbi u-boot-qemu device-tree-compiler gdb-multiarch
	# differential crypto tests (host only)
	libssl-dev
)

missing=()
for p in "${packages[@]}"; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
		missing+=("$p")
	fi
done

if [ ${#missing[@]} -eq 0 ]; then
	echo "setup: all ${#packages[@]} packages present"
	exit 0
fi

echo "setup: installing ${#missing[@]} missing packages: ${missing[*]}"
sudo=""
if [ "$(id -u)" -ne 0 ]; then
	if command -v sudo >/dev/null 2>&1; then
		sudo="sudo"
	else
		echo "setup: need root (or sudo) to install: ${missing[*]}" >&2
		exit 1
	fi
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
echo "setup: done"
