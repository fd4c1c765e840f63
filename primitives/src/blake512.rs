//! BLAKE-512, the original SHA-3 finalist BLAKE (not BLAKE2), as circomlibjs
//! uses for `[SIG-SIGN]` key expansion and nonces.
//!
//! Written here because the `blake-hash` crate (0.3 and 0.4) computes wrong
//! digests with current versions of its SIMD dependency (its empty-input
//! digest differs from the published one). Checked against the published
//! known answers and circomlibjs' digests in `tests/vectors.rs`.

use alloc::vec::Vec;

const IV: [u64; 8] = [
    0x6A09E667F3BCC908,
    0xBB67AE8584CAA73B,
    0x3C6EF372FE94F82B,
    0xA54FF53A5F1D36F1,
    0x510E527FADE682D1,
    0x9B05688C2B3E6C1F,
    0x1F83D9ABFB41BD6B,
    0x5BE0CD19137E2179,
];

const C: [u64; 16] = [
    0x243F6A8885A308D3,
    0x13198A2E03707344,
    0xA4093822299F31D0,
    0x082EFA98EC4E6C89,
    0x452821E638D01377,
    0xBE5466CF34E90C6C,
    0xC0AC29B7C97C50DD,
    0x3F84D5B5B5470917,
    0x9216D5D98979FB1B,
    0xD1310BA698DFB5AC,
    0x2FFD72DBD01ADFB7,
    0xB8E1AFED6A267E96,
    0xBA7C9045F12C7F99,
    0x24A19947B3916CF7,
    0x0801F2E2858EFC16,
    0x636920D871574E69,
];

const SIGMA: [[usize; 16]; 10] = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15],
    [14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3],
    [11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4],
    [7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8],
    [9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13],
    [2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9],
    [12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11],
    [13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10],
    [6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5],
    [10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0],
];

const BLOCK: usize = 128;
const ROUNDS: usize = 16;

fn compress(h: &mut [u64; 8], block: &[u8], counter: u128) {
    let mut m = [0u64; 16];
    for (i, word) in m.iter_mut().enumerate() {
        *word = u64::from_be_bytes(block[8 * i..8 * i + 8].try_into().expect("8 bytes"));
    }
    let (t0, t1) = (counter as u64, (counter >> 64) as u64);
    let mut v = [0u64; 16];
    v[..8].copy_from_slice(h);
    v[8..12].copy_from_slice(&C[..4]);
    v[12] = t0 ^ C[4];
    v[13] = t0 ^ C[5];
    v[14] = t1 ^ C[6];
    v[15] = t1 ^ C[7];
    let g =
        |v: &mut [u64; 16], s: &[usize; 16], i: usize, a: usize, b: usize, c: usize, d: usize| {
            let (x, y) = (s[2 * i], s[2 * i + 1]);
            v[a] = v[a].wrapping_add(v[b]).wrapping_add(m[x] ^ C[y]);
            v[d] = (v[d] ^ v[a]).rotate_right(32);
            v[c] = v[c].wrapping_add(v[d]);
            v[b] = (v[b] ^ v[c]).rotate_right(25);
            v[a] = v[a].wrapping_add(v[b]).wrapping_add(m[y] ^ C[x]);
            v[d] = (v[d] ^ v[a]).rotate_right(16);
            v[c] = v[c].wrapping_add(v[d]);
            v[b] = (v[b] ^ v[c]).rotate_right(11);
        };
    for r in 0..ROUNDS {
        let s = &SIGMA[r % 10];
        g(&mut v, s, 0, 0, 4, 8, 12);
        g(&mut v, s, 1, 1, 5, 9, 13);
        g(&mut v, s, 2, 2, 6, 10, 14);
        g(&mut v, s, 3, 3, 7, 11, 15);
        g(&mut v, s, 4, 0, 5, 10, 15);
        g(&mut v, s, 5, 1, 6, 11, 12);
        g(&mut v, s, 6, 2, 7, 8, 13);
        g(&mut v, s, 7, 3, 4, 9, 14);
    }
    for i in 0..8 {
        h[i] ^= v[i] ^ v[i + 8];
    }
}

/// BLAKE-512 of the concatenation of `parts` (no salt).
pub fn blake512(parts: &[&[u8]]) -> [u8; 64] {
    let msg: Vec<u8> = parts.concat();
    let bits = (msg.len() as u128) * 8;
    let mut h = IV;
    let full = msg.len() / BLOCK;
    for (i, block) in msg.chunks_exact(BLOCK).enumerate() {
        compress(&mut h, block, ((i + 1) * BLOCK * 8) as u128);
    }
    // Padding: 0x80, zeros, a final 1 bit before the 128-bit length.
    let rest = &msg[full * BLOCK..];
    let mut tail = Vec::with_capacity(2 * BLOCK);
    tail.extend_from_slice(rest);
    tail.push(0x80);
    let len_with_marker = tail.len() + 16;
    let padded = len_with_marker.div_ceil(BLOCK) * BLOCK;
    tail.resize(padded - 16, 0);
    *tail.last_mut().expect("non-empty") |= 0x01;
    tail.extend_from_slice(&bits.to_be_bytes());
    for (i, block) in tail.chunks_exact(BLOCK).enumerate() {
        // The counter holds the message bits up to the end of this block;
        // a block with no message bits at all has counter 0.
        let block_start = full * BLOCK + i * BLOCK;
        let counter = if block_start < msg.len() { bits } else { 0 };
        compress(&mut h, block, counter);
    }
    let mut out = [0u8; 64];
    for (i, word) in h.iter().enumerate() {
        out[8 * i..8 * i + 8].copy_from_slice(&word.to_be_bytes());
    }
    out
}
