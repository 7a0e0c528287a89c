// The scrapes /metrics serves, handed on to whoever also wants their families (the dashboard's history),
// so nobody has to read and decode every BPF map a second time for them.
import type { ScrapeFeed, ScrapeListener } from '@ebpf-exporter/dashboard-server';
import type { MetricFamily } from '@ebpf-exporter/metrics';
import type { FamilySource } from './scraper';

export class ObservedScrapes implements FamilySource, ScrapeFeed {
  private readonly listeners = new Set<ScrapeListener>();
  private inFlight = 0;

  constructor(private readonly source: FamilySource) {}

  async families(): Promise<MetricFamily[]> {
    // Stamped like Prometheus stamps a scrape: with the moment it started, not when it finished.
    const startSeconds = Date.now() / 1000;
    this.inFlight++;
    let families: MetricFamily[];
    try {
      families = await this.source.families();
    } finally {
      this.inFlight--;
    }
    for (const listener of this.listeners) listener(startSeconds, families);
    return families;
  }

  subscribe(listener: ScrapeListener): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  collecting(): boolean {
    return this.inFlight > 0;
  }
}
