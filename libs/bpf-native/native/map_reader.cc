#include "map_reader.h"

#include <bpf/bpf.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <algorithm>
#include <vector>

namespace bpf_native {

namespace {

constexpr int kEnotsupp = 524;
// First allocation for a read; grows by doubling up to max_entries. Bounded in bytes so a per-CPU map on a
// many-CPU machine does not allocate hundreds of MiB for a few entries.
constexpr size_t kInitialReadBytes = 4 << 20;
constexpr size_t kMinInitialEntries = 256;
// Room past a read's cap: a batch returns whole hash buckets, so a bucket that straddles the cap needs more
// room than is left below it; the entries past the cap are dropped once read.
constexpr size_t kCapSlackEntries = 256;

// malloc'd key and value arrays handed to JS as Buffers without a copy.
class DumpBuffers {
 public:
  DumpBuffers(size_t key_size, size_t value_bytes) : key_size_(key_size), value_bytes_(value_bytes) {}
  ~DumpBuffers() {
    free(keys_);
    free(values_);
  }
  DumpBuffers(const DumpBuffers&) = delete;
  DumpBuffers& operator=(const DumpBuffers&) = delete;

  bool Reserve(size_t entries) {
    if (entries <= capacity_) return true;
    auto* keys = static_cast<uint8_t*>(realloc(keys_, std::max<size_t>(1, entries * key_size_)));
    if (keys == nullptr) return false;
    keys_ = keys;
    auto* values = static_cast<uint8_t*>(realloc(values_, std::max<size_t>(1, entries * value_bytes_)));
    if (values == nullptr) return false;
    values_ = values;
    capacity_ = entries;
    return true;
  }

  uint8_t* key_at(size_t index) { return keys_ + index * key_size_; }
  uint8_t* value_at(size_t index) { return values_ + index * value_bytes_; }
  size_t capacity() const { return capacity_; }
  size_t count = 0;

  Napi::Buffer<uint8_t> TakeKeys(Napi::Env env) { return Take(env, &keys_, count * key_size_); }
  Napi::Buffer<uint8_t> TakeValues(Napi::Env env) { return Take(env, &values_, count * value_bytes_); }

 private:
  static Napi::Buffer<uint8_t> Take(Napi::Env env, uint8_t** data, size_t length) {
    if (length == 0) return Napi::Buffer<uint8_t>::New(env, 0);
    // Give back the unused tail of the read buffer: glibc shrinks in place (or with mremap), without a copy.
    auto* owned = static_cast<uint8_t*>(realloc(*data, length));
    if (owned == nullptr) owned = *data;
    *data = nullptr;
    return Napi::Buffer<uint8_t>::NewOrCopy(env, owned, length, [](Napi::Env, uint8_t* p) { free(p); });
  }

  size_t key_size_;
  size_t value_bytes_;
  uint8_t* keys_ = nullptr;
  uint8_t* values_ = nullptr;
  size_t capacity_ = 0;
};

bool BatchRefused(int errnum) { return errnum == EINVAL || errnum == kEnotsupp || errnum == EOPNOTSUPP; }

class MapReadWorker : public Napi::AsyncWorker {
 public:
  MapReadWorker(Napi::Env env, int fd, const MapLayout& layout, ErrorSubject subject, ReadRequest request)
      : Napi::AsyncWorker(env, "bpf-map-read"),
        deferred_(Napi::Promise::Deferred::New(env)),
        fd_(fd),
        layout_(layout),
        request_(request),
        dump_(layout.key_size, layout.value_bytes()) {
    failure_.subject = std::move(subject);
    // Reserved here, on the JS thread: a buffer below the mmap threshold then comes from the main heap,
    // where its finalizer frees it and malloc_trim gives it back, not from the arena of whichever libuv
    // worker ran the read (one arena per worker, each fragmenting on its own).
    size_t entry_bytes = layout_.key_size + layout_.value_bytes();
    size_t initial = std::max(kMinInitialEntries, kInitialReadBytes / std::max<size_t>(1, entry_bytes));
    reserved_ = dump_.Reserve(std::min<size_t>(initial, std::max<size_t>(1, Limit())));
  }
  ~MapReadWorker() override { close(fd_); }

  Napi::Promise Promise() { return deferred_.Promise(); }

 protected:
  void Execute() override {
    if (!reserved_) return Fail(ENOMEM, "");

    int err = request_.method == ReadMethod::kIterate ? kEnotsupp : ReadBatches();
    if (err == 0) {
      used_batch_ = true;
      return;
    }
    // Only a refusal before anything was read means "no batch support"; anything else is a real failure.
    if (dump_.count != 0 || !BatchRefused(err)) return Fail(err, "batch lookup of map '" + layout_.name + "' failed");
    err = ReadByIteration();
    if (err != 0) return Fail(err, "reading map '" + layout_.name + "' entry by entry failed");
  }

