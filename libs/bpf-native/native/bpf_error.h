// Turns libbpf failures (-errno returns, or NULL with errno set) into the JS BpfError class.
#pragma once

#include <napi.h>

#include <functional>
#include <string>

namespace bpf_native {

// What a failure concerns; empty fields are left off the JS error.
struct ErrorSubject {
  std::string object;
  std::string program;
  std::string map;
};

// A failure captured off the JS thread, turned into a BpfError once back on it.
struct Failure {
  int errnum = 0;
  std::string message;
  ErrorSubject subject;
};

// 'ENOENT' for 2; libbpf's kernel-internal codes (ENOTSUPP = 524) by name too.
std::string ErrnoName(int errnum);

// Remembers the JS BpfError constructor (set once by the TypeScript loader).
void SetErrorClass(Napi::Env env, Napi::Function ctor);

// A BpfError with code/errno/object/program/map; message defaults to strerror(errnum).
Napi::Error MakeBpfError(Napi::Env env, const Failure& failure);

// Runs `deliver` (which builds arguments and calls into JS) from a thread-safe function's callback. No C++
// exception may leave such a callback (it would terminate the process): an exception of the JS callback is
// handed back to JS, where it is an uncaught exception as usual; at environment teardown, when no JS can run
// any more, the delivery is dropped.
void DeliverToJs(Napi::Env env, const std::function<void()>& deliver);

// Normalises libbpf's two error conventions: a negative return value, or errno after a NULL.
inline int ErrnoFromResult(int result) { return result < 0 ? -result : result; }

}  // namespace bpf_native
