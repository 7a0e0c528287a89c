// Directory create/delete events from cgroup filesystems through fanotify, read on a native thread.
#pragma once

#include <napi.h>

#include <atomic>
#include <functional>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace bpf_native {

// JS: new CgroupWatch(mountPaths, onEvents); onEvents receives arrays of
// { kind: 'create' | 'delete' | 'overflow', mount: index into mountPaths, parentId: bigint, name: string }.
// parentId is the kernfs node id of the directory the event happened in, which is the inode number (and for
// cgroup2 the cgroup id) of that directory: kernfs encodes exactly that id as its file handle.
class CgroupWatchWrap : public Napi::ObjectWrap<CgroupWatchWrap> {
 public:
  static Napi::Function DefineClass(Napi::Env env);
  explicit CgroupWatchWrap(const Napi::CallbackInfo& info);
  ~CgroupWatchWrap() override;

 private:
  Napi::Value Close(const Napi::CallbackInfo& info);
  void Shutdown();
  void Poll();

  std::vector<int> fanotify_fds_;
  int stop_fd_ = -1;
  Napi::ThreadSafeFunction events_;
  std::thread thread_;
  bool shut_down_ = false;
  napi_env env_;
  std::optional<Napi::Env::CleanupHook<std::function<void()>>> cleanup_hook_;
};

}  // namespace bpf_native
