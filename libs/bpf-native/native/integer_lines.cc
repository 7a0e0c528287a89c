#include "integer_lines.h"

#include <string.h>

#include <cmath>

namespace bpf_native {

namespace {

// Below this an integer prints as its plain digits in both dialects (Go's %g switches to exponents at 1e6),
// so at most 6 digits; the JS side counts 7 for a line's bound, and so does this one, to cut chunks alike.
constexpr double kPlainIntegerLimit = 1e6;
constexpr size_t kDigitsBound = 7;

template <typename T>
T ArrayArg(const Napi::CallbackInfo& info, size_t index, const char* what) {
  if (!info[index].IsTypedArray()) throw Napi::TypeError::New(info.Env(), std::string("writeIntegerLines: ") + what);
  return info[index].As<T>();
}

size_t WriteDigits(uint8_t* out, uint32_t value) {
  uint8_t digits[kDigitsBound];
  size_t count = 0;
  do {
    digits[count++] = static_cast<uint8_t>('0' + value % 10);
    value /= 10;
  } while (value > 0);
  for (size_t i = 0; i < count; i++) out[i] = digits[count - 1 - i];
  return count;
}

}  // namespace

Napi::Value WriteIntegerLines(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  auto chunk = ArrayArg<Napi::Uint8Array>(info, 0, "chunk must be a Uint8Array");
  size_t size = info[1].As<Napi::Number>().Uint32Value();
  auto labelled = ArrayArg<Napi::Uint8Array>(info, 2, "labelled must be a Uint8Array");
  auto bare = ArrayArg<Napi::Uint8Array>(info, 3, "bare must be a Uint8Array");
  auto suffix = ArrayArg<Napi::Uint8Array>(info, 4, "suffix must be a Uint8Array");
  auto arena = ArrayArg<Napi::Uint8Array>(info, 5, "arena must be a Uint8Array");
  auto starts = ArrayArg<Napi::Int32Array>(info, 6, "starts must be an Int32Array");
  auto ends = ArrayArg<Napi::Int32Array>(info, 7, "ends must be an Int32Array");
  auto values = ArrayArg<Napi::Float64Array>(info, 8, "values must be a Float64Array");
  auto cursor = ArrayArg<Napi::Int32Array>(info, 9, "cursor must be an Int32Array");
  size_t count = values.ElementLength();
  if (size > chunk.ByteLength() || starts.ElementLength() < count || ends.ElementLength() < count ||
      cursor.ElementLength() < 2 || cursor[0] < 0 || cursor[1] < 0) {
    throw Napi::RangeError::New(env, "writeIntegerLines: arguments out of range");
  }
  uint8_t* out = chunk.Data();
  const uint8_t* text = arena.Data();
  size_t arena_bytes = arena.ByteLength();
  size_t i = static_cast<size_t>(cursor[0]);
  size_t at = static_cast<size_t>(cursor[1]);
  for (; i < count; i++) {
    double value = values[i];
    // The same test as isPlainInteger() in JS: NaN fails the comparisons, -0 passes and prints as 0.
    if (!(value >= 0 && value < kPlainIntegerLimit) || std::floor(value) != value) break;
    int32_t start = starts[i], end = ends[i];
    if (start < 0 || end < start || static_cast<size_t>(end) > arena_bytes) {
      throw Napi::RangeError::New(env, "writeIntegerLines: a label text lies outside the arena");
    }
    size_t label_bytes = static_cast<size_t>(end - start);
    if (at + labelled.ByteLength() + label_bytes + 2 + kDigitsBound + suffix.ByteLength() + 1 > size) break;
    if (label_bytes == 0) {
      memcpy(out + at, bare.Data(), bare.ByteLength());
      at += bare.ByteLength();
    } else {
      memcpy(out + at, labelled.Data(), labelled.ByteLength());
      at += labelled.ByteLength();
      memcpy(out + at, text + start, label_bytes);
      at += label_bytes;
      out[at++] = '}';
      out[at++] = ' ';
    }
    at += WriteDigits(out + at, static_cast<uint32_t>(value));
    memcpy(out + at, suffix.Data(), suffix.ByteLength());
    at += suffix.ByteLength();
    out[at++] = '\n';
  }
  cursor[0] = static_cast<int32_t>(i);
  cursor[1] = static_cast<int32_t>(at);
  return env.Undefined();
}

}  // namespace bpf_native
