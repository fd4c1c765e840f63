// The header of a circom .r1cs file (iden3 binary format, section 1):
// n8, prime, nWires, nPubOut, nPubIn, nPrvIn, nLabels, nConstraints.
// Usage: node r1cs.mjs FILE  (prints the header as JSON)

import { openSync, readSync, closeSync } from "node:fs";

export function readR1csHeader(file) {
  const fd = openSync(file, "r");
  try {
    const read = (pos, len) => {
      const b = Buffer.alloc(len);
      if (readSync(fd, b, 0, len, pos) !== len) throw new Error(`${file}: truncated`);
      return b;
    };
    const head = read(0, 12);
    if (head.toString("ascii", 0, 4) !== "r1cs") throw new Error(`${file}: not an r1cs file`);
    const nSections = head.readUInt32LE(8);
    let pos = 12;
    for (let i = 0; i < nSections; i++) {
      const s = read(pos, 12);
      const id = s.readUInt32LE(0);
      const size = Number(s.readBigUInt64LE(4));
      if (id === 1) {
        const n8 = read(pos + 12, 4).readUInt32LE(0);
        const b = read(pos + 16 + n8, 28);
        return {
          n8,
          nWires: b.readUInt32LE(0),
          nPubOut: b.readUInt32LE(4),
          nPubIn: b.readUInt32LE(8),
          nPrvIn: b.readUInt32LE(12),
          nLabels: Number(b.readBigUInt64LE(16)),
          nConstraints: b.readUInt32LE(24),
        };
      }
      pos += 12 + size;
    }
    throw new Error(`${file}: no header section`);
  } finally {
    closeSync(fd);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(JSON.stringify(readR1csHeader(process.argv[2])));
}
