#include "libbpf_log.h"

#include <bpf/libbpf.h>
#include <stdarg.h>
#include <stdio.h>

#include <memory>
#include <mutex>
#include <optional>

namespace bpf_native {

namespace {

struct LogLine {
  const char* level;
  std::string message;
};

std::mutex handler_mutex;
std::optional<Napi::ThreadSafeFunction> handler;
thread_local WarningCapture* current_capture = nullptr;

const char* LevelName(enum libbpf_print_level level) {
  switch (level) {
    case LIBBPF_WARN:
      return "warn";
    case LIBBPF_INFO:
      return "info";
    default:
      return "debug";
  }
}

std::string Format(const char* format, va_list args) {
  va_list copy;
  va_copy(copy, args);
  int length = vsnprintf(nullptr, 0, format, copy);
  va_end(copy);
  if (length <= 0) return {};
  std::string text(static_cast<size_t>(length) + 1, '\0');
  vsnprintf(text.data(), text.size(), format, args);
  text.resize(static_cast<size_t>(length));
  while (!text.empty() && text.back() == '\n') text.pop_back();
  return text;
}

void DeliverToJs(Napi::Env env, Napi::Function callback, LogLine* line) {
  std::unique_ptr<LogLine> owned(line);
  if (env == nullptr || callback.IsEmpty()) return;
  callback.Call({Napi::String::New(env, owned->level), Napi::String::New(env, owned->message)});
}

int Print(enum libbpf_print_level level, const char* format, va_list args) {
  std::string message = Format(format, args);
  if (level == LIBBPF_WARN) Capture(message);

  std::lock_guard<std::mutex> lock(handler_mutex);
  if (!handler) {
    if (level != LIBBPF_DEBUG) fprintf(stderr, "%s\n", message.c_str());
    return 0;
  }
  auto* line = new LogLine{LevelName(level), std::move(message)};
  if (handler->NonBlockingCall(line, DeliverToJs) != napi_ok) delete line;
  return 0;
}

void ReleaseHandler() {
  std::lock_guard<std::mutex> lock(handler_mutex);
  if (handler) handler->Release();
  handler.reset();
}

// Which setLogHandler call the current handler came from.
uint64_t handler_generation = 0;

}  // namespace

void Capture(const std::string& line) {
  if (current_capture != nullptr) current_capture->lines_.push_back(line);
}

WarningCapture::WarningCapture() : previous_(current_capture) { current_capture = this; }

WarningCapture::~WarningCapture() { current_capture = previous_; }

std::string WarningCapture::LastLine() const {
  if (lines_.empty()) return {};
  const std::string& line = lines_.back();
  const std::string prefix = "libbpf: ";
  return line.compare(0, prefix.size(), prefix) == 0 ? line.substr(prefix.size()) : line;
}

void InstallLibbpfPrint() { libbpf_set_print(Print); }

Napi::Value SetLogHandler(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  ReleaseHandler();
  if (info[0].IsFunction()) {
    std::lock_guard<std::mutex> lock(handler_mutex);
    uint64_t generation = ++handler_generation;
    // Node finalizes the function itself at exit: forget it then, so no thread calls into freed memory.
    auto forget = [generation](Napi::Env) {
      std::lock_guard<std::mutex> finalizer_lock(handler_mutex);
      if (handler_generation == generation) handler.reset();
    };
    handler = Napi::ThreadSafeFunction::New(env, info[0].As<Napi::Function>(), "libbpf-log", 0, 1, forget);
    // Logging must never keep the process alive on its own.
    handler->Unref(env);
  }
  return env.Undefined();
}

}  // namespace bpf_native
