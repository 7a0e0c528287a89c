import type { ExpositionFormat } from './text-format';

export interface NegotiatedFormat {
  format: ExpositionFormat;
  contentType: string;
}

/** What negotiateScrapeFormat may pick besides the text formats: the protobuf exposition (protobuf-format.ts). */
export interface NegotiatedProtobuf {
  format: 'protobuf';
  contentType: string;
}

const PROTOBUF_TYPE = 'application/vnd.google.protobuf';
const PROTOBUF_MESSAGE = 'io.prometheus.client.MetricFamily';

// prometheus/common's expfmt announces the metric name escaping scheme: the one the client asked for, else
// `underscores`. Our names are always valid legacy names, which no scheme changes, so only the header differs.
const ESCAPING_SCHEMES = new Set(['allow-utf-8', 'underscores', 'dots', 'values']);
const DEFAULT_ESCAPING = 'underscores';

function text(escaping: string): NegotiatedFormat {
  return { format: 'text', contentType: `text/plain; version=0.0.4; charset=utf-8; escaping=${escaping}` };
}

function openMetrics(version: string, escaping: string): NegotiatedFormat {
  return {
    format: 'openmetrics',
    contentType: `application/openmetrics-text; version=${version}; charset=utf-8; escaping=${escaping}`,
  };
}

interface AcceptEntry {
  mediaType: string;
  params: Map<string, string>;
  quality: number;
}

function parseAccept(accept: string): AcceptEntry[] {
  const entries: AcceptEntry[] = [];
  for (const part of accept.split(',')) {
    const [mediaType = '', ...rawParams] = part.split(';').map((piece) => piece.trim());
    if (mediaType === '') continue;
    const params = new Map<string, string>();
    for (const raw of rawParams) {
      const eq = raw.indexOf('=');
      if (eq > 0) params.set(raw.slice(0, eq).trim().toLowerCase(), raw.slice(eq + 1).trim().replace(/^"|"$/g, ''));
    }
    const quality = params.has('q') ? Number(params.get('q')) : 1;
    entries.push({ mediaType: mediaType.toLowerCase(), params, quality: Number.isNaN(quality) ? 0 : quality });
  }
  // Stable sort: equal qualities keep the client's order, as goautoneg does.
  return entries.filter((entry) => entry.quality > 0).sort((a, b) => b.quality - a.quality);
}

/**
 * Picks the exposition format like prometheus/common's `expfmt.NegotiateIncludingOpenMetrics`, minus
 * protobuf: the first acceptable entry by quality wins, anything else gets text 0.0.4. An OpenMetrics
 * entry without a version gets 0.0.1, as there.
 */
export function negotiateFormat(accept: string | undefined): NegotiatedFormat {
  return negotiate(accept, false) as NegotiatedFormat;
}

/**
 * As negotiateFormat, protobuf included: an entry asking for MetricFamily messages `encoding=delimited`
 * (what Prometheus sends first with native histograms on) gets them. Its other encodings (`text`,
 * `compact-text`: debugging forms) are passed over for the next entry.
 */
export function negotiateScrapeFormat(accept: string | undefined): NegotiatedFormat | NegotiatedProtobuf {
  return negotiate(accept, true);
}

function negotiate(accept: string | undefined, protobuf: boolean): NegotiatedFormat | NegotiatedProtobuf {
  let escaping = DEFAULT_ESCAPING;
  for (const entry of parseAccept(accept ?? '')) {
    // Like expfmt, an escaping parameter sticks even when its entry is not the one chosen.
    const requested = entry.params.get('escaping');
    if (requested !== undefined && ESCAPING_SCHEMES.has(requested)) escaping = requested;
    const version = entry.params.get('version') ?? '';
    if (protobuf && entry.mediaType === PROTOBUF_TYPE && entry.params.get('proto') === PROTOBUF_MESSAGE && entry.params.get('encoding') === 'delimited') {
      return { format: 'protobuf', contentType: `${PROTOBUF_TYPE}; proto=${PROTOBUF_MESSAGE}; encoding=delimited; escaping=${escaping}` };
    }
    if (entry.mediaType === 'text/plain' && (version === '' || version === '0.0.4')) return text(escaping);
    if (entry.mediaType === 'application/openmetrics-text' && (version === '' || version === '0.0.1' || version === '1.0.0')) {
      return openMetrics(version === '1.0.0' ? '1.0.0' : '0.0.1', escaping);
    }
  }
  return text(escaping);
}