  void OnOK() override {
    Napi::Env env = Env();
    Napi::Object result = Napi::Object::New(env);
    result.Set("name", layout_.name);
    result.Set("type", layout_.type);
    result.Set("keySize", layout_.key_size);
    result.Set("valueSize", layout_.value_size);
    result.Set("valuesPerKey", layout_.values_per_key);
    result.Set("valueStride", layout_.value_stride);
    result.Set("count", static_cast<double>(dump_.count));
    result.Set("keys", dump_.TakeKeys(env));
    result.Set("values", dump_.TakeValues(env));
    result.Set("method", used_batch_ ? "batch" : "iterate");
    result.Set("truncated", truncated_);
    deferred_.Resolve(result);
  }

  void OnError(const Napi::Error&) override { deferred_.Reject(MakeBpfError(Env(), failure_).Value()); }

 private:
  void Fail(int errnum, std::string message) {
    failure_.errnum = errnum;
    if (!message.empty()) message += std::string(": ") + strerror(errnum);
    failure_.message = std::move(message);
    SetError(failure_.message.empty() ? strerror(errnum) : failure_.message);
  }

  // Entries this read may hold: the map's size, or the request's cap when it is smaller.
  size_t Limit() const {
    size_t map = layout_.max_entries;
    return request_.max_entries != 0 ? std::min<size_t>(map, request_.max_entries) : map;
  }

  bool Capped() const { return request_.max_entries != 0 && request_.max_entries < layout_.max_entries; }

  // The most entries the buffers may grow to: a capped read may overshoot its cap by a bucket.
  size_t Bound() const { return Capped() ? Limit() + kCapSlackEntries : Limit(); }

  bool Grow() {
    if (dump_.capacity() >= Bound()) return false;
    return dump_.Reserve(std::min<size_t>(dump_.capacity() * 2, Bound()));
  }

  // A capped read that reached its cap: keep exactly the cap's worth; there may be more.
  int StopAtCap() {
    dump_.count = std::min(dump_.count, Limit());
    truncated_ = true;
    return 0;
  }

  // Returns 0 when the whole map was read, else a positive errno.
  int ReadBatches() {
    // Hash maps use a 4-byte bucket cursor, array-like maps the key itself: size for the larger.
    std::vector<uint8_t> in_batch(std::max(8u, layout_.key_size)), out_batch(in_batch.size());
    size_t per_call = request_.batch_size != 0 ? request_.batch_size : SIZE_MAX;
    bool first = true;
    for (;;) {
      if (Capped() && dump_.count >= Limit()) return StopAtCap();
      // Full at the map's own size: it holds no more.
      if (dump_.count == dump_.capacity() && !Grow()) return 0;
      size_t room = dump_.capacity() - dump_.count;
      __u32 batch = static_cast<__u32>(std::min(per_call, room));
      int ret = bpf_map_lookup_batch(fd_, first ? nullptr : in_batch.data(), out_batch.data(),
                                     dump_.key_at(dump_.count), dump_.value_at(dump_.count), &batch, nullptr);
      int err = ret < 0 ? -ret : 0;
      if (err != 0 && err != ENOENT && err != ENOSPC) return err;
      dump_.count += batch;
      // ENOENT: the cursor walked past the last entry; `batch` still counts what this call returned.
      if (err == ENOENT) return 0;
      if (err == ENOSPC && batch == 0) {
        // The next hash bucket holds more entries than this call asked for: ask for more, making room if needed.
        if (per_call < room) {
          per_call *= 2;
        } else if (!Grow()) {
          // A bucket longer than the slack past the cap: what was read is the cap's worth and more exists.
          if (Capped()) return StopAtCap();
          return ENOSPC;
        }
        continue;
      }
      if (batch == 0) return 0;  // defensive: a kernel that ends without ENOENT
      in_batch.swap(out_batch);
      first = false;
    }
  }

  int ReadByIteration() {
    dump_.count = 0;
    std::vector<uint8_t> previous(layout_.key_size);
    bool first = true;
    // A concurrent delete can restart a hash walk; never collect more than the map (or the cap) can hold.
    while (dump_.count < Limit()) {
      if (dump_.count == dump_.capacity() && !Grow()) return ENOMEM;
      uint8_t* key = dump_.key_at(dump_.count);
      int ret = bpf_map_get_next_key(fd_, first ? nullptr : previous.data(), key);
      if (ret == -ENOENT) return 0;
      if (ret < 0) return -ret;
      first = false;
      memcpy(previous.data(), key, layout_.key_size);
      ret = bpf_map_lookup_elem(fd_, key, dump_.value_at(dump_.count));
      if (ret == -ENOENT) continue;  // deleted between the two syscalls
      if (ret < 0) return -ret;
      dump_.count++;
    }
    truncated_ = Capped();
    return 0;
  }

  Napi::Promise::Deferred deferred_;
  int fd_;
  MapLayout layout_;
  ReadRequest request_;
  DumpBuffers dump_;
  Failure failure_;
  bool used_batch_ = false;
  bool reserved_ = false;
  bool truncated_ = false;
};

}  // namespace

Napi::Promise ReadMapAsync(Napi::Env env, int fd, const MapLayout& layout, ErrorSubject subject, ReadRequest request) {
  auto* worker = new MapReadWorker(env, fd, layout, std::move(subject), request);
  Napi::Promise promise = worker->Promise();
  worker->Queue();
  return promise;
}

}  // namespace bpf_native
