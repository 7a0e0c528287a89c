// Go's `net.Listen("tcp", ":9435")` form: an empty host means every address, IPv4 and IPv6.
export interface ListenTarget {
  host: string;
  port: number;
}

export function parseListenAddress(address: string): ListenTarget {
  const match = /^(?:\[([^\]]+)\]|([^:]*)):(\d+)$/.exec(address);
  if (!match) throw new Error(`--web.listen-address: "${address}" is not host:port (e.g. ":9435" or "127.0.0.1:9435")`);
  const port = Number.parseInt(match[3] as string, 10);
  if (port > 65535) throw new Error(`--web.listen-address: port ${port} is out of range`);
  const host = match[1] ?? match[2] ?? '';
  return { host: host === '' ? '::' : host, port };
}
