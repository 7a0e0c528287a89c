// SPDX-License-Identifier: MIT OR GPL-2.0-only
#ifndef __BITS_BPF_H
#define __BITS_BPF_H

// Integer log2 without loops or a CLZ instruction: BPF has neither a count-leading-zeros op nor
// (before kernel 5.3) bounded loops, so this binary search over shifts keeps the verifier happy.
// Returns floor(log2(v)) and 0 for v == 0.
static __always_inline u64 log2_u32(u32 v)
{
    u32 shift, r;

    r = (v > 0xFFFF) << 4;
    v >>= r;
    shift = (v > 0xFF) << 3;
    v >>= shift;
    r |= shift;
    shift = (v > 0xF) << 2;
    v >>= shift;
    r |= shift;
    shift = (v > 0x3) << 1;
    v >>= shift;
    r |= shift;
    r |= (v >> 1);
    return r;
}

// floor(log2(v)) for 64-bit values (nanosecond latencies overflow 32 bits after about 4 seconds).
static __always_inline u64 log2_u64(u64 v)
{
    u32 hi = v >> 32;

    if (hi)
        return log2_u32(hi) + 32;
    return log2_u32(v);
}

// ceil(log2(v)), 0 for v <= 1: the exp2 bucket whose upper bound 2^i is the first one >= v.
// Rounding down instead would put v = 3 into the `le="2"` bucket, which is a lie (upstream #488).
static __always_inline u64 log2_u64_ceil(u64 v)
{
    if (v <= 1)
        return 0;
    return log2_u64(v - 1) + 1;
}

#endif /* __BITS_BPF_H */
