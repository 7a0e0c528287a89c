// SPDX-License-Identifier: MIT
// Exits 0 when the running kernel loads every program of a BPF object, 1 (with libbpf's reason on stderr)
// when it refuses: the honest test for features such as fentry trampolines, whose absence no file in
// sysfs or procfs reveals.
//
//   can-load <object.bpf.o>
#include <bpf/libbpf.h>
#include <stdio.h>

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s <object.bpf.o>\n", argv[0]);
        return 2;
    }
    struct bpf_object *object = bpf_object__open_file(argv[1], NULL);
    if (!object) {
        fprintf(stderr, "can-load: cannot open %s\n", argv[1]);
        return 2;
    }
    int err = bpf_object__load(object);
    bpf_object__close(object);
    return err ? 1 : 0;
}
