/** Every decoder upstream ships, by the name configs use. */
export const DECODER_NAMES = [
  'cgroup',
  'dname',
  'errno',
  'hex',
  'ifname',
  'inet_ip',
  'kstack',
  'ksym',
  'majorminor',
  'pci_class',
  'pci_device',
  'pci_subclass',
  'pci_vendor',
  'regexp',
  'static_map',
  'string',
  'syscall',
  'uint',
] as const;

export type DecoderName = (typeof DECODER_NAMES)[number];

export function isDecoderName(name: string): name is DecoderName {
  return (DECODER_NAMES as readonly string[]).includes(name);
}
