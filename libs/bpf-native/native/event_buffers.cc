#include "event_buffers.h"

#include <errno.h>
#include <string.h>

#include <vector>

namespace bpf_native {

namespace {
// Poll timeout: bounds how long close() waits for the poll thread.
constexpr int kPollTimeoutMs = 100;
// Records waiting for the JS thread; beyond this they are dropped and reported through onLost, so a slow
// consumer cannot grow memory without bound.
constexpr size_t kMaxQueuedRecords = 1 << 16;

void CallWithRecord(Napi::Env env, Napi::Function callback, std::vector<uint8_t>* record) {
  auto* owned = record;
  if (env == nullptr) {
    delete owned;
    return;
  }
  DeliverToJs(env, [&] {
    auto buffer = Napi::Buffer<uint8_t>::NewOrCopy(env, owned->data(), owned->size(),
                                                   [owned](Napi::Env, uint8_t*) { delete owned; });
    callback.Call({buffer});
  });
}

void CallWithCount(Napi::Env env, Napi::Function callback, __u64* count) {
  std::unique_ptr<__u64> owned(count);
  if (env == nullptr) return;
  DeliverToJs(env, [&] { callback.Call({Napi::Number::New(env, static_cast<double>(*owned))}); });
}
}  // namespace

EventBuffer::EventBuffer(Napi::Env env, Napi::Function on_record, Napi::Function on_lost)
    : records_(Napi::ThreadSafeFunction::New(env, on_record, "bpf-event-records", kMaxQueuedRecords, 1)),
      lost_(Napi::ThreadSafeFunction::New(env, on_lost, "bpf-event-lost", 0, 1)),
      env_(env) {
  // An open buffer must not keep the process alive by itself; the BpfObject closes it.
  records_.Unref(env);
  lost_.Unref(env);
  // Registered after the thread-safe functions, so it runs before their own cleanup (hooks run in reverse).
  cleanup_hook_ = env.AddCleanupHook(std::function<void()>([this] {
    cleanup_hook_.reset();
    Shutdown();
  }));
}

std::unique_ptr<EventBuffer> EventBuffer::OpenPerf(Napi::Env env, int map_fd, size_t page_count,
                                                   Napi::Function on_record, Napi::Function on_lost, Failure* failure) {
  std::unique_ptr<EventBuffer> buffer(new EventBuffer(env, on_record, on_lost));
  buffer->perf_ = perf_buffer__new(map_fd, page_count, OnPerfSample, OnPerfLost, buffer.get(), nullptr);
  if (buffer->perf_ == nullptr) {
    failure->errnum = errno;
    failure->message = std::string("perf_buffer__new failed: ") + strerror(errno);
    return nullptr;
  }
  buffer->Start();
  return buffer;
}

std::unique_ptr<EventBuffer> EventBuffer::OpenRing(Napi::Env env, int map_fd, Napi::Function on_record,
                                                   Napi::Function on_lost, Failure* failure) {
  std::unique_ptr<EventBuffer> buffer(new EventBuffer(env, on_record, on_lost));
  buffer->ring_ = ring_buffer__new(map_fd, OnRingSample, buffer.get(), nullptr);
  if (buffer->ring_ == nullptr) {
    failure->errnum = errno;
    failure->message = std::string("ring_buffer__new failed: ") + strerror(errno);
    return nullptr;
  }
  buffer->Start();
  return buffer;
}

EventBuffer::~EventBuffer() {
  if (cleanup_hook_) cleanup_hook_->Remove(Napi::Env(env_));
  Shutdown();
}

void EventBuffer::Shutdown() {
  if (shut_down_) return;
  shut_down_ = true;
  stop_ = true;
  if (thread_.joinable()) thread_.join();
  perf_buffer__free(perf_);
  ring_buffer__free(ring_);
  perf_ = nullptr;
  ring_ = nullptr;
  records_.Release();
  lost_.Release();
}

void EventBuffer::Start() {
  thread_ = std::thread([this] { Poll(); });
}

void EventBuffer::Poll() {
  while (!stop_) {
    int ret = perf_ != nullptr ? perf_buffer__poll(perf_, kPollTimeoutMs) : ring_buffer__poll(ring_, kPollTimeoutMs);
    if (ret < 0 && ret != -EINTR) break;
  }
}

void EventBuffer::OnPerfSample(void* ctx, int, void* data, __u32 size) {
  static_cast<EventBuffer*>(ctx)->Deliver(data, size);
}

void EventBuffer::OnPerfLost(void* ctx, int, __u64 count) { static_cast<EventBuffer*>(ctx)->ReportLost(count); }

int EventBuffer::OnRingSample(void* ctx, void* data, size_t size) {
  static_cast<EventBuffer*>(ctx)->Deliver(data, size);
  return 0;
}

void EventBuffer::Deliver(const void* data, size_t size) {
  auto* record = new std::vector<uint8_t>(static_cast<const uint8_t*>(data), static_cast<const uint8_t*>(data) + size);
  if (records_.NonBlockingCall(record, CallWithRecord) != napi_ok) {
    delete record;
    ReportLost(1);
  }
}

void EventBuffer::ReportLost(__u64 count) {
  auto* boxed = new __u64(count);
  if (lost_.NonBlockingCall(boxed, CallWithCount) != napi_ok) delete boxed;
}

}  // namespace bpf_native
