#!/bin/sh
# SPDX-License-Identifier: MIT
# Regenerates include/<arch>/vmlinux.h from the running kernel's BTF. The header is committed so that
# examples build on machines without BTF; CO-RE relocations make one dump work on other kernels too.
set -eu

# BTF=<file> dumps another kernel's BTF; ARCH=x86|arm64 says which include/<arch>/ it is for (default: this
# machine's), e.g. the arm64 header from Debian's arm64 kernel image (see include/README.md).
btf="${BTF:-/sys/kernel/btf/vmlinux}"
case "${ARCH:-$(uname -m)}" in
x86_64 | x86) arch=x86 ;;
aarch64 | arm64) arch=arm64 ;;
*) echo "generate-vmlinux: unsupported architecture ${ARCH:-$(uname -m)}" >&2 && exit 1 ;;
esac

if [ ! -r "$btf" ]; then
  echo "generate-vmlinux: $btf not readable: the kernel needs CONFIG_DEBUG_INFO_BTF=y (or set BTF=<file>)" >&2
  exit 1
fi

out="$(dirname "$0")/$arch/vmlinux.h"
mkdir -p "$(dirname "$out")"
bpftool btf dump file "$btf" format c >"$out.tmp"
mv "$out.tmp" "$out"
echo "wrote $out ($(wc -l <"$out") lines) from $btf"
