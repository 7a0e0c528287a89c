// SPDX-License-Identifier: MIT
// The floor for reading a map from user space: fills a hash of N entries (16-byte key, 8-byte value, as the
// exporter's typical label keys) and reads it whole with bpf_map_lookup_batch, printing the time. Whatever
// the addon adds on top of this number is our overhead.
//
//   bench/build/batch-floor (npx nx build-bench bpf-native) [entries=100000] [max_entries=entries] [rounds=5]
#include <bpf/bpf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct key {
    __u64 high;
    __u64 low;
};

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static unsigned long parse_arg(int argc, char **argv, int index, unsigned long fallback)
{
    return argc > index ? strtoul(argv[index], NULL, 0) : fallback;
}

// Reads the whole map; returns the number of entries, or -errno.
static long read_all(int fd, struct key *keys, __u64 *values, __u32 capacity)
{
    __u32 cursor = 0, next = 0, total = 0;
    void *in = NULL;
    for (;;) {
        __u32 count = capacity - total;
        int err = bpf_map_lookup_batch(fd, in, &next, keys + total, values + total, &count, NULL);
        total += count;
        if (err == -ENOENT || total == capacity)
            return total;
        if (err)
            return err;
        cursor = next;
        in = &cursor;
    }
}

int main(int argc, char **argv)
{
    __u32 entries = (__u32)parse_arg(argc, argv, 1, 100000);
    __u32 max_entries = (__u32)parse_arg(argc, argv, 2, entries);
    unsigned rounds = (unsigned)parse_arg(argc, argv, 3, 5);
    if (entries == 0 || max_entries < entries || rounds == 0) {
        fprintf(stderr, "usage: %s [entries>0] [max_entries>=entries] [rounds>0]\n", argv[0]);
        return 2;
    }

    int fd = bpf_map_create(BPF_MAP_TYPE_HASH, "batch_floor", sizeof(struct key), sizeof(__u64), max_entries, NULL);
    if (fd < 0) {
        fprintf(stderr, "bpf_map_create: %s\n", strerror(-fd));
        return 1;
    }
    struct key *keys = calloc(max_entries, sizeof(*keys));
    __u64 *values = calloc(max_entries, sizeof(*values));
    if (!keys || !values)
        return 1;

    for (__u32 i = 0; i < entries; i++) {
        struct key key = {.high = i * 3ULL, .low = i};
        __u64 value = i;
        if (bpf_map_update_elem(fd, &key, &value, BPF_ANY)) {
            perror("bpf_map_update_elem");
            return 1;
        }
    }

    double best = 0;
    for (unsigned round = 0; round < rounds; round++) {
        double started = now_ms();
        long read = read_all(fd, keys, values, max_entries);
        double elapsed = now_ms() - started;
        if (read != (long)entries) {
            fprintf(stderr, "read %ld entries, expected %u\n", read, entries);
            return 1;
        }
        if (round == 0 || elapsed < best)
            best = elapsed;
    }
    printf("entries=%u max_entries=%u batch_read_best_of_%u=%.2f ms (%.3f us/entry)\n", entries, max_entries, rounds,
           best, best * 1e3 / entries);
    close(fd);
    return 0;
}
