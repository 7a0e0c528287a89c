// SPDX-License-Identifier: MIT
// The kernel side of the exporter's cost: how many nanoseconds a BPF program on sys_enter adds to one
// getpid() call (the cheapest syscall, so the probe's cost dominates). Prints one JSON object: CPU
// nanoseconds per call for every case and slice, and the size of every program as the kernel runs it
// (verifier-rewritten instructions): the noise-free half of comparing two ways of writing the same probe.
//
// This machine is shared and has few CPUs. Pinned to one CPU (no case pays for a migration to cold
// caches) and timed in the thread's own CPU time (time preempted by a neighbour counts for nothing), two
// runs of the same case still differ by tens of ns. So every round is cut into slices of SLICE_CALLS calls
// and every slice runs all cases, the no-probe reference included, one after the other: the k-th sample
// of every case comes from the same slice, and comparing cases slice by slice (bench/src/kernel-overhead.ts)
// cancels what the neighbours did during it. Each pair of slices starts the order one case further on,
// the second slice of a pair running it backwards, so every case runs equally often in every position
// and as often right before its neighbour in CASES (a helper's plain twin) as right after it.
//
//   getpid-bench <getpid-probes.bpf.o> [calls per case and round=1000000] [rounds=5]
#define _GNU_SOURCE
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

// Program names in getpid-probes.bpf.c; NULL is the reference without a probe.
static const char *const CASES[] = {NULL, "empty", "simple_plain", "simple_helper", "complex_plain", "complex_helper"};
#define CASE_COUNT (sizeof(CASES) / sizeof(CASES[0]))
// A few milliseconds per case: short enough that most slices miss a neighbour's burst, long enough that
// attaching and detaching (about 0.1 ms each) stays outside the timed calls without dominating the run.
#define SLICE_CALLS 20000UL

static double cpu_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return ts.tv_sec * 1e9 + ts.tv_nsec;
}

// glibc caches nothing for getpid since 2.25, but the raw syscall makes the intent explicit. The untimed
// tenth first warms the caches the freshly attached program and its map live in.
static double ns_per_getpid(unsigned long calls)
{
    for (unsigned long i = 0; i < calls / 10; i++)
        syscall(SYS_getpid);
    double started = cpu_ns();
    for (unsigned long i = 0; i < calls; i++)
        syscall(SYS_getpid);
    return (cpu_ns() - started) / calls;
}

// The case at `position` in `slice`: see the order rule at the top.
static size_t case_at(unsigned long slice, size_t position)
{
    size_t start = (slice / 2) % CASE_COUNT;
    return (slice % 2 ? start + CASE_COUNT - 1 - position : start + position) % CASE_COUNT;
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
    if (rounds == 0 || calls == 0) {
        fprintf(stderr, "getpid-bench: calls and rounds must be > 0\n");
        return 2;
    }
    unsigned long slice_calls = calls < SLICE_CALLS ? calls : SLICE_CALLS;
    unsigned long slices = rounds * (calls / slice_calls);
    double *slice_ns = malloc(sizeof(double) * CASE_COUNT * slices);
    cpu_set_t cpu;
    CPU_ZERO(&cpu);
    CPU_SET(sched_getcpu(), &cpu);
    if (!slice_ns || sched_setaffinity(0, sizeof(cpu), &cpu)) {
        fprintf(stderr, "getpid-bench: cannot set up %lu slices on one CPU\n", slices);
        return 1;
    }
    for (unsigned long slice = 0; slice < slices; slice++) {
        for (size_t position = 0; position < CASE_COUNT; position++) {
            size_t c = case_at(slice, position);
            struct bpf_link *link = NULL;
            if (CASES[c]) {
                struct bpf_program *program = bpf_object__find_program_by_name(object, CASES[c]);
                link = program ? bpf_program__attach(program) : NULL;
                if (!link) {
                    fprintf(stderr, "getpid-bench: cannot attach %s\n", CASES[c]);
                    return 1;
                }
            }
            slice_ns[c * slices + slice] = ns_per_getpid(slice_calls);
            bpf_link__destroy(link);
        }
    }
    printf("{\"calls\":%lu,\"sliceCalls\":%lu,\"nsPerCall\":{", calls, slice_calls);
    for (size_t c = 0; c < CASE_COUNT; c++) {
        printf("%s\"%s\":[", c ? "," : "", CASES[c] ? CASES[c] : "none");
        for (unsigned long slice = 0; slice < slices; slice++)
            printf("%s%.2f", slice ? "," : "", slice_ns[c * slices + slice]);
        printf("]");
    }
    free(slice_ns);
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
