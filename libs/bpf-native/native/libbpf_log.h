// Routes libbpf's print callback to a JS handler through a thread-safe function, because libbpf logs from
// whichever thread calls it (object load and map reads run on libuv worker threads).
#pragma once

#include <napi.h>

#include <string>
#include <vector>

namespace bpf_native {

// Installs our libbpf_set_print callback; called once when the module registers.
void InstallLibbpfPrint();

// setLogHandler(fn | null): without a handler, warnings and info go to stderr as libbpf would print them.
Napi::Value SetLogHandler(const Napi::CallbackInfo& info);

// Hands a warning line to the WarningCapture active on this thread, if any.
void Capture(const std::string& line);

// Collects the warning lines libbpf prints on the current thread while alive, so an error can carry
// libbpf's own reason (e.g. why one program failed to attach, the verifier's last words).
class WarningCapture {
 public:
  WarningCapture();
  ~WarningCapture();
  WarningCapture(const WarningCapture&) = delete;
  WarningCapture& operator=(const WarningCapture&) = delete;

  const std::vector<std::string>& lines() const { return lines_; }
  // The last captured line, without libbpf's "libbpf: " prefix; empty if none.
  std::string LastLine() const;

 private:
  friend void Capture(const std::string& line);
  std::vector<std::string> lines_;
  WarningCapture* previous_;
};

}  // namespace bpf_native
