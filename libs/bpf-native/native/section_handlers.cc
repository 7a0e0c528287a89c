#include "section_handlers.h"

#include <dlfcn.h>
#include <errno.h>
#include <linux/perf_event.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

namespace bpf_native {

namespace {

constexpr char kPerfEventPrefix[] = "perf_event/";
constexpr char kXdpPrefix[] = "xdp/";
constexpr char kPostAttachMarkSection[] = "uprobe//proc/self/exe:post_attach_mark";

struct PerfEventSpec {
  __u32 type = 0;
  __u64 config = 0;
  __u64 frequency = 0;
};

bool ParseUnsigned(const std::string& text, __u64* value) {
  if (text.empty()) return false;
  char* end = nullptr;
  errno = 0;
  unsigned long long parsed = strtoull(text.c_str(), &end, 0);
  if (errno != 0 || *end != '\0' || text[0] == '-') return false;
  *value = parsed;
  return true;
}

// "type=1,config=0,frequency=99": all three keys required, anything else is an error naming the key.
bool ParsePerfEventSection(const std::string& section, PerfEventSpec* spec, std::string* error) {
  std::stringstream fields(section.substr(sizeof(kPerfEventPrefix) - 1));
  std::string field;
  bool seen_type = false, seen_config = false, seen_frequency = false;
  while (std::getline(fields, field, ',')) {
    size_t equals = field.find('=');
    std::string key = field.substr(0, equals);
    __u64 value = 0;
    if (equals == std::string::npos || !ParseUnsigned(field.substr(equals + 1), &value)) {
      *error = "'" + field + "' is not <key>=<unsigned number>";
      return false;
    }
    if (key == "type") {
      spec->type = static_cast<__u32>(value);
      seen_type = true;
    } else if (key == "config") {
      spec->config = value;
      seen_config = true;
    } else if (key == "frequency") {
      spec->frequency = value;
      seen_frequency = true;
    } else {
      *error = "unknown key '" + key + "' (expected type, config, frequency)";
      return false;
    }
  }
  if (!seen_type || !seen_config || !seen_frequency) {
    *error = "type, config and frequency are all required";
    return false;
  }
  return true;
}

// /sys/devices/system/cpu/online looks like "0-3,6,8-9".
bool OnlineCpus(std::vector<int>* cpus) {
  std::ifstream file("/sys/devices/system/cpu/online");
  std::string ranges;
  if (!std::getline(file, ranges)) return false;
  std::stringstream parts(ranges);
  std::string part;
  while (std::getline(parts, part, ',')) {
    int first = 0, last = 0;
    int matched = sscanf(part.c_str(), "%d-%d", &first, &last);
    if (matched < 1) return false;
    if (matched == 1) last = first;
    for (int cpu = first; cpu <= last; cpu++) cpus->push_back(cpu);
  }
  return !cpus->empty();
}

int AttachXdpByName(const struct bpf_program* prog, long, struct bpf_link** link) {
  const char* ifname = bpf_program__section_name(prog) + sizeof(kXdpPrefix) - 1;
  unsigned ifindex = if_nametoindex(ifname);
  if (ifindex == 0) return -ENODEV;
  *link = bpf_program__attach_xdp(prog, static_cast<int>(ifindex));
  return *link == nullptr ? -errno : 0;
}

int AttachPostAttachMark(const struct bpf_program* prog, long, struct bpf_link** link) {
  Dl_info addon;
  if (dladdr(reinterpret_cast<void*>(&post_attach_mark), &addon) == 0 || addon.dli_fname == nullptr) return -ENOENT;
  LIBBPF_OPTS(bpf_uprobe_opts, opts, .func_name = "post_attach_mark");
  *link = bpf_program__attach_uprobe_opts(prog, getpid(), addon.dli_fname, 0, &opts);
  return *link == nullptr ? -errno : 0;
}

}  // namespace

int RegisterSectionHandlers() {
  // No attach callback for perf_event/: see AttachPerfEventOnEveryCpu. Perf event programs have no expected
  // attach type, hence 0.
  LIBBPF_OPTS(libbpf_prog_handler_opts, perf_opts);
  int id = libbpf_register_prog_handler(kPerfEventPrefix, BPF_PROG_TYPE_PERF_EVENT, static_cast<bpf_attach_type>(0),
                                        &perf_opts);
  if (id < 0) return id;
  LIBBPF_OPTS(libbpf_prog_handler_opts, xdp_opts, .prog_attach_fn = AttachXdpByName);
  id = libbpf_register_prog_handler(kXdpPrefix, BPF_PROG_TYPE_XDP, BPF_XDP, &xdp_opts);
  if (id < 0) return id;
  LIBBPF_OPTS(libbpf_prog_handler_opts, mark_opts, .prog_attach_fn = AttachPostAttachMark);
  id = libbpf_register_prog_handler(kPostAttachMarkSection, BPF_PROG_TYPE_KPROBE, static_cast<bpf_attach_type>(0),
                                    &mark_opts);
  return id < 0 ? id : 0;
}

bool IsPerfEventSection(const char* section) {
  return strncmp(section, kPerfEventPrefix, sizeof(kPerfEventPrefix) - 1) == 0;
}

bool AttachPerfEventOnEveryCpu(const struct bpf_program* prog, std::vector<struct bpf_link*>* links, Failure* failure) {
  const std::string section = bpf_program__section_name(prog);
  PerfEventSpec spec;
  std::string error;
  if (!ParsePerfEventSection(section, &spec, &error)) {
    failure->errnum = EINVAL;
    failure->message = "section '" + section + "': " + error;
    return false;
  }
  std::vector<int> cpus;
  if (!OnlineCpus(&cpus)) {
    failure->errnum = errno != 0 ? errno : EINVAL;
    failure->message = "cannot read the online CPUs from /sys/devices/system/cpu/online";
    return false;
  }
  std::vector<struct bpf_link*> attached;
  for (int cpu : cpus) {
    struct perf_event_attr attr = {};
    attr.size = sizeof(attr);
    attr.type = spec.type;
    attr.config = spec.config;
    attr.sample_freq = spec.frequency;
    attr.freq = 1;
    int fd = static_cast<int>(syscall(SYS_perf_event_open, &attr, -1, cpu, -1, PERF_FLAG_FD_CLOEXEC));
    struct bpf_link* link = nullptr;
    if (fd >= 0) {
      link = bpf_program__attach_perf_event(prog, fd);
      if (link == nullptr) {
        int saved = errno;
        close(fd);
        errno = saved;
      }
    }
    if (link == nullptr) {
      failure->errnum = errno;
      failure->message = std::string(fd < 0 ? "perf_event_open" : "attaching to the perf event") + " on CPU " +
                         std::to_string(cpu) + " failed: " + strerror(errno);
      for (struct bpf_link* done : attached) bpf_link__destroy(done);
      return false;
    }
    attached.push_back(link);
  }
  links->insert(links->end(), attached.begin(), attached.end());
  return true;
}

}  // namespace bpf_native
