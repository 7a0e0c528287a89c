// SPDX-License-Identifier: GPL-2.0
// Loads probes.bpf.o with libbpf, attaches every program, reads a file a few times to fire vfs_read,
// and prints "<program> <hits>" per program. Exits 1 if any program fails to load, attach or fire,
// so that a kernel without kprobes or fentry fails loudly instead of reporting zero.
#include <bpf/libbpf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static const char *const slot_programs[] = { "kprobe_vfs_read", "fentry_vfs_read" };

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s probes.bpf.o\n", argv[0]);
		return 2;
	}
	struct bpf_object *object = bpf_object__open_file(argv[1], NULL);
	if (!object) {
		fprintf(stderr, "%s: open failed: %s\n", argv[1], strerror(errno));
		return 1;
	}
	if (bpf_object__load(object)) {
		fprintf(stderr, "%s: load failed: %s\n", argv[1], strerror(errno));
		return 1;
	}
	struct bpf_program *program;
	bpf_object__for_each_program(program, object) {
		if (!bpf_program__attach(program)) {
			fprintf(stderr, "%s: attach failed: %s\n", bpf_program__name(program), strerror(errno));
			return 1;
		}
	}
	char buffer[256];
	for (int round = 0; round < 10; round++) {
		int fd = open("/proc/self/stat", O_RDONLY);
		if (fd >= 0) {
			(void)!read(fd, buffer, sizeof(buffer));
			close(fd);
		}
	}
	struct bpf_map *hits = bpf_object__find_map_by_name(object, "hits");
	int status = 0;
	for (unsigned int slot = 0; slot < 2; slot++) {
		unsigned long long count = 0;
		if (!hits || bpf_map__lookup_elem(hits, &slot, sizeof(slot), &count, sizeof(count), 0)) {
			fprintf(stderr, "cannot read hits[%u]\n", slot);
			return 1;
		}
		printf("%s %llu\n", slot_programs[slot], count);
		if (count == 0)
			status = 1;
	}
	bpf_object__close(object);
	return status;
}
