#!/bin/busybox sh
# PID 1 of the QEMU engine's initramfs (static busybox, kernel modules under /modules, this script).
# It turns the read-only 9p share of the host root into a writable-but-throwaway root (tmpfs overlay),
# mounts the kernel filesystems BPF tooling expects, runs /run/command.sh (appended per run, with this
# script, as a second cpio archive) and reports the exit status on its own serial port, because the guest's
# poweroff cannot carry it back to QEMU.
#
# Serial ports: ttyS0 kernel console (kept as a boot log), ttyS1 command stdout, ttyS2 command
# stderr, ttyS3 exit status. ttyS1-3 are switched to raw mode so output stays byte-exact (the
# console's tty layer would turn every LF into CRLF).
/bin/busybox --install -s /bin
export PATH=/bin

fail() {
	echo "vm-init: $*" >/dev/ttyS2
	echo "exit 125" >/dev/ttyS3
	poweroff -f
}

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
for port in /dev/ttyS1 /dev/ttyS2 /dev/ttyS3; do stty -F "$port" raw -echo; done

# Modules are listed in dependency order by the host when it built this initramfs.
while read -r module; do
	insmod "/modules/$module" || fail "insmod $module failed"
done </modules/load-order

# No network device, but loopback must be up: the exporter under test listens on 127.0.0.1.
ip link set lo up || fail "cannot bring up loopback"

mkdir -p /lower /rw /newroot
mount -t 9p -o trans=virtio,version=9p2000.L,ro,cache=loose,msize=512000 hostroot /lower || fail "cannot mount the host root (9p)"
mount -t tmpfs -o mode=0755 tmpfs /rw
mkdir -p /rw/upper /rw/work
mount -t overlay -o lowerdir=/lower,upperdir=/rw/upper,workdir=/rw/work overlay /newroot || fail "cannot mount the overlay root"

mount -t proc proc /newroot/proc
mount -t sysfs sysfs /newroot/sys
mount -t devtmpfs devtmpfs /newroot/dev
mkdir -p /newroot/dev/pts /newroot/dev/shm
mount -t devpts devpts /newroot/dev/pts
mount -t tmpfs tmpfs /newroot/dev/shm
mount -t bpf bpf /newroot/sys/fs/bpf
mount -t tracefs tracefs /newroot/sys/kernel/tracing
mount -t debugfs debugfs /newroot/sys/kernel/debug
mount -t cgroup2 cgroup2 /newroot/sys/fs/cgroup

# The guest kernel's own module tree (cached on the host, with a modules.dep) replaces /lib/modules,
# so modprobe in the command finds loop, ext4 and the rest.
modules_root=$(cat /run/modules-root)
if [ -n "$modules_root" ]; then
	mkdir -p /newroot/lib/modules
	mount -o bind "/newroot$modules_root/lib/modules" /newroot/lib/modules || fail "cannot bind the module tree"
fi

# Writable shares (host folders the command must write to, such as a report directory) sit on top of
# the overlay at their host path; tags are share0, share1, ... in the order of /run/shares.
index=0
while read -r share_path; do
	mkdir -p "/newroot$share_path"
	mount -t 9p -o trans=virtio,version=9p2000.L,msize=512000 "share$index" "/newroot$share_path" || fail "cannot mount share $share_path"
	index=$((index + 1))
done </run/shares

# The host times the boot from this line: guest uptime when the command starts.
echo "boot $(cut -d' ' -f1 /proc/uptime)" >/dev/ttyS3
cp /run/command.sh /newroot/vm-command.sh
chroot /newroot /bin/sh /vm-command.sh </dev/null >/dev/ttyS1 2>/dev/ttyS2
echo "exit $?" >/dev/ttyS3
sync
poweroff -f
