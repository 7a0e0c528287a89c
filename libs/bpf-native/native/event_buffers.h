// Perf and ring buffers polled on a native thread; records reach JS through a ThreadSafeFunction.
#pragma once

#include <bpf/libbpf.h>
#include <napi.h>

#include <atomic>
#include <functional>
#include <optional>
#include <memory>
#include <thread>

#include "bpf_error.h"

namespace bpf_native {

class EventBuffer {
 public:
  // onRecord(Uint8Array) per record; onLost(count) for records the kernel or our queue had to drop.
  static std::unique_ptr<EventBuffer> OpenPerf(Napi::Env env, int map_fd, size_t page_count, Napi::Function on_record,
                                               Napi::Function on_lost, Failure* failure);
  static std::unique_ptr<EventBuffer> OpenRing(Napi::Env env, int map_fd, Napi::Function on_record,
                                               Napi::Function on_lost, Failure* failure);
  // Stops and joins the poll thread, then frees the buffer: no callback runs after this returns.
  ~EventBuffer();
  EventBuffer(const EventBuffer&) = delete;
  EventBuffer& operator=(const EventBuffer&) = delete;

 private:
  EventBuffer(Napi::Env env, Napi::Function on_record, Napi::Function on_lost);
  void Start();
  // Idempotent; also run by an environment cleanup hook, because at exit Node finalizes thread-safe
  // functions before the BpfObject finalizer could release them.
  void Shutdown();
  void Poll();
  static void OnPerfSample(void* ctx, int cpu, void* data, __u32 size);
  static void OnPerfLost(void* ctx, int cpu, __u64 count);
  static int OnRingSample(void* ctx, void* data, size_t size);
  void Deliver(const void* data, size_t size);
  void ReportLost(__u64 count);

  Napi::ThreadSafeFunction records_;
  Napi::ThreadSafeFunction lost_;
  struct perf_buffer* perf_ = nullptr;
  struct ring_buffer* ring_ = nullptr;
  std::atomic<bool> stop_{false};
  std::thread thread_;
  bool shut_down_ = false;
  napi_env env_;
  std::optional<Napi::Env::CleanupHook<std::function<void()>>> cleanup_hook_;
};

}  // namespace bpf_native
