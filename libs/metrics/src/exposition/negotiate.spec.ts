import { describe, expect, it } from 'vitest';
import { negotiateFormat, negotiateScrapeFormat } from './negotiate';

const TEXT = 'text/plain; version=0.0.4; charset=utf-8; escaping=underscores';
const OPENMETRICS = 'application/openmetrics-text; version=1.0.0; charset=utf-8; escaping=underscores';

describe('negotiateFormat', () => {
  it.each([
    [undefined, 'text', TEXT],
    ['', 'text', TEXT],
    ['*/*', 'text', TEXT],
    ['text/plain', 'text', TEXT],
    ['application/openmetrics-text', 'openmetrics', OPENMETRICS.replace('1.0.0', '0.0.1')],
    ['application/openmetrics-text; version=1.0.0', 'openmetrics', OPENMETRICS],
    ['application/openmetrics-text; version=0.0.1', 'openmetrics', OPENMETRICS.replace('1.0.0', '0.0.1')],
    ['application/openmetrics-text; version=2.0.0', 'text', TEXT],
    // What Prometheus 2.x/3.x sends by default.
    [
      'application/openmetrics-text;version=1.0.0;q=0.5,application/openmetrics-text;version=0.0.1;q=0.4,text/plain;version=0.0.4;q=0.3,*/*;q=0.2',
      'openmetrics',
      OPENMETRICS,
    ],
    ['text/plain;version=0.0.4;q=0.9,application/openmetrics-text;version=1.0.0;q=0.5', 'text', TEXT],
    ['application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited;q=0.7,text/plain;version=0.0.4;q=0.3', 'text', TEXT],
    ['application/openmetrics-text;q=0', 'text', TEXT],
    // Prometheus 3 asks for UTF-8 names; the scheme is echoed (our names need no escaping either way).
    [
      'application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.6,text/plain;version=0.0.4;q=0.3',
      'openmetrics',
      OPENMETRICS.replace('underscores', 'allow-utf-8'),
    ],
    ['text/plain;version=0.0.4;escaping=bogus', 'text', TEXT],
    ['application/json;escaping=dots,text/plain', 'text', TEXT.replace('underscores', 'dots')],
  ])('%j -> %s', (accept, format, contentType) => {
    expect(negotiateFormat(accept)).toEqual({ format, contentType });
  });
});

const PROTOBUF = 'application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited; escaping=underscores';

describe('negotiateScrapeFormat', () => {
  it.each([
    // What Prometheus 3.5 sends with native histograms on.
    [
      'application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited;q=0.6,application/openmetrics-text;version=1.0.0;q=0.5,text/plain;version=0.0.4;q=0.3,*/*;q=0.2',
      'protobuf',
      PROTOBUF,
    ],
    ['application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited;escaping=allow-utf-8', 'protobuf', PROTOBUF.replace('underscores', 'allow-utf-8')],
    // The debugging encodings and other messages are passed over.
    ['application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=text,text/plain', 'text', TEXT],
    ['application/vnd.google.protobuf;proto=other.Message;encoding=delimited', 'text', TEXT],
    ['application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited;q=0.4,application/openmetrics-text;version=1.0.0;q=0.5', 'openmetrics', OPENMETRICS],
    [undefined, 'text', TEXT],
  ])('%j -> %s', (accept, format, contentType) => {
    expect(negotiateScrapeFormat(accept)).toEqual({ format, contentType });
  });
});
