#!/usr/bin/env python3
"""Writes primitives/src/poseidon_constants.bin from circomlib's constants.

Input: ../shared/vectors/poseidon_constants.json (circomlib's poseidon_constants,
per width t = 2..17). Output: for each t in order, the round constants C
((8 + partial_rounds) * t words, index round*t + i) then the MDS matrix M
(t*t words, row-major, new_i = sum_j M[i][j] * s_j); every word is a field
element as 32 big-endian bytes. The partial-round counts are in poseidon.rs.
The test `poseidon_constants_blob_matches_circomlib_json` checks the blob
against the JSON, so regenerate only if that test says so.
"""
import json, sys, pathlib
root = pathlib.Path(__file__).resolve().parent.parent
src = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else root.parent / "shared/vectors/poseidon_constants.json"
out = root / "primitives/src/poseidon_constants.bin"
R = 21888242871839275222246405745257275088548364400416034343698204186575808495617
buf = bytearray()
for e in sorted(json.load(open(src)), key=lambda e: e["t"]):
    t = e["t"]
    assert e["full_rounds"] == 8 and e["alpha"] == 5
    assert len(e["C"]) == (8 + e["partial_rounds"]) * t and len(e["M"]) == t
    words = [int(c) for c in e["C"]] + [int(x) for row in e["M"] for x in row]
    for w in words:
        assert 0 <= w < R
        buf += w.to_bytes(32, "big")
    print(f"t={t} partial_rounds={e['partial_rounds']}")
out.write_bytes(bytes(buf))
print(f"wrote {out} ({len(buf)} bytes)")
