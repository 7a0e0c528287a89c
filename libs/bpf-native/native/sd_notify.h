// systemd's sd_notify protocol: one datagram to the unix socket named by $NOTIFY_SOCKET. Node has no
// AF_UNIX datagram sockets, so the send is here.
#pragma once

#include <napi.h>

namespace bpf_native {

// sdNotify(socketPath, message): `@name` is an abstract socket, like systemd writes it.
Napi::Value SdNotify(const Napi::CallbackInfo& info);

}  // namespace bpf_native
