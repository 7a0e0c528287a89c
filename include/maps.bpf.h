// SPDX-License-Identifier: MIT OR GPL-2.0-only
#ifndef __MAPS_BPF_H
#define __MAPS_BPF_H

#include <bpf/bpf_helpers.h>
#include "bits.bpf.h"

// Looks a key up, inserting a zero value first when it is missing. BPF_NOEXIST makes the insert a no-op
// if another CPU created the entry in between, so no increment is ever lost to a racing insert.
static __always_inline u64 *lookup_or_zero_init(void *map, const void *key)
{
    u64 zero = 0;
    u64 *value = bpf_map_lookup_elem(map, key);

    if (value)
        return value;
    bpf_map_update_elem(map, key, &zero, BPF_NOEXIST);
    return bpf_map_lookup_elem(map, key);
}

// Miss path of the increment helpers, kept out of their hit path (lookup + add, as the plain idiom):
// inserts `increment` itself as the new value. BPF_NOEXIST makes the insert fail if another CPU created
// the entry in between; only then is the entry looked up again and returned for the caller to add to, so
// no increment is ever lost to a racing insert. NULL means nothing is left to do (inserted, or map full).
static __always_inline u64 *insert_or_lookup(void *map, const void *key, const u64 *increment)
{
    if (!bpf_map_update_elem(map, key, increment, BPF_NOEXIST))
        return NULL;
    return bpf_map_lookup_elem(map, key);
}

// Adds `increment` to a counter shared by all CPUs: the atomic add is needed because several CPUs can
// update the same hash or array slot at once.
static __always_inline void increment_map(void *map, const void *key, u64 increment)
{
    u64 *count = bpf_map_lookup_elem(map, key);

    if (!count)
        count = insert_or_lookup(map, key, &increment);
    if (count)
        __sync_fetch_and_add(count, increment);
}

// Same as increment_map for per-CPU maps: each CPU owns its slot, so a plain add is enough and cheaper.
// An insert from BPF sets this CPU's slot to `increment` and zeroes the other CPUs' slots.
static __always_inline void increment_map_nosync(void *map, const void *key, u64 increment)
{
    u64 *count = bpf_map_lookup_elem(map, key);

    if (!count)
        count = insert_or_lookup(map, key, &increment);
    if (count)
        *count += increment;
}

// Histogram maps use a key struct whose last field is `bucket`; the exporter reads bucket indexes
// bucket_min..bucket_max and the sum of observed values (in units of the bucket multiplier) at
// bucket_max + 1. Values above the top bucket are clamped into it, so `_count` counts every observation
// and matches the `+Inf` bucket the exporter synthesises. `value` is evaluated exactly once (callers pass
// expressions such as `(bpf_ktime_get_ns() - start) / 1000`); `bucket_expr` computes the bucket from it
// under the name `__value`.
#define __record_histogram(map, key, value, bucket_expr, max_bucket, increment_fn)                                     \
    do {                                                                                                               \
        u64 __value = (value);                                                                                         \
        u64 __bucket = (bucket_expr);                                                                                  \
        if (__bucket > (max_bucket))                                                                                   \
            __bucket = (max_bucket);                                                                                   \
        (key).bucket = __bucket;                                                                                       \
        increment_fn(map, &(key), 1);                                                                                  \
        (key).bucket = (max_bucket) + 1;                                                                               \
        increment_fn(map, &(key), __value);                                                                            \
    } while (0)

// exp2: bucket i has upper bound 2^i, so v lands in bucket ceil(log2(v)) (0 and 1 go to bucket 0).
#define increment_exp2_histogram(map, key, value, max_bucket)                                                          \
    __record_histogram(map, key, value, log2_u64_ceil(__value), max_bucket, increment_map)
#define increment_exp2_histogram_nosync(map, key, value, max_bucket)                                                   \
    __record_histogram(map, key, value, log2_u64_ceil(__value), max_bucket, increment_map_nosync)

// exp2zero: bucket 0 holds exactly the zeros (upper bound 0), bucket i > 0 has upper bound 2^(i-1). Use it
// when zero is a common, meaningful value (an empty queue) that exp2 would lump together with ones.
static __always_inline u64 exp2zero_bucket(u64 value)
{
    return value == 0 ? 0 : log2_u64_ceil(value) + 1;
}

#define increment_exp2zero_histogram(map, key, value, max_bucket)                                                      \
    __record_histogram(map, key, value, exp2zero_bucket(__value), max_bucket, increment_map)
#define increment_exp2zero_histogram_nosync(map, key, value, max_bucket)                                               \
    __record_histogram(map, key, value, exp2zero_bucket(__value), max_bucket, increment_map_nosync)

// linear: bucket i has upper bound i * width (configure `bucket_multiplier: <width>`), so v lands in
// bucket ceil(v / width). The sum is kept in units of width (rounded up) because the exporter multiplies
// it by the multiplier; pick width 1 when an exact `_sum` matters more than a compact bucket list.
#define __linear_units(value, width) (((value) + (width)-1) / (width))
#define increment_linear_histogram(map, key, value, width, max_bucket)                                                 \
    __record_histogram(map, key, __linear_units(value, width), __value, max_bucket, increment_map)
#define increment_linear_histogram_nosync(map, key, value, width, max_bucket)                                          \
    __record_histogram(map, key, __linear_units(value, width), __value, max_bucket, increment_map_nosync)

// fixed: the bucket field holds the bucket key itself (the `bucket_keys` entry from the YAML), not an
// index. `bucket_keys` is an ascending array of `count` integers; v lands under the first key >= v and
// values above the last key are clamped to it. The sum lives at the last key + 1.
static __always_inline u64 fixed_bucket(u64 value, const u64 *bucket_keys, u32 count)
{
    for (u32 i = 0; i < count; i++) {
        if (value <= bucket_keys[i])
            return bucket_keys[i];
    }
    return bucket_keys[count - 1];
}

#define increment_fixed_histogram(map, key, value, bucket_keys, count)                                                 \
    __record_histogram(map, key, value, fixed_bucket(__value, bucket_keys, count), (bucket_keys)[(count)-1],           \
                       increment_map)

// Reads an array map slot, for state that lives in one element (a timestamp per CPU, a config value).
static __always_inline void *read_array_ptr(void *map, u32 index)
{
    return bpf_map_lookup_elem(map, &index);
}

#endif /* __MAPS_BPF_H */
