#!/bin/sh
# Runs inside the guest for `vm/matrix --config.dir`: checks a user's configs with the exporter's own
# `--config.check --config.strict` (load every program, attach it, exit) and leaves, per config,
# <out>/<name>.exit (the exit status) and <out>/<name>.log (its output) for the host to read.
# usage: check-configs.sh EXPORTER CONFIG_DIR OUT_DIR NAME...
exporter=$1 config_dir=$2 out=$3
shift 3
uname -r >"$out/kernel-release"
check() { "$exporter" --config.dir="$config_dir" --config.names="$1" --config.check --config.strict; }
# The exporter takes 15-20 s to start under TCG: all configs in one start first, and one start per
# config only when that fails (it stops at the first config it cannot load, so the rest would be unknown).
names=$(echo "$@" | tr ' ' ',')
if check "$names" >"$out/all.log" 2>&1; then
	for name in "$@"; do
		cp "$out/all.log" "$out/$name.log"
		echo 0 >"$out/$name.exit"
	done
	exit 0
fi
for name in "$@"; do
	check "$name" >"$out/$name.log" 2>&1
	echo $? >"$out/$name.exit"
done
