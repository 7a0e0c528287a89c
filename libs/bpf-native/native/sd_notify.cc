#include "sd_notify.h"

#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <string>

#include "bpf_error.h"

namespace bpf_native {

Napi::Value SdNotify(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!info[0].IsString() || !info[1].IsString())
    throw Napi::TypeError::New(env, "expected a socket path and a message");
  std::string path = info[0].As<Napi::String>().Utf8Value();
  std::string message = info[1].As<Napi::String>().Utf8Value();

  struct sockaddr_un address {};
  address.sun_family = AF_UNIX;
  if (path.empty() || path.size() >= sizeof(address.sun_path)) {
    throw MakeBpfError(env, Failure{EINVAL, "NOTIFY_SOCKET '" + path + "' is not a usable unix socket path", {}});
  }
  memcpy(address.sun_path, path.data(), path.size());
  // Abstract sockets have no trailing NUL: the address length says where the name ends.
  if (path[0] == '@') address.sun_path[0] = '\0';
  socklen_t length = static_cast<socklen_t>(offsetof(struct sockaddr_un, sun_path) + path.size());

  int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0)
    throw MakeBpfError(env, Failure{errno, "sd_notify: socket() failed: " + std::string(strerror(errno)), {}});
  ssize_t sent =
      sendto(fd, message.data(), message.size(), MSG_NOSIGNAL, reinterpret_cast<struct sockaddr*>(&address), length);
  int errnum = errno;
  close(fd);
  if (sent < 0) {
    throw MakeBpfError(env, Failure{errnum, "sd_notify to '" + path + "' failed: " + strerror(errnum), {}});
  }
  return env.Undefined();
}

}  // namespace bpf_native
