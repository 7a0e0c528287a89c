import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { DecoderConfig } from '../config/types';
import { SKIP, type DecoderEnvironment } from './decoder';
import { compileGoRegexp as go } from './go-regexp';
import { createDecoderRegistry } from './registry';

// A fake host: the registry only talks to the host through DecoderEnvironment, and these tests need fixed
// answers rather than whatever interfaces, disks and cgroups this machine has. pci.ids is the real database.
const KALLSYMS = [
  'ffffffff81000000 T _stext',
  'ffffffff81001000 T do_one_initcall',
  'ffffffff81002000 t run_timer_softirq',
  'ffffffffc0a01000 t xfs_file_read_iter\t[xfs]',
  'ffffffffc0a02000 t a module symbol with spaces\t[odd]',
  'not a symbol line',
].join('\n');

function environment(overrides: Partial<DecoderEnvironment> = {}): DecoderEnvironment {
  return {
    littleEndian: true,
    arch: 'x86_64',
    kallsyms: () => KALLSYMS,
    partitions: () => 'major minor  #blocks  name\n\n 259        0  500107608 nvme0n1\n   8       16  976762584 sdb\n 136       16       1024 sdx\n',
    ifname: (index) => ({ 1: 'lo', 2: 'eth0' })[index],
    cgroupPath: (id) => (id === 4242n ? '/sys/fs/cgroup/system.slice/ssh.service' : undefined),
    pciIds: () => readFileSync('/usr/share/misc/pci.ids', 'utf8'),
    ...overrides,
  };
}

const chain = (...decoders: (string | Partial<DecoderConfig>)[]): DecoderConfig[] =>
  decoders.map((decoder) =>
    typeof decoder === 'string'
      ? ({ name: decoder, allowUnknown: false, regexps: [] } as DecoderConfig)
      : ({ allowUnknown: false, regexps: [], ...decoder } as DecoderConfig),
  );

function le(value: bigint | number, size: number): Uint8Array {
  const bytes = new Uint8Array(size);
  let rest = BigInt(value);
  for (let i = 0; i < size; i++) {
    bytes[i] = Number(rest & 0xffn);
    rest >>= 8n;
  }
  return bytes;
}

const ascii = (text: string): Uint8Array => new TextEncoder().encode(text);

