// Run as a child process by capabilities.spec.ts (dropping capabilities cannot be undone): attaches
// maps.bpf.o, drops every capability but those in argv[2] (comma separated numbers), makes syscalls, then
// prints the capability sets of each thread and what the already-open map still reads.
import { readdirSync, readFileSync } from 'node:fs';
import { BpfObject, dropCapabilities, setLogHandler } from '../src/index.js';
import { readU64, u64 } from './bytes.js';
import { fixture } from './fixtures.js';

const SYS_KILL = 62; // x86_64

setLogHandler(() => {}); // the refused load below is expected; keep its log lines out of the output
const keep = (process.argv[2] ?? '').split(',').filter((n) => n !== '').map(Number);
const object = BpfObject.open(fixture('maps'));
object.setGlobalU64('target_tgid', BigInt(process.pid));
await object.load();
object.attachAll();
// Busy the libuv pool first so its threads exist and must be reached by the drop.
await Promise.all(Array.from({ length: 8 }, () => import('node:fs/promises').then((fs) => fs.stat('/'))));
const counts = object.map('syscall_counts');
const killsBefore = readU64(counts.lookup(u64(SYS_KILL)) ?? u64(0));
const threads = dropCapabilities(keep);
for (let i = 0; i < 50; i++) process.kill(process.pid, 0);
// Both a batch read and a single lookup of the already-open map, after the drop.
const dump = await counts.read();
const killsCounted = readU64(counts.lookup(u64(SYS_KILL)) ?? u64(0)) - killsBefore;
const capabilities = readdirSync('/proc/self/task').map((tid) => {
  const status = readFileSync(`/proc/self/task/${tid}/status`, 'utf8');
  const field = (name: string): string => status.match(new RegExp(`^${name}:\\s*(\\S+)`, 'm'))?.[1] ?? '?';
  return { tid, eff: field('CapEff'), prm: field('CapPrm'), inh: field('CapInh'), bnd: field('CapBnd'), amb: field('CapAmb') };
});
let unprivilegedLoad = 'succeeded';
try {
  await BpfObject.open(fixture('maps')).load();
} catch (error) {
  unprivilegedLoad = (error as { code?: string }).code ?? String(error);
}
console.log(JSON.stringify({ threads, entries: dump.count, killsCounted: Number(killsCounted), capabilities, unprivilegedLoad }));
object.close();
