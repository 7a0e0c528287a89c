#!/bin/sh
# SPDX-License-Identifier: MIT
# A scratch cgroup v2 group with the memory controller, for memcg workloads (OOM kills, reclaim).
#   cgroup.sh create <name>   prints its directory
#   cgroup.sh remove <name>   moves nothing, just removes it (its processes must have exited)
set -eu
root=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/mounts)
if [ -z "$root" ]; then
  echo "cgroup.sh: no cgroup2 mount in /proc/mounts" >&2
  exit 1
fi
dir="$root/${2:?usage: cgroup.sh create|remove <name>}"

case "$1" in
create)
  # Child groups only get memory.* files when the parent delegates the controller.
  echo +memory >"$root/cgroup.subtree_control" 2>/dev/null || true
  mkdir -p "$dir"
  echo "$dir"
  ;;
remove)
  if [ -d "$dir" ]; then rmdir "$dir"; fi
  ;;
*)
  echo "usage: cgroup.sh create|remove <name>" >&2
  exit 2
  ;;
esac