describe('decoders', () => {
  const registry = createDecoderRegistry(environment());
  const decode = (bytes: Uint8Array, ...decoders: (string | Partial<DecoderConfig>)[]): string | typeof SKIP =>
    registry.decode(bytes, chain(...decoders));

  it('uint reads 1, 2, 4 and 8 host-endian bytes', () => {
    expect(decode(le(200, 1), 'uint')).toBe('200');
    expect(decode(le(443, 2), 'uint')).toBe('443');
    expect(decode(le(0xdeadbeef, 4), 'uint')).toBe('3735928559');
    expect(decode(le(2n ** 64n - 1n, 8), 'uint')).toBe('18446744073709551615');
    expect(() => decode(le(1, 3), 'uint')).toThrow('uint: unknown value length 3');
  });

  it('uint honours big-endian hosts', () => {
    const bigEndian = createDecoderRegistry(environment({ littleEndian: false }));
    expect(bigEndian.decode(new Uint8Array([0x01, 0xbb]), chain('uint'))).toBe('443');
  });

  it('string stops at the first NUL', () => {
    expect(decode(ascii('python3\0\0garbage'), 'string')).toBe('python3');
    expect(decode(ascii('no-nul'), 'string')).toBe('no-nul');
  });

  it('hex prints lowercase bytes', () => {
    expect(decode(new Uint8Array([0xde, 0xad, 0xbe, 0xef, 0x00]), 'hex')).toBe('deadbeef00');
  });

  it('inet_ip prints IPv4, IPv6 (compressed), v4-mapped IPv6 and bad lengths like Go', () => {
    expect(decode(new Uint8Array([1, 2, 3, 4]), 'inet_ip')).toBe('1.2.3.4');
    const v6 = Uint8Array.from([0x24, 0x00, 0xcb, 0x00, 0, 4, 0x10, 0x24, 0, 0, 0, 0, 0xa2, 0x9e, 0xfd, 0x8f]);
    expect(decode(v6, 'inet_ip')).toBe('2400:cb00:4:1024::a29e:fd8f');
    expect(decode(Uint8Array.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 10, 0, 0, 1]), 'inet_ip')).toBe('10.0.0.1');
    expect(decode(new Uint8Array(16), 'inet_ip')).toBe('::');
    expect(decode(Uint8Array.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]), 'inet_ip')).toBe('::1');
    // A single zero group is not compressed; the first of two equally long runs is.
    expect(decode(Uint8Array.from([0x20, 1, 0x0d, 0xb8, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0]), 'inet_ip')).toBe('2001:db8:0:1::1:0');
    expect(decode(Uint8Array.from([0x20, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 1]), 'inet_ip')).toBe('2001::1:0:0:1:1');
    expect(decode(new Uint8Array([1, 2, 3]), 'inet_ip')).toBe('?010203');
  });

  it('ifname resolves interface indexes and falls back to unknown:<index>', () => {
    expect(decode(le(2, 4), 'ifname')).toBe('eth0');
    expect(decode(le(7, 4), 'ifname')).toBe('unknown:7');
  });

  it('ifname caches found names but retries misses', () => {
    const names = new Map<number, string>();
    let lookups = 0;
    const counting = createDecoderRegistry(environment({ ifname: (index) => (lookups++, names.get(index)) }));
    expect(counting.decode(le(3, 4), chain('ifname'))).toBe('unknown:3');
    names.set(3, 'veth0');
    expect(counting.decode(le(3, 4), chain('ifname'))).toBe('veth0');
    expect(counting.decode(le(3, 4), chain('ifname'))).toBe('veth0');
    expect(lookups).toBe(2);
  });

  it('majorminor resolves device numbers with the glibc split', () => {
    expect(decode(le((259 << 8) | 0, 4), 'majorminor')).toBe('nvme0n1');
    expect(decode(le(0x0810, 4), 'majorminor')).toBe('sdb');
    expect(decode(le(0x8810, 4), 'majorminor')).toBe('sdx');
    expect(decode(le(0x0800, 4), 'majorminor')).toBe('unknown:8:0');
    expect(decode(le(0x12345, 4), 'majorminor')).toBe('unknown:291:69');
  });

  it('ksym finds the exact symbol, module symbols keep their suffix, misses print the address', () => {
    expect(decode(le(0xffffffff81001000n, 8), 'ksym')).toBe('do_one_initcall');
    expect(decode(le(0xffffffffc0a01000n, 8), 'ksym')).toBe('xfs_file_read_iter\t[xfs]');
    expect(decode(le(0xffffffff81001008n, 8), 'ksym')).toBe('unknown_addr:0xffffffff81001008');
    // The name is the third space-separated field, as upstream splits kallsyms lines.
    expect(decode(le(0xffffffffc0a02000n, 8), 'ksym')).toBe('a');
  });

  it('ksym re-reads kallsyms on a miss (a module may have been loaded)', () => {
    let text = KALLSYMS;
    let reads = 0;
    const reloading = createDecoderRegistry(environment({ kallsyms: () => (reads++, text) }));
    const address = le(0xffffffffc0b00000n, 8);
    expect(reloading.decode(address, chain('ksym'))).toBe('unknown_addr:0xffffffffc0b00000');
    text += '\nffffffffc0b00000 t ext4_sync_file\t[ext4]';
    expect(reloading.decode(address, chain('ksym'))).toBe('ext4_sync_file\t[ext4]');
    expect(reloading.decode(le(0xffffffff81000000n, 8), chain('ksym'))).toBe('_stext');
    expect(reads).toBe(3);
  });

  it('kstack symbolises frames up to the first zero, ?? below the first symbol', () => {
    const stack = new Uint8Array(40);
    stack.set(le(0xffffffff81002010n, 8), 0);
    stack.set(le(0xffffffff81001fffn, 8), 8);
    stack.set(le(0x1000n, 8), 16);
    stack.set(le(0xffffffff81000000n, 8), 32); // after the terminating zero: ignored
    expect(decode(stack, 'kstack')).toBe('run_timer_softirq\ndo_one_initcall\n??');
  });

  it('cgroup resolves ids and falls back to unknown_cgroup_id:<id>', () => {
    expect(decode(le(4242, 8), 'uint', 'cgroup')).toBe('/sys/fs/cgroup/system.slice/ssh.service');
    expect(decode(le(17, 8), 'uint', 'cgroup')).toBe('unknown_cgroup_id:17');
  });

  it('errno names errors, 0 and unknown numbers are unknown:<n>', () => {
    expect(decode(le(1, 4), 'uint', 'errno')).toBe('EPERM');
    expect(decode(le(32, 4), 'uint', 'errno')).toBe('EPIPE');
    expect(decode(le(104, 4), 'uint', 'errno')).toBe('ECONNRESET');
    // Aliases resolve to the name Go's x/sys/unix prints.
    expect(decode(le(11, 4), 'uint', 'errno')).toBe('EAGAIN');
    expect(decode(le(95, 4), 'uint', 'errno')).toBe('ENOTSUP');
    expect(decode(le(0, 4), 'uint', 'errno')).toBe('unknown:0');
    expect(decode(le(4000, 4), 'uint', 'errno')).toBe('unknown:4000');
  });

  it('syscall uses strace handler names per architecture', () => {
    expect(decode(le(0, 8), 'uint', 'syscall')).toBe('read');
    expect(decode(le(7, 8), 'uint', 'syscall')).toBe('poll_time64');
    expect(decode(le(17, 8), 'uint', 'syscall')).toBe('pread');
    expect(decode(le(461, 8), 'uint', 'syscall')).toBe('lsm_list_modules');
    expect(decode(le(400, 8), 'uint', 'syscall')).toBe('unknown_syscall:400');
    const arm64 = createDecoderRegistry(environment({ arch: 'arm64' }));
    expect(arm64.decode(le(63, 8), chain('uint', 'syscall'))).toBe('read');
    expect(arm64.decode(le(0, 8), chain('uint', 'syscall'))).toBe('io_setup');
  });

  it('static_map maps values, with unknown:<in>, allow_unknown and empty mapping fallbacks', () => {
    const staticMap = new Map([
      ['1', 'read'],
      ['2', 'write'],
    ]);
    expect(decode(le(2, 1), 'uint', { name: 'static_map', staticMap })).toBe('write');
    expect(decode(le(9, 1), 'uint', { name: 'static_map', staticMap })).toBe('unknown:9');
    expect(decode(le(9, 1), 'uint', { name: 'static_map', staticMap, allowUnknown: true })).toBe('9');
    expect(decode(le(9, 1), 'uint', 'static_map')).toBe('empty mapping');
  });

  it('regexp returns the single group or whole match, passes over multi-group regexps, skips non-matches', () => {
    const comm = ascii('kworker/u8:2\0\0\0\0');
    expect(decode(comm, 'string', { name: 'regexp', regexps: [go('^(kworker)/')] })).toBe('kworker');
    expect(decode(comm, 'string', { name: 'regexp', regexps: [go('^kw\\w+')] })).toBe('kworker');
    expect(decode(comm, 'string', { name: 'regexp', regexps: [go('^(k)(w)'), go('u\\d')] })).toBe('u8');
    expect(decode(comm, 'string', { name: 'regexp', regexps: [go('^(?:x)?(z)?')] })).toBe('');
    expect(decode(comm, 'string', { name: 'regexp', regexps: [go('^bash$')] })).toBe(SKIP);
    expect(() => decode(comm, 'string', 'regexp')).toThrow('regexp: no regexps configured');
  });

  it('dname prints DNS wire names dotted, the root as ., malformed input unchanged', () => {
    expect(decode(Uint8Array.from([3, ...ascii('www'), 7, ...ascii('example'), 3, ...ascii('com'), 0, 0, 0]), 'dname')).toBe('www.example.com');
    expect(decode(Uint8Array.from([3, ...ascii('com')]), 'dname')).toBe('com');
    expect(decode(new Uint8Array(0), 'dname')).toBe('.');
    expect(decode(new Uint8Array(4), 'dname')).toBe('.');
    expect(decode(Uint8Array.from([9, ...ascii('short')]), 'dname')).toBe('\tshort');
  });

  it('pci decoders name vendors, devices, classes and subclasses from pci.ids', () => {
    expect(decode(le(0x8086, 2), 'uint', 'pci_vendor')).toBe('Intel Corporation');
    expect(decode(le(0x0070, 2), 'uint', 'pci_vendor')).toBe('unknown pci vendor: 0x70');
    expect(decode(le(0x1234, 2), 'uint', 'pci_vendor')).toBe('unknown pci vendor: 0x1234');
    expect(decode(le(0x80861539, 4), 'uint', 'pci_device')).toBe('I211 Gigabit Network Connection');
    expect(decode(le(0x8086ffff, 4), 'uint', 'pci_device')).toBe('unknown pci device: 0x8086ffff');
    expect(decode(le(0x02, 1), 'uint', 'pci_class')).toBe('Network controller');
    expect(decode(le(0x7f, 1), 'uint', 'pci_class')).toBe('unknown pci class: 0x7f');
    expect(decode(le(0x0200, 2), 'uint', 'pci_subclass')).toBe('Ethernet controller');
    expect(decode(le(0x0277, 2), 'uint', 'pci_subclass')).toBe('unknown pci subclass: 0x77 (class 0x02)');
    expect(decode(le(0x7f00, 2), 'uint', 'pci_subclass')).toBe('unknown pci class: 0x7f');
    expect(decode(le(0x0108, 2), 'uint', 'pci_subclass')).toBe('Non-Volatile memory controller');
    expect(decode(le(0x0003, 2), 'uint', 'pci_subclass')).toBe('unknown pci subclass: 0x03 (class 0x00)');
  });

  it('pci decoders report a missing database and read pci.ids once', () => {
    let reads = 0;
    const noDb = createDecoderRegistry(environment({ pciIds: () => (reads++, undefined) }));
    for (const name of ['pci_vendor', 'pci_device', 'pci_class', 'pci_subclass']) {
      expect(noDb.decode(le(0x8086, 2), chain('uint', name))).toBe('missing pci.ids db');
      expect(noDb.decode(new TextEncoder().encode('not a number'), chain('string', name))).toBe('missing pci.ids db');
    }
    expect(reads).toBe(1);
  });

  it('decimal-input decoders reject input that is not a number', () => {
    for (const name of ['cgroup', 'errno', 'syscall', 'pci_vendor']) {
      expect(() => decode(ascii('abc'), 'string', name)).toThrow(/cannot parse "abc" as an unsigned integer/);
    }
  });
});
