#!/usr/bin/env node
// SPDX-License-Identifier: MIT
// Copies the kernel's own BTF out of an uncompressed kernel image (e.g. Debian's arm64
// /boot/vmlinuz-*, which is a plain Image): the .BTF section lies in the image as it is loaded, so the
// blob is found by its header (magic 0xeB9F, version 1, 24-byte header). The largest one is the kernel's.
//   node include/btf-from-image.mjs <image> <out.btf>
import { readFileSync, writeFileSync } from 'node:fs';

const [image, out] = process.argv.slice(2);
if (!image || !out) {
  console.error('usage: btf-from-image.mjs <kernel image> <out.btf>');
  process.exit(2);
}
const data = readFileSync(image);
const HEADER = Buffer.from([0x9f, 0xeb, 0x01, 0x00, 0x18, 0x00, 0x00, 0x00]);
let best;
for (let at = data.indexOf(HEADER); at >= 0; at = data.indexOf(HEADER, at + 1)) {
  if (at + 24 > data.length) break;
  const [typeOff, typeLen, strOff, strLen] = [8, 12, 16, 20].map((offset) => data.readUInt32LE(at + offset));
  const length = 24 + Math.max(typeOff + typeLen, strOff + strLen);
  if (at + length <= data.length && (!best || length > best.length)) best = { at, length };
}
if (!best) {
  console.error(`btf-from-image: no BTF in ${image} (compressed image, or a kernel without CONFIG_DEBUG_INFO_BTF?)`);
  process.exit(1);
}
writeFileSync(out, data.subarray(best.at, best.at + best.length));
console.log(`wrote ${out}: ${best.length} bytes of BTF found at offset ${best.at} of ${image}`);
