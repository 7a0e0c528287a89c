/** Exit statuses of `vm/run` itself; any other status is the guest command's own. */
export const EXIT_USAGE = 2;
export const EXIT_KERNEL_UNAVAILABLE = 3;
/** Like env(1) and chroot(1): the harness, not the command, failed. */
export const EXIT_HARNESS_FAILURE = 125;
