#include "bpf_object.h"

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>

#include <cstdio>

#include "btf_describe.h"
#include "libbpf_log.h"
#include "map_layout.h"
#include "map_reader.h"
#include "section_handlers.h"

namespace bpf_native {

namespace {

std::string HexTag(const unsigned char tag[BPF_TAG_SIZE]) {
  char text[BPF_TAG_SIZE * 2 + 1];
  for (int i = 0; i < BPF_TAG_SIZE; i++) snprintf(text + i * 2, 3, "%02x", tag[i]);
  return text;
}

std::string StringArg(const Napi::CallbackInfo& info, size_t index) {
  if (!info[index].IsString()) throw Napi::TypeError::New(info.Env(), "expected a string argument");
  return info[index].As<Napi::String>().Utf8Value();
}

Napi::Uint8Array BytesArg(const Napi::CallbackInfo& info, size_t index) {
  if (!info[index].IsTypedArray() || info[index].As<Napi::TypedArray>().TypedArrayType() != napi_uint8_array) {
    throw Napi::TypeError::New(info.Env(), "expected a Uint8Array argument");
  }
  return info[index].As<Napi::Uint8Array>();
}

Napi::Function FunctionArg(const Napi::CallbackInfo& info, size_t index) {
  if (!info[index].IsFunction()) throw Napi::TypeError::New(info.Env(), "expected a function argument");
  return info[index].As<Napi::Function>();
}

// libbpf prints a failed program load as "prog 'NAME': BPF program load failed: ..." followed by the
// verifier log between BEGIN/END markers. Pull out the program and the verifier's verdict, which is the
// last log line before the "processed N insns" statistics.
void DescribeLoadFailure(const std::vector<std::string>& warnings, Failure* failure) {
  const std::string prog_marker = "prog '";
  for (const std::string& line : warnings) {
    size_t start = line.find(prog_marker);
    if (start == std::string::npos) continue;
    start += prog_marker.size();
    size_t end = line.find('\'', start);
    if (end == std::string::npos) continue;
    if (failure->subject.program.empty()) failure->subject.program = line.substr(start, end - start);
    if (line.find("-- BEGIN PROG LOAD LOG --") == std::string::npos) continue;
    std::string verdict;
    size_t cursor = line.find('\n');
    while (cursor != std::string::npos) {
      size_t next = line.find('\n', cursor + 1);
      std::string text = line.substr(cursor + 1, next == std::string::npos ? std::string::npos : next - cursor - 1);
      if (text.rfind("processed ", 0) == 0 || text.rfind("-- END PROG LOAD LOG", 0) == 0) break;
      if (!text.empty()) verdict = text;
      cursor = next;
    }
    if (!verdict.empty()) {
      failure->message = "program '" + failure->subject.program + "' rejected by the verifier: " + verdict;
      return;
    }
  }
}

}  // namespace

class LoadWorker : public Napi::AsyncWorker {
 public:
  LoadWorker(Napi::Object receiver, BpfObjectWrap* wrap)
      : Napi::AsyncWorker(receiver.Env(), "bpf-object-load"),
        deferred_(Napi::Promise::Deferred::New(receiver.Env())),
        // Keeps the JS object, hence the wrap and its bpf_object, alive until the load finishes.
        receiver_(Napi::Persistent(receiver)),
        wrap_(wrap),
        object_(wrap->object_) {
    failure_.subject = wrap->Subject();
  }

  Napi::Promise Promise() { return deferred_.Promise(); }

 protected:
  // Off the JS thread: only libbpf calls on an object the JS side cannot use while state is kLoading.
  void Execute() override {
    WarningCapture capture;
    int ret = bpf_object__load(object_);
    if (ret == 0) return;
    failure_.errnum = ErrnoFromResult(ret);
    failure_.message = "loading '" + wrap_->path_ + "' failed: " + strerror(failure_.errnum);
    DescribeLoadFailure(capture.lines(), &failure_);
    SetError(failure_.message);
  }

  void OnOK() override {
    wrap_->state_ = BpfObjectWrap::State::kLoaded;
    wrap_->FinishLoad();
    deferred_.Resolve(Env().Undefined());
  }

  void OnError(const Napi::Error&) override {
    wrap_->state_ = BpfObjectWrap::State::kOpened;
    wrap_->FinishLoad();
    deferred_.Reject(MakeBpfError(Env(), failure_).Value());
  }

