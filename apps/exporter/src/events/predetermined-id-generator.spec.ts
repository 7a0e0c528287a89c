import { describe, expect, it } from 'vitest';
import { PredeterminedIdGenerator } from './predetermined-id-generator';

describe('PredeterminedIdGenerator', () => {
  it('hands out the preset ids while a span starts, random ones otherwise', () => {
    const ids = new PredeterminedIdGenerator();
    const preset = ids.withIds({ traceId: 'a'.repeat(32), spanId: 'b'.repeat(16) }, () => [ids.generateTraceId(), ids.generateSpanId()]);
    expect(preset).toEqual(['a'.repeat(32), 'b'.repeat(16)]);
    const random = [ids.generateTraceId(), ids.generateSpanId()];
    expect(random[0]).toMatch(/^[0-9a-f]{32}$/);
    expect(random[1]).toMatch(/^[0-9a-f]{16}$/);
    expect(random).not.toEqual(preset);
    expect(ids.withIds({ spanId: 'c'.repeat(16) }, () => ids.generateTraceId())).not.toBe('a'.repeat(32));
  });

  it('forgets the preset ids when starting the span throws', () => {
    const ids = new PredeterminedIdGenerator();
    expect(() =>
      ids.withIds({ spanId: 'd'.repeat(16) }, () => {
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(ids.generateSpanId()).not.toBe('d'.repeat(16));
  });
});
