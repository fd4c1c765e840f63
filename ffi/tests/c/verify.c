/* Verifies zklc finality proofs in order through the C ABI.
 * Usage: verify VK.bin STATE.bin NOW_MS (HEADER.bin PROOF.bin)...
 *        verify --run VK.bin STATE.bin NOW_MS (HEADER.bin PROOF.bin FIRST.bin)...
 * STATE.bin: chain_id, height, timestamp (u64 big-endian each), header hash
 * (32 bytes), signing set (32 bytes big-endian): 88 bytes.
 * With --run the proofs are depth-k proofs (zklc_verify_run) and FIRST.bin
 * holds the run's first height and timestamp (u64 big-endian each): 16 bytes.
 * Exits with the first error code (printing it), 0 when every proof verifies. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "zklc.h"

static unsigned char *read_file(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) { perror(path); exit(100); }
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  unsigned char *buf = malloc(n > 0 ? (size_t)n : 1);
  if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n) { fprintf(stderr, "%s: read error\n", path); exit(100); }
  fclose(f);
  *len = (size_t)n;
  return buf;
}

static uint64_t be64(const unsigned char *p) {
  uint64_t v = 0;
  for (int i = 0; i < 8; i++) v = (v << 8) | p[i];
  return v;
}

int main(int argc, char **argv) {
  int run = argc > 1 && strcmp(argv[1], "--run") == 0;
  if (run) { argv++; argc--; }
  int per = run ? 3 : 2;
  if (argc < 4 || (argc - 4) % per != 0) {
    fprintf(stderr, "usage: %s [--run] VK STATE NOW_MS (HEADER PROOF [FIRST])...\n", argv[0]);
    return 100;
  }
  size_t vk_len, state_len;
  unsigned char *vk = read_file(argv[1], &vk_len);
  unsigned char *raw = read_file(argv[2], &state_len);
  if (state_len != 88) { fprintf(stderr, "state file must be 88 bytes\n"); return 100; }
  ZklcTrustedState state;
  state.chain_id = be64(raw);
  state.height = be64(raw + 8);
  state.timestamp = be64(raw + 16);
  memcpy(state.header_hash, raw + 24, 32);
  memcpy(state.signing_set, raw + 56, 32);
  uint64_t now = strtoull(argv[3], NULL, 10);
  for (int i = 4; i < argc; i += per) {
    size_t header_len, proof_len;
    unsigned char *header = read_file(argv[i], &header_len);
    unsigned char *proof = read_file(argv[i + 1], &proof_len);
    int rc;
    if (run) {
      size_t first_len;
      unsigned char *first = read_file(argv[i + 2], &first_len);
      if (first_len != 16) { fprintf(stderr, "%s must be 16 bytes\n", argv[i + 2]); return 100; }
      rc = zklc_verify_run(vk, vk_len, &state, be64(first), be64(first + 8), header, header_len,
                           proof, proof_len, now, NULL, &state);
      free(first);
    } else {
      rc = zklc_verify(vk, vk_len, &state, header, header_len, proof, proof_len, now, NULL, &state);
    }
    free(header);
    free(proof);
    if (rc != ZKLC_OK) {
      printf("refused %s: %d (%s)\n", argv[i + 1], rc, zklc_error_message(rc));
      return rc;
    }
    printf("ok height %llu\n", (unsigned long long)state.height);
  }
  free(vk);
  free(raw);
  return 0;
}
