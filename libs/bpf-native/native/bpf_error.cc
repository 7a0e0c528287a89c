#include "bpf_error.h"

#include <bpf/libbpf.h>
#include <string.h>

namespace bpf_native {

namespace {

// libbpf passes on kernel-internal errno values that glibc has no name for.
constexpr int kEnotsupp = 524;

struct AddonData {
  Napi::FunctionReference error_class;
};

// libbpf's own codes (enum libbpf_errno in libbpf.h, from LIBBPF_ERRNO__LIBELF = 4000), named after the enum.
const char* LibbpfErrnoName(int errnum) {
  static const char* const names[] = {"LIBELF", "FORMAT",   "KVERSION", "ENDIAN",   "INTERNAL", "RELOC",  "LOAD",
                                      "VERIFY", "PROG2BIG", "KVER",     "PROGTYPE", "WRNGPID",  "INVSEQ", "NLPARSE"};
  int index = errnum - LIBBPF_ERRNO__LIBELF;
  return index >= 0 && index < static_cast<int>(sizeof(names) / sizeof(names[0])) ? names[index] : nullptr;
}

}  // namespace

std::string ErrnoName(int errnum) {
  if (errnum == kEnotsupp) return "ENOTSUPP";
  if (const char* libbpf_name = LibbpfErrnoName(errnum)) return std::string("LIBBPF_ERRNO__") + libbpf_name;
  const char* name = strerrorname_np(errnum);
  return name != nullptr ? name : "E" + std::to_string(errnum);
}

void SetErrorClass(Napi::Env env, Napi::Function ctor) {
  auto* data = env.GetInstanceData<AddonData>();
  if (data == nullptr) {
    data = new AddonData();
    env.SetInstanceData(data);
  }
  data->error_class = Napi::Persistent(ctor);
}

Napi::Error MakeBpfError(Napi::Env env, const Failure& failure) {
  std::string message = failure.message;
  if (message.empty()) {
    char text[256];
    message = libbpf_strerror(failure.errnum, text, sizeof(text)) == 0 ? text : strerror(failure.errnum);
  }
  Napi::Object details = Napi::Object::New(env);
  details.Set("code", ErrnoName(failure.errnum));
  details.Set("errno", failure.errnum);
  if (!failure.subject.object.empty()) details.Set("object", failure.subject.object);
  if (!failure.subject.program.empty()) details.Set("program", failure.subject.program);
  if (!failure.subject.map.empty()) details.Set("map", failure.subject.map);

  auto* data = env.GetInstanceData<AddonData>();
  if (data == nullptr || data->error_class.IsEmpty()) {
    // Only reachable if the addon is used without the TypeScript facade: keep the details anyway.
    Napi::Error error = Napi::Error::New(env, message);
    for (const auto& key : {"code", "errno", "object", "program", "map"}) {
      if (details.Has(key)) error.Value().Set(key, details.Get(key));
    }
    return error;
  }
  Napi::Object error = data->error_class.New({Napi::String::New(env, message), details});
  return Napi::Error(env, error);
}

void DeliverToJs(Napi::Env env, const std::function<void()>& deliver) {
  try {
    deliver();
  } catch (const Napi::Error& error) {
    // Not ThrowAsJavaScriptException(): that throws again in C++ when JS cannot take the exception.
    napi_throw(env, error.Value());
  }
}

}  // namespace bpf_native
