#!/bin/sh
# SPDX-License-Identifier: MIT
# Regenerates include/<arch>/vmlinux.h from the running kernel's BTF. The header is committed so that
# examples build on machines without BTF; CO-RE relocations make one dump work on other kernels too.
set -eu

btf="${BTF:-/sys/kernel/btf/vmlinux}"
case "$(uname -m)" in
x86_64) arch=x86 ;;
aarch64) arch=arm64 ;;
*) echo "generate-vmlinux: unsupported architecture $(uname -m)" >&2 && exit 1 ;;
esac

if [ ! -r "$btf" ]; then
  echo "generate-vmlinux: $btf not readable: the kernel needs CONFIG_DEBUG_INFO_BTF=y (or set BTF=<file>)" >&2
  exit 1
fi

out="$(dirname "$0")/$arch/vmlinux.h"
mkdir -p "$(dirname "$out")"
bpftool btf dump file "$btf" format c >"$out.tmp"
mv "$out.tmp" "$out"
echo "wrote $out ($(wc -l <"$out") lines) from $btf, kernel $(uname -r)"
