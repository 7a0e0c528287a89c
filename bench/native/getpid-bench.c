// SPDX-License-Identifier: MIT
// The kernel side of the exporter's cost: how many nanoseconds a BPF program on sys_enter adds to one
// getpid() call (the cheapest syscall, so the probe's cost dominates). Each round measures every case back
// to back, the no-probe reference included, so a busy neighbour on this shared machine skews all cases of
// a round alike. Prints one JSON object: nanoseconds per call for every case and round, and the size of
// every program as the kernel runs it (verifier-rewritten instructions, JIT-compiled bytes): the
// noise-free half of comparing two ways of writing the same probe.
//
//   getpid-bench <getpid-probes.bpf.o> [calls=1000000] [rounds=5]
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

// Program names in getpid-probes.bpf.c; NULL is the reference without a probe.
static const char *const CASES[] = {NULL, "empty", "simple_plain", "simple_helper", "complex_plain", "complex_helper"};
#define CASE_COUNT (sizeof(CASES) / sizeof(CASES[0]))

static double now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e9 + ts.tv_nsec;
}

// glibc caches nothing for getpid since 2.25, but the raw syscall makes the intent explicit.
static double ns_per_getpid(unsigned long calls)
{
    for (unsigned long i = 0; i < calls / 10; i++)
        syscall(SYS_getpid);
    double started = now_ns();
    for (unsigned long i = 0; i < calls; i++)
        syscall(SYS_getpid);
    return (now_ns() - started) / calls;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s <getpid-probes.bpf.o> [calls] [rounds]\n", argv[0]);
        return 2;
    }
    unsigned long calls = argc > 2 ? strtoul(argv[2], NULL, 0) : 1000000;
    unsigned rounds = argc > 3 ? (unsigned)strtoul(argv[3], NULL, 0) : 5;
    struct bpf_object *object = bpf_object__open_file(argv[1], NULL);
    if (!object || bpf_object__load(object)) {
        fprintf(stderr, "getpid-bench: cannot load %s\n", argv[1]);
        return 1;
    }
    double results[CASE_COUNT][64];
    if (rounds == 0 || rounds > 64 || calls == 0) {
        fprintf(stderr, "getpid-bench: calls must be > 0 and rounds 1..64\n");
        return 2;
    }
    for (unsigned round = 0; round < rounds; round++) {
        for (size_t c = 0; c < CASE_COUNT; c++) {
            struct bpf_link *link = NULL;
            if (CASES[c]) {
                struct bpf_program *program = bpf_object__find_program_by_name(object, CASES[c]);
                link = program ? bpf_program__attach(program) : NULL;
                if (!link) {
                    fprintf(stderr, "getpid-bench: cannot attach %s\n", CASES[c]);
                    return 1;
                }
            }
            results[c][round] = ns_per_getpid(calls);
            bpf_link__destroy(link);
        }
    }
    printf("{\"calls\":%lu,\"nsPerCall\":{", calls);
    for (size_t c = 0; c < CASE_COUNT; c++) {
        printf("%s\"%s\":[", c ? "," : "", CASES[c] ? CASES[c] : "none");
        for (unsigned round = 0; round < rounds; round++)
            printf("%s%.2f", round ? "," : "", results[c][round]);
        printf("]");
    }
    printf("},\"xlatedInsns\":{");
    for (size_t c = 1; c < CASE_COUNT; c++) {
        struct bpf_prog_info info;
        __u32 length = sizeof(info);
        memset(&info, 0, sizeof(info));
        struct bpf_program *program = bpf_object__find_program_by_name(object, CASES[c]);
        if (!program || bpf_obj_get_info_by_fd(bpf_program__fd(program), &info, &length)) {
            fprintf(stderr, "getpid-bench: no program info for %s\n", CASES[c]);
            return 1;
        }
        printf("%s\"%s\":%u", c > 1 ? "," : "", CASES[c], info.xlated_prog_len / 8);
    }
    printf("}}\n");
    bpf_object__close(object);
    return 0;
}
