#include "capabilities.h"

#include <dirent.h>
#include <errno.h>
#include <linux/capability.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <atomic>
#include <set>
#include <string>

#include "bpf_error.h"

namespace bpf_native {

namespace {

// Capabilities live in each thread's credentials, and Node runs a dozen threads (V8 platform, libuv pool,
// the inspector's signal thread) that would otherwise keep everything. Like glibc's setuid() and libcap's
// psx, every other thread is interrupted with a signal whose handler changes its own credentials. The
// signal is glibc's SIGSETXID (SIGRTMIN - 1 = 33): the one signal glibc keeps unblocked in every thread
// (Node's inspector thread blocks all others). Its handler is swapped for ours only while we broadcast.
constexpr int kBroadcastSignal = 33;
constexpr int kAckTimeoutMs = 2000;

// The kernel's struct sigaction for x86_64 and arm64 (asm-generic layout with sa_restorer).
struct KernelSigaction {
  void (*handler)(int, siginfo_t*, void*);
  unsigned long flags;
  void (*restorer)(void);
  uint64_t mask;
};

struct DropRequest {
  uint32_t keep[2];
  int last_cap;
  std::atomic<int> acknowledged{0};
  std::atomic<int> failed_errno{0};
};

DropRequest* g_request = nullptr;

// Async-signal-safe: raw syscalls only. Returns 0 or an errno.
int DropOnThisThread(const DropRequest& request) {
  for (int cap = 0; cap <= request.last_cap; cap++) {
    bool keep = (request.keep[cap / 32] >> (cap % 32)) & 1;
    // EINVAL: a capability this kernel does not know; the bounding set drop needs CAP_SETPCAP, so it goes first.
    if (!keep && syscall(SYS_prctl, PR_CAPBSET_DROP, cap, 0, 0, 0) < 0 && errno != EINVAL) return errno;
  }
  if (syscall(SYS_prctl, PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 && errno != EINVAL) return errno;
  __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
  __user_cap_data_struct data[2];
  if (syscall(SYS_capget, &header, data) < 0) return errno;
  for (int i = 0; i < 2; i++) {
    data[i].effective = request.keep[i] & data[i].permitted;
    data[i].permitted = request.keep[i] & data[i].permitted;
    data[i].inheritable = request.keep[i] & data[i].inheritable;
  }
  if (syscall(SYS_capset, &header, data) < 0) return errno;
  return 0;
}

void OnBroadcast(int, siginfo_t*, void*) {
  int saved_errno = errno;
  int result = DropOnThisThread(*g_request);
  if (result != 0) g_request->failed_errno.store(result);
  g_request->acknowledged.fetch_add(1);
  errno = saved_errno;
}

int LastCap() {
  FILE* file = fopen("/proc/sys/kernel/cap_last_cap", "r");
  int last = CAP_LAST_CAP;
  if (file != nullptr) {
    if (fscanf(file, "%d", &last) != 1) last = CAP_LAST_CAP;
    fclose(file);
  }
  return last;
}

// Thread ids of this process right now.
std::set<pid_t> ListThreads() {
  std::set<pid_t> tids;
  DIR* dir = opendir("/proc/self/task");
  if (dir == nullptr) return tids;
  while (struct dirent* entry = readdir(dir)) {
    if (entry->d_name[0] != '.') tids.insert(static_cast<pid_t>(atoi(entry->d_name)));
  }
  closedir(dir);
  return tids;
}

bool WaitForAcks(const DropRequest& request, int expected) {
  for (int waited = 0; waited < kAckTimeoutMs; waited++) {
    if (request.acknowledged.load() >= expected) return true;
    struct timespec one_ms {
      0, 1000 * 1000
    };
    nanosleep(&one_ms, nullptr);
  }
  return false;
}

// Sends the broadcast to every thread but the caller until no new thread shows up (a thread created
// meanwhile inherits its creator's credentials, which may predate the drop). Returns threads changed.
int Broadcast(DropRequest& request, Failure* failure) {
  pid_t self = static_cast<pid_t>(syscall(SYS_gettid));
  std::set<pid_t> done{self};
  int total_sent = 0;
  for (;;) {
    int sent = 0;
    for (pid_t tid : ListThreads()) {
      if (done.count(tid) > 0) continue;
      done.insert(tid);
      if (syscall(SYS_tgkill, getpid(), tid, kBroadcastSignal) == 0) sent++;
      // ESRCH: the thread exited after the listing.
    }
    if (sent == 0) return static_cast<int>(done.size());
    total_sent += sent;
    if (!WaitForAcks(request, total_sent)) {
      failure->errnum = ETIMEDOUT;
      failure->message = "dropping capabilities: a thread did not handle the broadcast signal";
      return -1;
    }
  }
}

}  // namespace

Napi::Value DropCapabilities(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!info[0].IsBigInt()) throw Napi::TypeError::New(env, "expected the capabilities to keep as a bigint mask");
  bool lossless = false;
  uint64_t keep = info[0].As<Napi::BigInt>().Uint64Value(&lossless);

  DropRequest request;
  request.keep[0] = static_cast<uint32_t>(keep);
  request.keep[1] = static_cast<uint32_t>(keep >> 32);
  request.last_cap = LastCap();
  g_request = &request;

  KernelSigaction ours{}, previous{};
  if (syscall(SYS_rt_sigaction, kBroadcastSignal, nullptr, &previous, sizeof(uint64_t)) < 0) {
    g_request = nullptr;
    throw MakeBpfError(env, Failure{errno, "dropping capabilities: reading the SIGSETXID handler failed", {}});
  }
  // glibc's restorer and flags (SA_SIGINFO | SA_RESTORER) stay as they are: only the handler changes.
  ours = previous;
  ours.handler = OnBroadcast;
  syscall(SYS_rt_sigaction, kBroadcastSignal, &ours, nullptr, sizeof(uint64_t));
  Failure failure;
  int threads = Broadcast(request, &failure);
  // A timed-out thread may still run the handler later: leave ours installed rather than hand it glibc's
  // handler with no setxid request pending, and keep the request alive.
  if (threads >= 0) {
    syscall(SYS_rt_sigaction, kBroadcastSignal, &previous, nullptr, sizeof(uint64_t));
    int own = DropOnThisThread(request);
    g_request = nullptr;
    if (own != 0)
      failure = Failure{own, "dropping capabilities on the main thread failed", {}};
    else if (request.failed_errno.load() != 0) {
      failure = Failure{request.failed_errno.load(), "dropping capabilities on a thread failed", {}};
    }
  } else {
    g_request = new DropRequest();
    memcpy(g_request->keep, request.keep, sizeof(request.keep));
    g_request->last_cap = request.last_cap;
  }
  if (failure.errnum != 0) {
    if (failure.message.empty()) failure.message = strerror(failure.errnum);
    failure.message += std::string(": ") + strerror(failure.errnum);
    throw MakeBpfError(env, failure);
  }
  return Napi::Number::New(env, threads);
}

}  // namespace bpf_native
