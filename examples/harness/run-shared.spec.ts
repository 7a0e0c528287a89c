import { describe, expect, it } from 'vitest';
import { allExampleNames, EXAMPLES_DIR, loadExpectations } from './check';
import { parseExposition } from './exposition';
import { programsNotAttached } from './run-example';
import { configFamilies, configNamedInError, conflictFreeGroups } from './run-shared';

describe('conflictFreeGroups (the real example configs)', () => {
  const expectations = loadExpectations(allExampleNames());
  const groups = conflictFreeGroups(expectations, EXAMPLES_DIR);

  it('keeps every example exactly once', () => {
    expect(groups.flat().map((expectation) => expectation.example).sort()).toEqual(allExampleNames());
  });

  it('never puts two configs defining the same family in one exporter', () => {
    for (const group of groups) {
      const families = group.flatMap((expectation) => configFamilies(`${EXAMPLES_DIR}/${expectation.example}.yaml`));
      expect(new Set(families).size).toBe(families.length);
    }
  });

  it('separates tcp-syn-backlog from its exp2zero twin (both define tcp_syn_backlog), and only needs two exporters', () => {
    const groupOf = (name: string) => groups.findIndex((group) => group.some((expectation) => expectation.example === name));
    expect(groupOf('tcp-syn-backlog')).not.toBe(groupOf('tcp-syn-backlog-exp2zero'));
    expect(groups).toHaveLength(2);
  });
});

describe('configFamilies', () => {
  it('lists counters and histograms of a config', () => {
    expect(configFamilies(`${EXAMPLES_DIR}/softirq-latency.yaml`).sort()).toEqual([
      'softirq_entry_latency_seconds',
      'softirq_raised_total',
      'softirq_service_latency_seconds',
      'softirq_serviced_total',
    ]);
  });
});

describe('configNamedInError', () => {
  it('finds the config the exporter blamed', () => {
    const message =
      "exporter exited (1): ebpf_exporter: error: config tcp-retransmit: loading examples/tcp-retransmit.bpf.o failed: Operation not permitted (EPERM)";
    expect(configNamedInError(message)).toBe('tcp-retransmit');
  });

  it('finds none in a start timeout', () => {
    expect(configNamedInError('exporter did not answer on http://127.0.0.1:1/metrics within 60000 ms: ')).toBeUndefined();
  });
});

describe('programsNotAttached', () => {
  const samples = parseExposition(
    [
      'ebpf_exporter_ebpf_program_info{config="timers",id="7",program="timer_start",tag="a"} 1',
      'ebpf_exporter_ebpf_program_info{config="icmp-ip",id="8",program="icmp_rcv",tag="b"} 1',
      'ebpf_exporter_ebpf_program_attached{id="7"} 1',
      'ebpf_exporter_ebpf_program_attached{id="8"} 0',
      '',
    ].join('\n'),
  );

  it('blames only the given config in a shared exporter', () => {
    expect(programsNotAttached(samples, 'timers')).toEqual([]);
    expect(programsNotAttached(samples, 'icmp-ip')).toEqual(['icmp_rcv']);
  });

  it('looks at every program without a config', () => {
    expect(programsNotAttached(samples)).toEqual(['icmp_rcv']);
  });
});
