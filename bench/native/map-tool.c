// SPDX-License-Identifier: MIT
// Reaches into a map that another process (the exporter under test) created, found by the process id and
// the map's name through /proc/<pid>/fdinfo, and either fills it or reads it whole with
// bpf_map_lookup_batch. The read is the floor: the kernel's own cost of handing the map to user space,
// measured on the very map the exporter scrapes. Prints one JSON object per step on stdout.
//
//   map-tool fill-counter <pid> <map> <entries>     key {u64 tenant = i / 1000, u64 object = i}, value i + 1
//   map-tool fill-histogram <pid> <map> <label sets> <slots>   key {u64 shard, u64 bucket}, value shard + bucket + 1
//   map-tool floor <pid> <map> <rounds>             wall and CPU milliseconds of each whole-map batch read
//   map-tool standalone <entries> <rounds>          fill-counter and floor on a new map of its own
#include <bpf/bpf.h>
#include <dirent.h>
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

static double clock_ms(clockid_t clock)
{
    struct timespec ts;
    clock_gettime(clock, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int fail(const char *what, int err)
{
    fprintf(stderr, "map-tool: %s: %s\n", what, strerror(err < 0 ? -err : err));
    return 1;
}

// The map ids a process holds: every bpf-map fd's fdinfo carries a `map_id:` line.
static int open_map_of_process(const char *pid, const char *name, struct bpf_map_info *info)
{
    char path[256];
    snprintf(path, sizeof(path), "/proc/%s/fdinfo", pid);
    DIR *dir = opendir(path);
    if (!dir)
        return -errno;
    int found = -ENOENT;
    struct dirent *entry;
    while (found < 0 && (entry = readdir(dir))) {
        char file[512], line[256];
        snprintf(file, sizeof(file), "%s/%s", path, entry->d_name);
        FILE *fdinfo = fopen(file, "r");
        if (!fdinfo)
            continue;
        unsigned id = 0;
        while (fgets(line, sizeof(line), fdinfo))
            if (sscanf(line, "map_id: %u", &id) == 1)
                break;
        fclose(fdinfo);
        if (id == 0)
            continue;
        int fd = bpf_map_get_fd_by_id(id);
        if (fd < 0)
            continue;
        __u32 length = sizeof(*info);
        memset(info, 0, sizeof(*info));
        if (bpf_obj_get_info_by_fd(fd, info, &length) == 0 && strncmp(info->name, name, sizeof(info->name) - 1) == 0)
            found = fd;
        else
            close(fd);
    }
    closedir(dir);
    return found;
}

static int fill(int fd, struct key *keys, __u64 *values, __u32 count)
{
    __u32 done = count;
    int err = bpf_map_update_batch(fd, keys, values, &done, NULL);
    if (err)
        return fail("bpf_map_update_batch", err);
    printf("{\"filled\":%u}\n", done);
    return 0;
}

static int fill_counter(int fd, __u32 entries)
{
    struct key *keys = calloc(entries, sizeof(*keys));
    __u64 *values = calloc(entries, sizeof(*values));
    if (!keys || !values)
        return fail("calloc", ENOMEM);
    for (__u32 i = 0; i < entries; i++) {
        keys[i] = (struct key){.high = i / 1000, .low = i};
        values[i] = i + 1ULL;
    }
    return fill(fd, keys, values, entries);
}

static int fill_histogram(int fd, __u32 label_sets, __u32 slots)
{
    __u32 count = label_sets * slots;
    struct key *keys = calloc(count, sizeof(*keys));
    __u64 *values = calloc(count, sizeof(*values));
    if (!keys || !values)
        return fail("calloc", ENOMEM);
    for (__u32 i = 0; i < count; i++) {
        keys[i] = (struct key){.high = i / slots, .low = i % slots};
        values[i] = i / slots + i % slots + 1ULL;
    }
    return fill(fd, keys, values, count);
}

// Reads the whole map into buffers of max_entries; returns the number of entries, or -errno.
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

static int floor_reads(int fd, const struct bpf_map_info *info, unsigned rounds)
{
    if (info->key_size != sizeof(struct key) || info->value_size != sizeof(__u64))
        return fail("floor needs 16-byte keys and 8-byte values", EINVAL);
    struct key *keys = calloc(info->max_entries, sizeof(*keys));
    __u64 *values = calloc(info->max_entries, sizeof(*values));
    if (!keys || !values)
        return fail("calloc", ENOMEM);
    double *cpu_ms = calloc(rounds, sizeof(*cpu_ms));
    if (!cpu_ms)
        return fail("calloc", ENOMEM);
    printf("{\"maxEntries\":%u,\"roundsMs\":[", info->max_entries);
    long entries = 0;
    for (unsigned round = 0; round < rounds; round++) {
        double started = clock_ms(CLOCK_MONOTONIC), cpu_started = clock_ms(CLOCK_PROCESS_CPUTIME_ID);
        entries = read_all(fd, keys, values, info->max_entries);
        cpu_ms[round] = clock_ms(CLOCK_PROCESS_CPUTIME_ID) - cpu_started;
        double elapsed = clock_ms(CLOCK_MONOTONIC) - started;
        if (entries < 0)
            return fail("bpf_map_lookup_batch", (int)entries);
        printf("%s%.4f", round ? "," : "", elapsed);
    }
    printf("],\"roundsCpuMs\":[");
    for (unsigned round = 0; round < rounds; round++)
        printf("%s%.4f", round ? "," : "", cpu_ms[round]);
    printf("],\"entries\":%ld}\n", entries);
    return 0;
}

// The floor on a map of its own (filled like fill-counter), with no exporter running: for a quick look at
// what the kernel costs on a machine, as libs/bpf-native/README.md quotes it.
static int standalone(__u32 entries, unsigned rounds)
{
    int fd = bpf_map_create(BPF_MAP_TYPE_HASH, "floor", sizeof(struct key), sizeof(__u64), entries, NULL);
    if (fd < 0)
        return fail("bpf_map_create", fd);
    struct bpf_map_info info;
    __u32 length = sizeof(info);
    memset(&info, 0, sizeof(info));
    int err = bpf_obj_get_info_by_fd(fd, &info, &length);
    if (err)
        return fail("bpf_obj_get_info_by_fd", err);
    err = fill_counter(fd, entries);
    return err ? err : floor_reads(fd, &info, rounds);
}

int main(int argc, char **argv)
{
    if (argc == 4 && strcmp(argv[1], "standalone") == 0)
        return standalone((__u32)strtoul(argv[2], NULL, 0), (unsigned)strtoul(argv[3], NULL, 0));
    if (argc < 5) {
        fprintf(stderr, "usage: %s fill-counter|fill-histogram|floor <pid> <map> <n> [slots]\n", argv[0]);
        fprintf(stderr, "       %s standalone <entries> <rounds>\n", argv[0]);
        return 2;
    }
    struct bpf_map_info info;
    int fd = open_map_of_process(argv[2], argv[3], &info);
    if (fd < 0)
        return fail(argv[3], fd);
    unsigned long n = strtoul(argv[4], NULL, 0);
    if (strcmp(argv[1], "fill-counter") == 0)
        return fill_counter(fd, (__u32)n);
    if (strcmp(argv[1], "fill-histogram") == 0 && argc > 5)
        return fill_histogram(fd, (__u32)n, (__u32)strtoul(argv[5], NULL, 0));
    if (strcmp(argv[1], "floor") == 0)
        return floor_reads(fd, &info, (unsigned)n);
    fprintf(stderr, "map-tool: unknown command %s\n", argv[1]);
    return 2;
}
