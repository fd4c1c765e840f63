"""Small tools over snarkjs' .zkey files and proofs for ceremony-check.sh.

  zkey_tool.py flip FILE OUT SECTION OFFSET   one byte of SECTION changed
  zkey_tool.py drop FILE OUT INDEX            contribution INDEX (1-based)
                                               removed from section 10
  zkey_tool.py proof SNARKJS_PROOF ZKLC_PROOF OUT
      a zklc proof file ([FMT-PROOF]) carrying snarkjs' proof: the fields of
      ZKLC_PROOF with its "proof" replaced by SNARKJS_PROOF's points in
      arkworks' compressed layout ([PROOF-SYSTEM]).
"""
import json
import struct
import sys

P = 21888242871839275222246405745257275088696311157297823662689037894645226208583


def sections(data):
    assert data[:4] == b"zkey"
    count = struct.unpack_from("<I", data, 8)[0]
    pos, out = 12, []
    for _ in range(count):
        sid, size = struct.unpack_from("<IQ", data, pos)
        out.append((sid, pos + 12, size))
        pos += 12 + size
    return out


def rebuild(data, replace):
    out = bytearray(data[:12])
    for sid, start, size in sections(data):
        body = replace.get(sid, data[start:start + size])
        out += struct.pack("<IQ", sid, len(body)) + body
    return bytes(out)


def flip(path, out, section, offset):
    data = bytearray(open(path, "rb").read())
    for sid, start, size in sections(data):
        if sid == section:
            data[start + offset] ^= 0x01
            open(out, "wb").write(data)
            return
    sys.exit("no section %d" % section)


def drop(path, out, index):
    data = open(path, "rb").read()
    body = next(data[s:s + n] for sid, s, n in sections(data) if sid == 10)
    count = struct.unpack_from("<I", body, 64)[0]
    pos, entries = 68, []
    for _ in range(count):
        start = pos
        pos += 64 * 3 + 128 + 64 + 4
        plen = struct.unpack_from("<I", body, pos)[0]
        pos += 4 + plen
        entries.append(body[start:pos])
    del entries[index - 1]
    new = body[:64] + struct.pack("<I", len(entries)) + b"".join(entries)
    open(out, "wb").write(rebuild(data, {10: new}))


def g1(pt):
    x, y = int(pt[0]), int(pt[1])
    b = bytearray(x.to_bytes(32, "little"))
    if y > (P - y) % P:
        b[31] |= 0x80
    return bytes(b)


def g2(pt):
    x0, x1 = int(pt[0][0]), int(pt[0][1])
    y0, y1 = int(pt[1][0]), int(pt[1][1])
    b = bytearray(x0.to_bytes(32, "little") + x1.to_bytes(32, "little"))
    if (y1, y0) > ((P - y1) % P, (P - y0) % P):
        b[63] |= 0x80
    return bytes(b)


def proof(snarkjs_proof, zklc_proof, out):
    p = json.load(open(snarkjs_proof))
    f = json.load(open(zklc_proof))
    f["proof"] = "0x" + (g1(p["pi_a"]) + g2(p["pi_b"]) + g1(p["pi_c"])).hex()
    json.dump(f, open(out, "w"))


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "flip":
        flip(sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]))
    elif cmd == "drop":
        drop(sys.argv[2], sys.argv[3], int(sys.argv[4]))
    elif cmd == "proof":
        proof(sys.argv[2], sys.argv[3], sys.argv[4])
    else:
        sys.exit(__doc__)
