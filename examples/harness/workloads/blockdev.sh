#!/bin/sh
# SPDX-License-Identifier: MIT
# A throwaway loop block device backed by a file in $WORKDIR, for block and filesystem workloads that
# must not touch real disks (and work in a VM whose root is a read-only 9p share).
#   blockdev.sh attach [size]  creates it, records it in $WORKDIR/loopdev, prints /dev/loopN
#   blockdev.sh detach         unmounts $WORKDIR/mnt if mounted, detaches, removes the file
set -eu
: "${WORKDIR:?WORKDIR must point to a scratch directory}"

case "${1:-}" in
attach)
  modprobe -q loop 2>/dev/null || true
  truncate -s "${2:-32M}" "$WORKDIR/disk.img"
  dev=$(losetup --find --show "$WORKDIR/disk.img")
  echo "$dev" >"$WORKDIR/loopdev"
  echo "$dev"
  ;;
detach)
  if mountpoint -q "$WORKDIR/mnt" 2>/dev/null; then umount "$WORKDIR/mnt"; fi
  if [ -f "$WORKDIR/loopdev" ]; then losetup -d "$(cat "$WORKDIR/loopdev")"; fi
  rm -f "$WORKDIR/disk.img" "$WORKDIR/loopdev"
  ;;
*)
  echo "usage: blockdev.sh attach [size] | detach" >&2
  exit 2
  ;;
esac
