// Run as a child process by event-buffers.spec.ts: leaves a log handler and both kinds of buffers open and
// lets Node exit with records in flight, which must tear down the poll threads before Node frees the
// thread-safe functions, and must not abort delivering a record when JS can no longer run.
import { BpfObject, setLogHandler } from '../src/index.js';
import { fixture } from './fixtures.js';

setLogHandler(() => {});
const object = BpfObject.open(fixture('event-buffers'));
object.setGlobalU64('target_tgid', BigInt(process.pid));
await object.load();
object.attachAll();
let records = 0;
object.openRingBuffer('ring_records', () => records++);
object.openPerfBuffer('perf_records', () => records++, () => {}, { pageCount: 8 });
for (let i = 0; i < 100; i++) process.kill(process.pid, 0);
const deadline = Date.now() + 5000;
while (records < 200 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
console.log(`records=${records}`);
// Records still in flight while Node exits must not abort it.
for (let i = 0; i < 5000; i++) process.kill(process.pid, 0);