 private:
  Napi::Promise::Deferred deferred_;
  Napi::ObjectReference receiver_;
  BpfObjectWrap* wrap_;
  struct bpf_object* object_;
  Failure failure_;
};

Napi::Function BpfObjectWrap::DefineClass(Napi::Env env) {
  return ObjectWrap::DefineClass(env, "NativeBpfObject",
                                 {
                                     InstanceMethod<&BpfObjectWrap::Name>("name"),
                                     InstanceMethod<&BpfObjectWrap::SetGlobalU64>("setGlobalU64"),
                                     InstanceMethod<&BpfObjectWrap::Load>("load"),
                                     InstanceMethod<&BpfObjectWrap::AttachAll>("attachAll"),
                                     InstanceMethod<&BpfObjectWrap::Programs>("programs"),
                                     InstanceMethod<&BpfObjectWrap::Maps>("maps"),
                                     InstanceMethod<&BpfObjectWrap::MapInfo>("mapInfo"),
                                     InstanceMethod<&BpfObjectWrap::MapTypes>("mapTypes"),
                                     InstanceMethod<&BpfObjectWrap::MapRead>("mapRead"),
                                     InstanceMethod<&BpfObjectWrap::MapLookup>("mapLookup"),
                                     InstanceMethod<&BpfObjectWrap::MapUpdate>("mapUpdate"),
                                     InstanceMethod<&BpfObjectWrap::MapDelete>("mapDelete"),
                                     InstanceMethod<&BpfObjectWrap::OpenPerfBuffer>("openPerfBuffer"),
                                     InstanceMethod<&BpfObjectWrap::OpenRingBuffer>("openRingBuffer"),
                                     InstanceMethod<&BpfObjectWrap::CloseEventBuffer>("closeEventBuffer"),
                                     InstanceMethod<&BpfObjectWrap::Close>("close"),
                                 });
}

BpfObjectWrap::BpfObjectWrap(const Napi::CallbackInfo& info) : ObjectWrap(info) {
  Napi::Env env = info.Env();
  path_ = StringArg(info, 0);
  std::string btf_path = info[1].IsString() ? info[1].As<Napi::String>().Utf8Value() : "";
  LIBBPF_OPTS(bpf_object_open_opts, opts, .btf_custom_path = btf_path.empty() ? nullptr : btf_path.c_str());
  WarningCapture capture;
  object_ = bpf_object__open_file(path_.c_str(), &opts);
  if (object_ == nullptr) {
    int errnum = errno;
    std::string reason = capture.LastLine();
    Throw(env, errnum, "opening '" + path_ + "' failed: " + (reason.empty() ? strerror(errnum) : reason),
          ErrorSubject{path_, "", ""});
  }
}

BpfObjectWrap::~BpfObjectWrap() { Destroy(); }

void BpfObjectWrap::Destroy() {
  event_buffers_.clear();
  for (auto& [prog, state] : programs_) {
    for (struct bpf_link* link : state.links) bpf_link__destroy(link);
  }
  programs_.clear();
  if (object_ != nullptr) bpf_object__close(object_);
  object_ = nullptr;
  state_ = State::kClosed;
}

void BpfObjectWrap::FinishLoad() {
  if (close_when_loaded_) Destroy();
}

ErrorSubject BpfObjectWrap::Subject() const {
  return ErrorSubject{object_ != nullptr ? bpf_object__name(object_) : path_, "", ""};
}

void BpfObjectWrap::Throw(Napi::Env env, int errnum, const std::string& message, ErrorSubject subject) const {
  throw MakeBpfError(env, Failure{errnum, message, std::move(subject)});
}

void BpfObjectWrap::RequireState(Napi::Env env, State wanted, const char* action) const {
  if (state_ == wanted) return;
  const char* why = state_ == State::kClosed    ? "the object is closed"
                    : state_ == State::kLoading ? "the object is still loading"
                    : state_ == State::kLoaded  ? "the object is already loaded"
                                                : "the object is not loaded yet: call load() first";
  int errnum = state_ == State::kClosed ? EBADF : state_ == State::kLoading ? EBUSY : EINVAL;
  Throw(env, errnum, std::string("cannot ") + action + ": " + why, Subject());
}

Napi::Value BpfObjectWrap::Name(const Napi::CallbackInfo& info) {
  return Napi::String::New(info.Env(), Subject().object);
}

Napi::Value BpfObjectWrap::SetGlobalU64(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  RequireState(env, State::kOpened, "set a global variable");
  std::string name = StringArg(info, 0);
  bool lossless = false;
  if (!info[1].IsBigInt()) throw Napi::TypeError::New(env, "expected a bigint value");
  uint64_t value = info[1].As<Napi::BigInt>().Uint64Value(&lossless);

  // `const volatile` globals live in internal maps (.rodata) whose BTF DATASEC lists each variable's offset.
  const struct btf* btf = bpf_object__btf(object_);
  struct bpf_map* map;
  bpf_object__for_each_map(map, object_) {
    if (btf == nullptr || !bpf_map__is_internal(map)) continue;
    const struct btf_type* section = btf__type_by_id(btf, bpf_map__btf_value_type_id(map));
    if (section == nullptr || !btf_is_datasec(section)) continue;
    const struct btf_var_secinfo* vars = btf_var_secinfos(section);
    for (int i = 0; i < btf_vlen(section); i++) {
      const struct btf_type* var = btf__type_by_id(btf, vars[i].type);
      if (var == nullptr || name != btf__name_by_offset(btf, var->name_off)) continue;
      ErrorSubject subject = Subject();
      subject.map = bpf_map__name(map);
      if (vars[i].size != sizeof(uint64_t)) {
        Throw(env, EINVAL, "global '" + name + "' is " + std::to_string(vars[i].size) + " bytes, not a u64", subject);
      }
      size_t size = 0;
      const auto* current = static_cast<const uint8_t*>(bpf_map__initial_value(map, &size));
      if (current == nullptr || vars[i].offset + sizeof(uint64_t) > size) {
        Throw(env, EINVAL, "global '" + name + "' has no initial value to set", subject);
      }
      std::vector<uint8_t> data(current, current + size);
      memcpy(data.data() + vars[i].offset, &value, sizeof(value));
      int ret = bpf_map__set_initial_value(map, data.data(), data.size());
      if (ret != 0) Throw(env, ErrnoFromResult(ret), "setting global '" + name + "' failed", subject);
      return env.Undefined();
    }
  }
  Throw(env, ENOENT, "no global variable '" + name + "' in " + Subject().object, Subject());
}

Napi::Value BpfObjectWrap::Load(const Napi::CallbackInfo& info) {
  RequireState(info.Env(), State::kOpened, "load");
  state_ = State::kLoading;
  auto* worker = new LoadWorker(info.This().As<Napi::Object>(), this);
  Napi::Promise promise = worker->Promise();
  worker->Queue();
  return promise;
}

Napi::Value BpfObjectWrap::AttachAll(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  RequireState(env, State::kLoaded, "attach");
  struct bpf_program* prog;
  bpf_object__for_each_program(prog, object_) {
    ProgramState& state = programs_[prog];
    if (!state.links.empty() || !bpf_program__autoload(prog) || !bpf_program__autoattach(prog)) continue;
    state.attach_error.reset();
    Failure failure{0, "", Subject()};
    failure.subject.program = bpf_program__name(prog);
    const char* section = bpf_program__section_name(prog);
    WarningCapture capture;
    if (IsPerfEventSection(section)) {
      if (AttachPerfEventOnEveryCpu(prog, &state.links, &failure)) continue;
    } else {
      struct bpf_link* link = bpf_program__attach(prog);
      if (link != nullptr) {
        state.links.push_back(link);
        continue;
      }
      failure.errnum = errno;
      std::string reason = capture.LastLine();
      failure.message = reason.empty() ? "attaching program '" + failure.subject.program + "' (SEC(\"" + section +
                                             "\")) failed: " + strerror(failure.errnum)
                                       : reason;
    }
    state.attach_error = failure;
  }
  return Programs(info);
}

Napi::Object BpfObjectWrap::ProgramInfo(Napi::Env env, const struct bpf_program* prog) {
  Napi::Object result = Napi::Object::New(env);
  result.Set("name", bpf_program__name(prog));
  result.Set("section", bpf_program__section_name(prog));
  struct bpf_prog_info prog_info = {};
  __u32 length = sizeof(prog_info);
  int fd = bpf_program__fd(prog);
  bool have_info = fd >= 0 && bpf_obj_get_info_by_fd(fd, &prog_info, &length) == 0;
  result.Set("id", have_info ? prog_info.id : 0);
  result.Set("tag", have_info ? HexTag(prog_info.tag) : "");
  const ProgramState* state = programs_.count(prog) != 0 ? &programs_.at(prog) : nullptr;
  result.Set("attached", state != nullptr && !state->links.empty());
  if (state != nullptr && state->attach_error) {
    Napi::Object error = Napi::Object::New(env);
    error.Set("code", ErrnoName(state->attach_error->errnum));
    error.Set("errno", state->attach_error->errnum);
    error.Set("message", state->attach_error->message);
    result.Set("error", error);
  }
  result.Set("runTimeNs", Napi::BigInt::New(env, static_cast<uint64_t>(have_info ? prog_info.run_time_ns : 0)));
  result.Set("runCount", Napi::BigInt::New(env, static_cast<uint64_t>(have_info ? prog_info.run_cnt : 0)));
  return result;
}

Napi::Value BpfObjectWrap::Programs(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (state_ == State::kClosed) RequireState(env, State::kLoaded, "list programs");
  Napi::Array result = Napi::Array::New(env);
  struct bpf_program* prog;
  uint32_t index = 0;
  bpf_object__for_each_program(prog, object_) { result.Set(index++, ProgramInfo(env, prog)); }
  return result;
}

Napi::Value BpfObjectWrap::Maps(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (state_ == State::kClosed) RequireState(env, State::kLoaded, "list maps");
  Napi::Array result = Napi::Array::New(env);
  struct bpf_map* map;
  uint32_t index = 0;
  bpf_object__for_each_map(map, object_) { result.Set(index++, MapInfoToJs(env, DescribeMap(map))); }
  return result;
}

struct bpf_map* BpfObjectWrap::LoadedMap(Napi::Env env, const Napi::Value& name_value) const {
  if (!name_value.IsString()) throw Napi::TypeError::New(env, "expected a map name");
  std::string name = name_value.As<Napi::String>().Utf8Value();
  ErrorSubject subject = Subject();
  subject.map = name;
  if (state_ != State::kLoaded) {
    RequireState(env, State::kLoaded, ("use map '" + name + "'").c_str());
  }
  struct bpf_map* map = bpf_object__find_map_by_name(object_, name.c_str());
  if (map == nullptr) Throw(env, ENOENT, "no map '" + name + "' in " + subject.object, subject);
  if (bpf_map__fd(map) < 0) Throw(env, EBADF, "map '" + name + "' was not created by load()", subject);
  return map;
}

// Reads only the object's BTF, which libbpf parses at open: usable before load, so --config.check and
// the scaffold need no kernel.
Napi::Value BpfObjectWrap::MapTypes(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (state_ == State::kClosed) RequireState(env, State::kLoaded, "list map types");
  const struct btf* btf = bpf_object__btf(object_);
  Napi::Array result = Napi::Array::New(env);
  struct bpf_map* map;
  uint32_t index = 0;
  bpf_object__for_each_map(map, object_) { result.Set(index++, MapTypesToJs(env, map, btf)); }
  return result;
}

Napi::Value BpfObjectWrap::MapInfo(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (state_ == State::kClosed) RequireState(env, State::kLoaded, "use a map");
  std::string name = StringArg(info, 0);
  struct bpf_map* map = bpf_object__find_map_by_name(object_, name.c_str());
  if (map == nullptr) Throw(env, ENOENT, "no map '" + name + "' in " + Subject().object, {Subject().object, "", name});
  return MapInfoToJs(env, DescribeMap(map));
}

Napi::Value BpfObjectWrap::MapRead(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  struct bpf_map* map = LoadedMap(env, info[0]);
  MapLayout layout = DescribeMap(map);
  ErrorSubject subject{Subject().object, "", layout.name};
  int fd = fcntl(bpf_map__fd(map), F_DUPFD_CLOEXEC, 0);
  if (fd < 0) Throw(env, errno, "duplicating the fd of map '" + layout.name + "' failed", subject);
  ReadRequest request;
  request.method = info[1].ToBoolean() ? ReadMethod::kIterate : ReadMethod::kAuto;
  request.batch_size = info[2].IsNumber() ? info[2].As<Napi::Number>().Uint32Value() : 0;
  request.max_entries = info[3].IsNumber() ? info[3].As<Napi::Number>().Uint32Value() : 0;
  return ReadMapAsync(env, fd, layout, std::move(subject), request);
}

Napi::Value BpfObjectWrap::MapLookup(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  struct bpf_map* map = LoadedMap(env, info[0]);
  MapLayout layout = DescribeMap(map);
  Napi::Uint8Array key = BytesArg(info, 1);
  ErrorSubject subject{Subject().object, "", layout.name};
  if (key.ByteLength() != layout.key_size) Throw(env, EINVAL, "key size mismatch", subject);
  auto value = Napi::Buffer<uint8_t>::New(env, layout.value_bytes());
  int ret = bpf_map_lookup_elem(bpf_map__fd(map), key.Data(), value.Data());
  if (ret == -ENOENT) return env.Undefined();
  if (ret < 0) Throw(env, -ret, "lookup in map '" + layout.name + "' failed", subject);
  return value;
}

Napi::Value BpfObjectWrap::MapUpdate(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  struct bpf_map* map = LoadedMap(env, info[0]);
  MapLayout layout = DescribeMap(map);
  Napi::Uint8Array key = BytesArg(info, 1);
  Napi::Uint8Array value = BytesArg(info, 2);
  ErrorSubject subject{Subject().object, "", layout.name};
  if (key.ByteLength() != layout.key_size || value.ByteLength() != layout.value_bytes()) {
    Throw(env, EINVAL, "key or value size mismatch", subject);
  }
  __u64 flags = info[3].IsNumber() ? static_cast<__u64>(info[3].As<Napi::Number>().Int64Value()) : __u64{BPF_ANY};
  int ret = bpf_map_update_elem(bpf_map__fd(map), key.Data(), value.Data(), flags);
  if (ret < 0) Throw(env, -ret, "update of map '" + layout.name + "' failed: " + strerror(-ret), subject);
  return env.Undefined();
}

Napi::Value BpfObjectWrap::MapDelete(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  struct bpf_map* map = LoadedMap(env, info[0]);
  MapLayout layout = DescribeMap(map);
  Napi::Uint8Array key = BytesArg(info, 1);
  ErrorSubject subject{Subject().object, "", layout.name};
  if (key.ByteLength() != layout.key_size) Throw(env, EINVAL, "key size mismatch", subject);
  int ret = bpf_map_delete_elem(bpf_map__fd(map), key.Data());
  if (ret == -ENOENT) return Napi::Boolean::New(env, false);
  if (ret < 0) Throw(env, -ret, "delete from map '" + layout.name + "' failed: " + strerror(-ret), subject);
  return Napi::Boolean::New(env, true);
}

Napi::Value BpfObjectWrap::AddEventBuffer(Napi::Env env, std::unique_ptr<EventBuffer> buffer, const Failure& failure) {
  if (!buffer) throw MakeBpfError(env, failure);
  int id = next_event_buffer_id_++;
  event_buffers_[id] = std::move(buffer);
  return Napi::Number::New(env, id);
}

Napi::Value BpfObjectWrap::OpenPerfBuffer(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  struct bpf_map* map = LoadedMap(env, info[0]);
  Failure failure{0, "", {Subject().object, "", bpf_map__name(map)}};
  if (bpf_map__type(map) != BPF_MAP_TYPE_PERF_EVENT_ARRAY) {
    Throw(env, EINVAL, std::string("map '") + bpf_map__name(map) + "' is not a perf_event_array", failure.subject);
  }
  size_t pages = info[1].As<Napi::Number>().Uint32Value();
  auto buffer =
      EventBuffer::OpenPerf(env, bpf_map__fd(map), pages, FunctionArg(info, 2), FunctionArg(info, 3), &failure);
  return AddEventBuffer(env, std::move(buffer), failure);
}

Napi::Value BpfObjectWrap::OpenRingBuffer(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  struct bpf_map* map = LoadedMap(env, info[0]);
  Failure failure{0, "", {Subject().object, "", bpf_map__name(map)}};
  if (bpf_map__type(map) != BPF_MAP_TYPE_RINGBUF) {
    Throw(env, EINVAL, std::string("map '") + bpf_map__name(map) + "' is not a ringbuf", failure.subject);
  }
  auto buffer = EventBuffer::OpenRing(env, bpf_map__fd(map), FunctionArg(info, 1), FunctionArg(info, 2), &failure);
  return AddEventBuffer(env, std::move(buffer), failure);
}

Napi::Value BpfObjectWrap::CloseEventBuffer(const Napi::CallbackInfo& info) {
  event_buffers_.erase(info[0].As<Napi::Number>().Int32Value());
  return info.Env().Undefined();
}

Napi::Value BpfObjectWrap::Close(const Napi::CallbackInfo& info) {
  if (state_ == State::kLoading) {
    close_when_loaded_ = true;
  } else {
    Destroy();
  }
  return info.Env().Undefined();
}

}  // namespace bpf_native
