// Run as a child process (node --expose-gc) by bpf-object.spec.ts: attaches a program, drops every reference
// to its BpfObject without close(), forces garbage collection and prints the program id, so the test can
// check that the finalizer detached and freed it while this process was still running.
import { bpftoolJson } from '@ebpf-exporter/test-support';
import { BpfObject } from '../src/index.js';
import { fixture } from './fixtures.js';

async function attachAndForget(): Promise<number> {
  const object = BpfObject.open(fixture('partial-attach'));
  await object.load();
  const program = object.attachAll().find((candidate) => candidate.name === 'on_sys_enter');
  return program?.id ?? 0;
}

const id = await attachAndForget();
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');
// Finalizers run some time after a collection, and the kernel frees the link after an RCU grace period:
// on a loaded machine that can take seconds.
const deadline = Date.now() + 10_000;
while (Date.now() < deadline) {
  gc();
  await new Promise((resolve) => setTimeout(resolve, 50));
  const links = (await bpftoolJson('link', 'show')) as Array<{ prog_id: number }>;
  if (!links.some((link) => link.prog_id === id)) {
    console.log(`detached ${id}`);
    process.exit(0);
  }
}
console.log(`still attached ${id}`);
