import type { ExpositionFormat } from './text-format';

export interface NegotiatedFormat {
  format: ExpositionFormat;
  contentType: string;
}

// prometheus/common's expfmt announces the name escaping scheme it used; our names are always legacy-valid.
const TEXT: NegotiatedFormat = {
  format: 'text',
  contentType: 'text/plain; version=0.0.4; charset=utf-8; escaping=underscores',
};

function openMetrics(version: string): NegotiatedFormat {
  return {
    format: 'openmetrics',
    contentType: `application/openmetrics-text; version=${version}; charset=utf-8; escaping=underscores`,
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
 * Picks the exposition format like client_golang's `expfmt.NegotiateIncludingOpenMetrics`, minus protobuf
 * (which we do not serve): the first acceptable entry by quality wins, anything else gets text 0.0.4.
 */
export function negotiateFormat(accept: string | undefined): NegotiatedFormat {
  if (accept === undefined) return TEXT;
  for (const entry of parseAccept(accept)) {
    const version = entry.params.get('version') ?? '';
    if (entry.mediaType === 'application/openmetrics-text') {
      if (version === '' || version === '1.0.0') return openMetrics('1.0.0');
      if (version === '0.0.1') return openMetrics('0.0.1');
    }
    if (entry.mediaType === 'text/plain' && (version === '' || version === '0.0.4')) return TEXT;
  }
  return TEXT;
}
