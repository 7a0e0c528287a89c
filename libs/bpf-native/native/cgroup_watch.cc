#include "cgroup_watch.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/fanotify.h>
#include <unistd.h>

#include <memory>

#include "bpf_error.h"

namespace bpf_native {

namespace {

struct CgroupEvent {
  const char* kind;
  uint32_t mount;
  uint64_t parent_id;
  std::string name;
};

using EventBatch = std::vector<CgroupEvent>;

void CallWithEvents(Napi::Env env, Napi::Function callback, EventBatch* batch) {
  std::unique_ptr<EventBatch> owned(batch);
  if (env == nullptr) return;
  DeliverToJs(env, [&] {
    Napi::Array events = Napi::Array::New(env, owned->size());
    for (size_t i = 0; i < owned->size(); i++) {
      const CgroupEvent& event = (*owned)[i];
      Napi::Object object = Napi::Object::New(env);
      object.Set("kind", event.kind);
      object.Set("mount", event.mount);
      object.Set("parentId", Napi::BigInt::New(env, event.parent_id));
      object.Set("name", event.name);
      events.Set(i, object);
    }
    callback.Call({events});
  });
}

// Appends the directory events found in one read() of a fanotify descriptor.
void ParseEvents(const char* buffer, ssize_t length, uint32_t mount, EventBatch* batch) {
  auto* metadata = reinterpret_cast<const struct fanotify_event_metadata*>(buffer);
  for (; FAN_EVENT_OK(metadata, length); metadata = FAN_EVENT_NEXT(metadata, length)) {
    if (metadata->mask & FAN_Q_OVERFLOW) {
      batch->push_back({"overflow", mount, 0, ""});
      continue;
    }
    if (!(metadata->mask & FAN_ONDIR)) continue;
    auto* info = reinterpret_cast<const struct fanotify_event_info_fid*>(metadata + 1);
    if (info->hdr.info_type != FAN_EVENT_INFO_TYPE_DFID_NAME) continue;
    auto* handle = reinterpret_cast<const struct file_handle*>(info->handle);
    uint64_t parent_id = 0;
    if (handle->handle_bytes == sizeof(parent_id)) memcpy(&parent_id, handle->f_handle, sizeof(parent_id));
    const char* name = reinterpret_cast<const char*>(handle->f_handle + handle->handle_bytes);
    // fanotify merges a queued event with a later one for the same directory entry, so both bits can be set:
    // reported as a create then a delete, and consumers check what is there now.
    if (metadata->mask & FAN_CREATE) batch->push_back({"create", mount, parent_id, name});
    if (metadata->mask & FAN_DELETE) batch->push_back({"delete", mount, parent_id, name});
  }
}

}  // namespace

Napi::Function CgroupWatchWrap::DefineClass(Napi::Env env) {
  return ObjectWrap<CgroupWatchWrap>::DefineClass(env, "CgroupWatch",
                                                  {InstanceMethod<&CgroupWatchWrap::Close>("close")});
}

CgroupWatchWrap::CgroupWatchWrap(const Napi::CallbackInfo& info) : ObjectWrap(info), env_(info.Env()) {
  Napi::Env env = info.Env();
  if (!info[0].IsArray() || !info[1].IsFunction()) {
    throw Napi::TypeError::New(env, "expected mount paths and an event callback");
  }
  Napi::Array paths = info[0].As<Napi::Array>();
  for (uint32_t i = 0; i < paths.Length(); i++) {
    std::string path = paths.Get(i).As<Napi::String>().Utf8Value();
    // Directory-entry events with the parent's file handle and the name need FAN_REPORT_DFID_NAME, which
    // needs CAP_SYS_ADMIN at init: the watch is set up before capabilities are dropped and keeps working.
    int fd = fanotify_init(FAN_CLASS_NOTIF | FAN_REPORT_DFID_NAME | FAN_NONBLOCK | FAN_CLOEXEC, O_RDONLY);
    if (fd >= 0 && fanotify_mark(fd, FAN_MARK_ADD | FAN_MARK_FILESYSTEM, FAN_CREATE | FAN_DELETE | FAN_ONDIR, AT_FDCWD,
                                 path.c_str()) < 0) {
      int errnum = errno;
      close(fd);
      fd = -1;
      errno = errnum;
    }
    if (fd < 0) {
      int errnum = errno;
      Shutdown();
      throw MakeBpfError(env, Failure{errnum, "fanotify on '" + path + "' failed: " + strerror(errnum), {}});
    }
    fanotify_fds_.push_back(fd);
  }
  stop_fd_ = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  events_ = Napi::ThreadSafeFunction::New(env, info[1].As<Napi::Function>(), "cgroup-watch", 0, 1);
  // Like event buffers: a watch must not keep the process alive by itself.
  events_.Unref(env);
  cleanup_hook_ = env.AddCleanupHook(std::function<void()>([this] {
    cleanup_hook_.reset();
    Shutdown();
  }));
  thread_ = std::thread([this] { Poll(); });
}

CgroupWatchWrap::~CgroupWatchWrap() {
  if (cleanup_hook_) cleanup_hook_->Remove(Napi::Env(env_));
  Shutdown();
}

Napi::Value CgroupWatchWrap::Close(const Napi::CallbackInfo& info) {
  if (cleanup_hook_) cleanup_hook_->Remove(Napi::Env(env_));
  cleanup_hook_.reset();
  Shutdown();
  return info.Env().Undefined();
}

void CgroupWatchWrap::Shutdown() {
  if (shut_down_) return;
  shut_down_ = true;
  if (thread_.joinable()) {
    uint64_t one = 1;
    if (write(stop_fd_, &one, sizeof(one)) < 0) {
      // An eventfd write only fails on counter overflow, which one write cannot cause.
    }
    thread_.join();
  }
  for (int fd : fanotify_fds_) close(fd);
  fanotify_fds_.clear();
  if (stop_fd_ >= 0) close(stop_fd_);
  stop_fd_ = -1;
  if (events_) events_.Release();
}

void CgroupWatchWrap::Poll() {
  std::vector<struct pollfd> fds;
  for (int fd : fanotify_fds_) fds.push_back({fd, POLLIN, 0});
  fds.push_back({stop_fd_, POLLIN, 0});
  alignas(struct fanotify_event_metadata) char buffer[16384];
  for (;;) {
    if (poll(fds.data(), fds.size(), -1) < 0) {
      if (errno == EINTR) continue;
      return;
    }
    if (fds.back().revents != 0) return;
    auto* batch = new EventBatch();
    for (size_t i = 0; i + 1 < fds.size(); i++) {
      if (!(fds[i].revents & POLLIN)) continue;
      ssize_t length;
      while ((length = read(fds[i].fd, buffer, sizeof(buffer))) > 0) {
        ParseEvents(buffer, length, static_cast<uint32_t>(i), batch);
      }
    }
    if (batch->empty() || events_.BlockingCall(batch, CallWithEvents) != napi_ok) delete batch;
  }
}

}  // namespace bpf_native
