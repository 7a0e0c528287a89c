# SPDX-License-Identifier: MIT
"""Small, bounded loopback network workloads for the example expectations (*.expect.yaml).

Everything stays on 127.0.0.1 so it works in a VM without a network; each mode finishes in a few
seconds. Usage: net.py <mode> [arg]
"""
import socket
import struct
import sys
import time


def listener(backlog):
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", 0))
    server.listen(backlog)
    return server, server.getsockname()[1]


def tcp_connect(count):
    """Connections with a request and a reply each: starts TCP timers, raises NET_RX softirqs."""
    server, port = listener(16)
    for _ in range(count):
        client = socket.create_connection(("127.0.0.1", port))
        conn, _ = server.accept()
        client.sendall(b"ping")
        conn.recv(4)
        conn.sendall(b"pong")
        client.recv(4)
        time.sleep(0.05)  # lets delayed-ACK timers fire
        conn.close()
        client.close()
    server.close()


def tcp_accept_delay(count):
    """Connections that wait 20 ms in the accept queue before the server accepts them."""
    server, port = listener(16)
    for _ in range(count):
        client = socket.create_connection(("127.0.0.1", port))
        time.sleep(0.02)
        conn, _ = server.accept()
        conn.close()
        client.close()
    server.close()


def tcp_backlog(count):
    """`count` handshakes completing while nobody accepts: the accept queue grows 0, 1, 2, ..."""
    server, port = listener(count + 1)
    clients = [socket.create_connection(("127.0.0.1", port)) for _ in range(count)]
    for client in clients:
        client.close()
    server.close()


def tcp_syn_retransmit(_):
    """A listener whose accept queue is full drops SYNs; the client retransmits its SYN after 1 s."""
    server, port = listener(0)
    clients = []
    for _ in range(3):  # the first fills the queue (backlog 0 admits one), the others are dropped
        client = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        client.setblocking(False)
        client.connect_ex(("127.0.0.1", port))
        clients.append(client)
    time.sleep(2.5)
    for sock in clients + [server]:
        sock.close()


def udp_overflow(port):
    """A receiver that never reads, with the smallest receive buffer: most datagrams are dropped."""
    receiver = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    receiver.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1)
    receiver.bind(("127.0.0.1", port))
    sender = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    for _ in range(500):
        sender.sendto(b"x" * 512, ("127.0.0.1", port))
    sender.close()
    receiver.close()


def udp_closed_port(port):
    """Datagrams to a port nobody listens on: dropped with reason NO_SOCKET."""
    sender = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    for _ in range(10):
        sender.sendto(b"hello", ("127.0.0.1", port))
    sender.close()


def dns_query(name):
    """One DNS A query for `name` to 127.0.0.1:53; no server is needed, the packet is only sent."""
    header = struct.pack("!HHHHHH", 0x1234, 0x0100, 1, 0, 0, 0)
    labels = b"".join(bytes([len(part)]) + part.encode() for part in name.split("."))
    question = labels + b"\x00" + struct.pack("!HH", 1, 1)
    sender = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    for _ in range(3):
        sender.sendto(header + question, ("127.0.0.1", 53))
    sender.close()


def checksum(data):
    total = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    total = (total >> 16) + (total & 0xFFFF)
    total += total >> 16
    return ~total & 0xFFFF


def icmp_echo(count):
    """ICMP echo requests to 127.0.0.1 over a raw socket (no `ping` binary needed; needs root)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
    sock.settimeout(1)
    for seq in range(count):
        header = struct.pack("!BBHHH", 8, 0, 0, 0x4242, seq)
        payload = b"ebpf-exporter!"  # even length: the checksum sums 16-bit words
        packet = struct.pack("!BBHHH", 8, 0, checksum(header + payload), 0x4242, seq) + payload
        sock.sendto(packet, ("127.0.0.1", 0))
        sock.recv(1024)
    sock.close()


MODES = {
    "tcp-connect": (tcp_connect, int),
    "tcp-accept-delay": (tcp_accept_delay, int),
    "tcp-backlog": (tcp_backlog, int),
    "tcp-syn-retransmit": (tcp_syn_retransmit, str),
    "udp-overflow": (udp_overflow, int),
    "udp-closed-port": (udp_closed_port, int),
    "dns-query": (dns_query, str),
    "icmp-echo": (icmp_echo, int),
}

if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] not in MODES:
        sys.exit("usage: net.py <%s> <arg>" % "|".join(MODES))
    run, parse = MODES[sys.argv[1]]
    run(parse(sys.argv[2]))
