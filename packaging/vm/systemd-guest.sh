#!/bin/sh
# Runs inside a vm/run guest (a throwaway overlay of this machine's root): installs the .deb, then boots
# systemd as PID 1 of a new PID namespace to start the real ebpf-exporter.service (DynamicUser,
# capabilities, sandboxing, system call filter) and a checker unit that scrapes it, records the service's
# status, journal and process credentials in $2, and powers off.
# Usage: systemd-guest.sh <path of the .deb> <output directory shared with the host>
set -eu
deb=$1
out=$2
dpkg -i --no-triggers "$deb" >"$out/dpkg.txt" 2>&1

mkdir -p /etc/systemd/system/ebpf-exporter.service.d
# Show the exporter's own lines on the console too, and fail once instead of restarting.
printf '[Service]\nStandardOutput=journal+console\nStandardError=journal+console\nRestart=no\n' \
	>/etc/systemd/system/ebpf-exporter.service.d/vm-check.conf

cat >/etc/systemd/system/vm-check.service <<UNIT
[Unit]
Requires=ebpf-exporter.service
After=ebpf-exporter.service
[Service]
Type=oneshot
ExecStart=/bin/sh -c 'for i in \$(seq 40); do curl -sf http://127.0.0.1:9435/metrics >$out/metrics.txt && break; sleep 2; done; \
  pid=\$(systemctl show -p MainPID --value ebpf-exporter); grep -E "^(Uid|Gid|CapEff|CapBnd|CapAmb|NoNewPrivs|Seccomp):" /proc/\$pid/status >$out/credentials.txt; \
  systemctl status --no-pager ebpf-exporter >$out/status.txt 2>&1; journalctl -u ebpf-exporter --no-pager >$out/journal.txt 2>&1; systemctl poweroff'
UNIT

# Boot only what the two units need: tmpfiles and friends walk the 9p root for many minutes under TCG.
for unit in systemd-tmpfiles-setup.service systemd-tmpfiles-setup-dev.service systemd-tmpfiles-clean.timer \
	ldconfig.service man-db.timer apt-daily.timer apt-daily-upgrade.timer e2scrub_all.timer fstrim.timer \
	logrotate.timer systemd-journal-flush.service systemd-update-utmp.service systemd-random-seed.service \
	systemd-remount-fs.service systemd-sysusers.service systemd-hwdb-update.service \
	systemd-journal-catalog-update.service systemd-update-done.service; do
	ln -sf /dev/null "/etc/systemd/system/$unit"
done
exec unshare --pid --fork --mount-proc /lib/systemd/systemd --unit=vm-check.service
