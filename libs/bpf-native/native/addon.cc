// Registers the bpf_native module: the NativeBpfObject class and the process-wide libbpf settings.
#include <bpf/libbpf.h>
#include <malloc.h>
#include <napi.h>

#include <mutex>

#include "bpf_error.h"
#include "bpf_object.h"
#include "capabilities.h"
#include "cgroup_watch.h"
#include "integer_lines.h"
#include "libbpf_log.h"
#include "sd_notify.h"
#include "section_handlers.h"

// An empty function BPF programs can hook with `uprobe/<addon path>:post_attach_mark` to run one-shot
// initialisation once the exporter has attached everything. noinline + an empty asm keep it a real symbol.
extern "C" __attribute__((visibility("default"), noinline)) void post_attach_mark(void) { asm volatile(""); }

namespace bpf_native {
namespace {

Napi::Value SetErrorClassJs(const Napi::CallbackInfo& info) {
  if (!info[0].IsFunction()) throw Napi::TypeError::New(info.Env(), "expected the BpfError class");
  SetErrorClass(info.Env(), info[0].As<Napi::Function>());
  return info.Env().Undefined();
}

Napi::Value LibbpfVersion(const Napi::CallbackInfo& info) {
  return Napi::String::New(info.Env(), libbpf_version_string());
}

Napi::Value LibbpfMajorVersion(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), libbpf_major_version());
}

// Returns the free pages inside malloc's heaps to the kernel. glibc gives back only the free top of its
// main heap by itself, so the pages of blocks freed between live ones (a scrape's buffers are freed by the
// garbage collector in any order) stayed resident: RSS over 1,000 scrapes of a 10k map rose by 5-8%
// before levelling off, and by 1.5-4% with a trim after every scrape (bench/). Takes 0.1-1 ms.
Napi::Value ReleaseFreeMemory(const Napi::CallbackInfo& info) {
  return Napi::Boolean::New(info.Env(), malloc_trim(0) == 1);
}

Napi::Value PostAttachMark(const Napi::CallbackInfo& info) {
  post_attach_mark();
  return info.Env().Undefined();
}

}  // namespace

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  // libbpf's handler registry is process-wide: register once even if several worker threads load us.
  static std::once_flag handlers_once;
  static int handlers_result = 0;
  std::call_once(handlers_once, [] {
    handlers_result = RegisterSectionHandlers();
    // Every scrape of a big map allocates buffers of megabytes (the map read, the exposition on its way to
    // the socket). glibc serves a block above its mmap threshold with its own mapping, unmapped when freed,
    // but raises the threshold to the size of each such block freed, so from the second scrape on these
    // buffers came from the heap, which does not shrink: RSS at 1M series grew from 205 to 360 MB over ten
    // scrapes. Setting the threshold fixes it at this value and turns that adjustment off.
    mallopt(M_MMAP_THRESHOLD, 256 * 1024);
  });
  if (handlers_result < 0) {
    throw Napi::Error::New(
        env, "registering the perf_event/, xdp/ and post_attach_mark section handlers with libbpf failed");
  }
  InstallLibbpfPrint();
  exports.Set("NativeBpfObject", BpfObjectWrap::DefineClass(env));
  exports.Set("setErrorClass", Napi::Function::New<SetErrorClassJs>(env));
  exports.Set("setLogHandler", Napi::Function::New<SetLogHandler>(env));
  exports.Set("libbpfVersion", Napi::Function::New<LibbpfVersion>(env));
  exports.Set("libbpfMajorVersion", Napi::Function::New<LibbpfMajorVersion>(env));
  exports.Set("releaseFreeMemory", Napi::Function::New<ReleaseFreeMemory>(env));
  exports.Set("postAttachMark", Napi::Function::New<PostAttachMark>(env));
  exports.Set("dropCapabilities", Napi::Function::New<DropCapabilities>(env));
  exports.Set("sdNotify", Napi::Function::New<SdNotify>(env));
  exports.Set("CgroupWatch", CgroupWatchWrap::DefineClass(env));
  exports.Set("writeIntegerLines", Napi::Function::New<WriteIntegerLines>(env));
  return exports;
}

}  // namespace bpf_native

static Napi::Object InitBpfNative(Napi::Env env, Napi::Object exports) { return bpf_native::Init(env, exports); }

NODE_API_MODULE(bpf_native, InitBpfNative)
