// SPDX-License-Identifier: MIT OR GPL-2.0-only
#include <vmlinux.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

// TCP sockets currently in each state: a gauge. Every state change moves one socket from the old
// state to the new one (-1, +1). TCP_CLOSE is where sockets are born and die, so it is not counted.
// Sockets that already existed when the program attached are only seen leaving their state, so a
// state can go below zero: the value is a signed s64 (`signed: true` in the config).
struct tcp_state_key_t {
    u32 family; // AF_INET or AF_INET6
    u32 state;  // TCP_ESTABLISHED ...
};

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 2 * TCP_MAX_STATES);
    __type(key, struct tcp_state_key_t);
    __type(value, s64);
} tcp_sockets SEC(".maps");

static __always_inline void add_to_state(u32 family, int state, s64 delta)
{
    struct tcp_state_key_t key = {};
    s64 *count;

    if (state == TCP_CLOSE)
        return;
    key.family = family;
    key.state = state;
    count = bpf_map_lookup_elem(&tcp_sockets, &key);
    if (!count) {
        // BPF_NOEXIST: if another CPU created the entry in between, the insert fails and its entry
        // is added to below instead, so no change is lost.
        if (!bpf_map_update_elem(&tcp_sockets, &key, &delta, BPF_NOEXIST))
            return;
        count = bpf_map_lookup_elem(&tcp_sockets, &key);
    }
    if (count)
        __sync_fetch_and_add(count, delta);
}

// The classic tracepoint's record carries the protocol and family itself (no struct sock walk).
SEC("tracepoint/sock/inet_sock_set_state")
int inet_sock_set_state(struct trace_event_raw_inet_sock_set_state *ctx)
{
    int oldstate = ctx->oldstate, newstate = ctx->newstate;
    u32 family = ctx->family;

    if (ctx->protocol != IPPROTO_TCP)
        return 0;
    // A connection accepted by a listener is a clone of it: the kernel reports the child's first
    // state change as LISTEN -> SYN_RECV, though the listener itself stays in LISTEN.
    if (!(oldstate == TCP_LISTEN && newstate == TCP_SYN_RECV))
        add_to_state(family, oldstate, -1);
    add_to_state(family, newstate, 1);
    return 0;
}

char LICENSE[] SEC("license") = "Dual MIT/GPL";
