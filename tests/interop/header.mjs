// [HDR-ENC] and [HDR-HASH] in plain node (no npm packages), shared by the
// interop generator (lib.mjs) and the peer benchmark's input writer
// (benches/peer/input.mjs). Written from SPEC.md alone.

import { createHash } from "node:crypto";

// [HDR-ENC]: 156 bytes, big-endian integers, from a JSON header.
export function encodeHeader(h) {
  const b = Buffer.alloc(156);
  b.writeUInt32BE(h.version, 0);
  b.writeBigUInt64BE(BigInt(h.chain_id), 4);
  b.writeBigUInt64BE(BigInt(h.height), 12);
  b.writeBigUInt64BE(BigInt(h.timestamp), 20);
  Buffer.from(h.parent_hash.slice(2), "hex").copy(b, 28);
  Buffer.from(h.state_root.slice(2), "hex").copy(b, 60);
  Buffer.from(BigInt(h.validators_hash).toString(16).padStart(64, "0"), "hex").copy(b, 92);
  Buffer.from(BigInt(h.next_validators_hash).toString(16).padStart(64, "0"), "hex").copy(b, 124);
  return b;
}

// [HDR-HASH]: SHA-256 of the encoding.
export function headerHash(h) {
  return createHash("sha256").update(encodeHeader(h)).digest();
}
