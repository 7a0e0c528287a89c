// Run as a child process by cgroup-watch.spec.ts: leaves a watch open with events still arriving while Node
// exits, which must neither abort (a C++ exception out of the delivery callback) nor hang on the poll thread.
import { mkdirSync, rmdirSync } from 'node:fs';
import { CgroupWatch } from '../src/index.js';

let delivered = 0;
CgroupWatch.open(['/sys/fs/cgroup/unified'], (events) => (delivered += events.length));
const dir = `/sys/fs/cgroup/unified/exit-with-open-watch-${process.pid}`;
for (let i = 0; i < 20; i++) {
  mkdirSync(dir);
  rmdirSync(dir);
}
await new Promise((resolve) => setTimeout(resolve, 100));
for (let i = 0; i < 20; i++) {
  mkdirSync(dir);
  rmdirSync(dir);
}
console.log(delivered > 0 ? 'delivered' : 'nothing delivered');
