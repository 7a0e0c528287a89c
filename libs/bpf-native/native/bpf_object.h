// NativeBpfObject: one libbpf bpf_object with the links and event buffers created for it.
#pragma once

#include <bpf/libbpf.h>
#include <napi.h>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "bpf_error.h"
#include "event_buffers.h"

namespace bpf_native {

class BpfObjectWrap : public Napi::ObjectWrap<BpfObjectWrap> {
 public:
  static Napi::Function DefineClass(Napi::Env env);
  // new NativeBpfObject(path, btfPath?) = bpf_object__open_file
  explicit BpfObjectWrap(const Napi::CallbackInfo& info);
  ~BpfObjectWrap() override;

 private:
  enum class State { kOpened, kLoading, kLoaded, kClosed };

  struct ProgramState {
    std::vector<struct bpf_link*> links;
    std::optional<Failure> attach_error;
  };

  friend class LoadWorker;

  Napi::Value Name(const Napi::CallbackInfo& info);
  Napi::Value SetGlobalU64(const Napi::CallbackInfo& info);
  Napi::Value Load(const Napi::CallbackInfo& info);
  Napi::Value AttachAll(const Napi::CallbackInfo& info);
  Napi::Value Programs(const Napi::CallbackInfo& info);
  Napi::Value Maps(const Napi::CallbackInfo& info);
  Napi::Value MapInfo(const Napi::CallbackInfo& info);
  Napi::Value MapTypes(const Napi::CallbackInfo& info);
  Napi::Value MapRead(const Napi::CallbackInfo& info);
  Napi::Value MapLookup(const Napi::CallbackInfo& info);
  Napi::Value MapUpdate(const Napi::CallbackInfo& info);
  Napi::Value MapDelete(const Napi::CallbackInfo& info);
  Napi::Value OpenPerfBuffer(const Napi::CallbackInfo& info);
  Napi::Value OpenRingBuffer(const Napi::CallbackInfo& info);
  Napi::Value CloseEventBuffer(const Napi::CallbackInfo& info);
  Napi::Value Close(const Napi::CallbackInfo& info);

  void Destroy();
  void FinishLoad();
  ErrorSubject Subject() const;
  [[noreturn]] void Throw(Napi::Env env, int errnum, const std::string& message, ErrorSubject subject) const;
  void RequireState(Napi::Env env, State wanted, const char* action) const;
  // A loaded map by name, else a BpfError (ENOENT when the object has no such map).
  struct bpf_map* LoadedMap(Napi::Env env, const Napi::Value& name) const;
  Napi::Object ProgramInfo(Napi::Env env, const struct bpf_program* prog);
  Napi::Value AddEventBuffer(Napi::Env env, std::unique_ptr<EventBuffer> buffer, const Failure& failure);

  struct bpf_object* object_ = nullptr;
  std::string path_;
  State state_ = State::kOpened;
  bool close_when_loaded_ = false;
  std::map<const struct bpf_program*, ProgramState> programs_;
  std::map<int, std::unique_ptr<EventBuffer>> event_buffers_;
  int next_event_buffer_id_ = 1;
};

}  // namespace bpf_native
