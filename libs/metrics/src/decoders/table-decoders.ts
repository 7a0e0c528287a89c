import { asText, parseUnsignedNumber, SKIP, type Decoder } from './decoder';
import { ERRNO_NAMES } from './errno-table';
import { ARM64_SYSCALLS, X86_64_SYSCALLS } from './syscall-table';

/** A decimal errno to its name; 0 and unknown numbers become `unknown:<n>`. */
export const errnoDecoder: Decoder = {
  decode(input) {
    const number = parseUnsignedNumber(input, 'errno');
    return ERRNO_NAMES[number] ?? `unknown:${asText(input)}`;
  },
};

/** A decimal syscall number to strace's name for this architecture, else `unknown_syscall:<n>`. */
export function createSyscallDecoder(arch: 'x86_64' | 'arm64'): Decoder {
  const table = arch === 'arm64' ? ARM64_SYSCALLS : X86_64_SYSCALLS;
  return {
    decode(input) {
      const number = parseUnsignedNumber(input, 'syscall');
      return table[number] ?? `unknown_syscall:${asText(input)}`;
    },
  };
}

/** Looks the input up in `static_map`: unknown inputs become `unknown:<in>` unless `allow_unknown`. */
export const staticMapDecoder: Decoder = {
  decode(input, config) {
    if (config.staticMap === undefined) return 'empty mapping';
    const text = asText(input);
    const mapped = config.staticMap.get(text);
    if (mapped !== undefined) return mapped;
    return config.allowUnknown ? text : `unknown:${text}`;
  },
};

/**
 * The first of `regexps` that matches decides: its only capture group, or the whole match when it has no
 * groups (a regexp with more groups is passed over). No match drops the label set.
 */
export const regexpDecoder: Decoder = {
  decode(input, config) {
    if (config.regexps.length === 0) throw new Error('regexp: no regexps configured');
    const text = asText(input);
    for (const regexp of config.regexps) {
      if (regexp.groupCount > 1) continue;
      const match = regexp.find(text);
      if (match) return match[regexp.groupCount] ?? '';
    }
    return SKIP;
  },
};
