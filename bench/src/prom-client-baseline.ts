// The naive baseline, run as its own process: the same series the exporter serves for an N-entry counter
// map, built the way a prom-client exporter would on every scrape (Gauge.set per series, then
// registry.metrics()). It gets the decoded label values and numbers for free (no map read, no decoding),
// so the comparison flatters the baseline, not us.
//
//   node --import tsx bench/src/prom-client-baseline.ts <entries> <port>
import { createServer } from 'node:http';
import { Gauge, Registry } from '@prometheus-io/client';
import { counterSeries } from './fixture-series';

const [entriesArg, portArg] = process.argv.slice(2);
const entries = Number(entriesArg);
const port = Number(portArg);
if (!Number.isInteger(entries) || entries <= 0 || !Number.isInteger(port)) {
  process.stderr.write('usage: prom-client-baseline.ts <entries> <port>\n');
  process.exit(2);
}

const series = counterSeries(entries);
const registry = new Registry();
const gauge = new Gauge({ name: series.metricName, help: series.help, labelNames: ['tenant', 'object'], registers: [registry] });

const server = createServer((_request, response) => {
  for (let i = 0; i < entries; i++) gauge.set({ tenant: series.tenant(i), object: series.object(i) }, series.value(i));
  registry.metrics().then(
    (text) => response.writeHead(200, { 'content-type': registry.contentType }).end(text),
    (error: Error) => response.writeHead(500).end(error.message),
  );
});
server.listen(port, '127.0.0.1', () => process.stdout.write(`baseline listening on ${port}\n`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
