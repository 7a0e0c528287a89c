// Reads the settings of a systemd unit file and its drop-ins, so tests can run the exporter with exactly
// the user and capabilities the service would get (systemd is not PID 1 on the test machines).

export type UnitSettings = Map<string, string[]>;

/** `[Section]` + `Key=value` lines into "Section.Key" → values in file order; comments and blanks skipped. */
export function parseUnit(text: string, into: UnitSettings = new Map()): UnitSettings {
  let section = '';
  for (const [index, raw] of text.split('\n').entries()) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const header = /^\[([^\]]+)\]$/.exec(line);
    if (header) {
      section = header[1] as string;
      continue;
    }
    const eq = line.indexOf('=');
    if (eq <= 0 || section === '') throw new Error(`unit line ${index + 1}: expected [Section] or Key=value, got "${line}"`);
    const key = `${section}.${line.slice(0, eq).trim()}`;
    into.set(key, [...(into.get(key) ?? []), line.slice(eq + 1).trim()]);
  }
  return into;
}

/**
 * The capabilities the service process holds: AmbientCapabilities= assignments merge (an empty one resets),
 * limited by the merged CapabilityBoundingSet=. Names as systemd writes them ("CAP_BPF").
 */
export function serviceCapabilities(settings: UnitSettings): string[] {
  const merged = (key: string): Set<string> => {
    let set = new Set<string>();
    for (const value of settings.get(`Service.${key}`) ?? []) {
      if (value === '') set = new Set();
      else for (const cap of value.split(/\s+/)) set.add(cap);
    }
    return set;
  };
  const bounding = merged('CapabilityBoundingSet');
  return [...merged('AmbientCapabilities')].filter((cap) => bounding.has(cap)).sort();
}

/** setpriv(1)'s spelling of a capability list: "CAP_BPF" → "+bpf". */
export function setprivCapabilities(capabilities: readonly string[]): string {
  return ['-all', ...capabilities.map((cap) => `+${cap.replace(/^CAP_/, '').toLowerCase()}`)].join(',');
}
