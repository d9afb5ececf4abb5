/**
 * HMAC-SHA256 computed in JavaScript for the many short messages code generation hashes. Node's
 * `createHmac` allocates a native object per message, which only the garbage collector frees: 100,000
 * generated codes held about 35 MB of the provider host's memory until the next collection. Here the key
 * is absorbed once, every message reuses the same few buffers, and the result equals `createHmac`'s
 * (the unit spec compares them).
 */

const ROUND_CONSTANTS = Int32Array.from([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
  0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
  0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
  0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
  0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
  0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
  0xc67178f2,
]);
const INITIAL_STATE = [
  0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
];
const BLOCK = 64;

const rotr = (x: number, n: number): number => (x >>> n) | (x << (32 - n));

// Absorbs one 64-byte block of `data` at `offset` into `state`, using `w` as scratch.
function compress(state: Int32Array, data: Uint8Array, offset: number, w: Int32Array): void {
  for (let i = 0; i < 16; i++) {
    const j = offset + 4 * i;
    w[i] = (data[j] << 24) | (data[j + 1] << 16) | (data[j + 2] << 8) | data[j + 3];
  }
  for (let i = 16; i < 64; i++) {
    const a = w[i - 15];
    const b = w[i - 2];
    const s0 = rotr(a, 7) ^ rotr(a, 18) ^ (a >>> 3);
    const s1 = rotr(b, 17) ^ rotr(b, 19) ^ (b >>> 10);
    w[i] = (w[i - 16] + s0 + w[i - 7] + s1) | 0;
  }
  let [a, b, c, d, e, f, g, h] = state;
  for (let i = 0; i < 64; i++) {
    const t1 =
      (h + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + ROUND_CONSTANTS[i] + w[i]) | 0;
    const t2 = ((rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) | 0;
    h = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + t2) | 0;
  }
  state[0] += a;
  state[1] += b;
  state[2] += c;
  state[3] += d;
  state[4] += e;
  state[5] += f;
  state[6] += g;
  state[7] += h;
}

/** HMAC-SHA256 of a fixed beginning followed by `rest`; the returned bytes are overwritten by the next call. */
export type KeyedHash = (rest: string) => Uint8Array;

/**
 * HMAC-SHA256 keyed with `key`, as `createHmac("sha256", key).update(fixed + rest)` computes it (strings
 * as UTF-8), for many messages that begin alike: the key and the whole blocks of `fixed` are absorbed
 * once. Not for secrets at rest: it is a generator's PRF, not a constant-time MAC.
 */
export function keyedSha256(key: string, fixed = ""): KeyedHash {
  const w = new Int32Array(64);
  let keyBytes: Uint8Array = Buffer.from(key, "utf8");
  if (keyBytes.length > BLOCK) keyBytes = sha256Of(keyBytes, w);
  const pad = new Uint8Array(BLOCK);
  const padded = (value: number): Int32Array => {
    for (let i = 0; i < BLOCK; i++) pad[i] = (keyBytes[i] ?? 0) ^ value;
    const state = Int32Array.from(INITIAL_STATE);
    compress(state, pad, 0, w);
    return state;
  };
  const fixedBytes = Buffer.from(fixed, "utf8");
  const absorbed = Math.floor(fixedBytes.length / BLOCK) * BLOCK;
  const inner = padded(0x36);
  for (let offset = 0; offset < absorbed; offset += BLOCK) compress(inner, fixedBytes, offset, w);
  const tail = fixedBytes.subarray(absorbed);
  const outer = padded(0x5c);
  const state = new Int32Array(8);
  const digest = new Uint8Array(32);
  let buffer = Buffer.alloc(256);
  buffer.set(tail);
  return (rest) => {
    const length = tail.length + Buffer.byteLength(rest, "utf8");
    const needed = Math.ceil((length + 9) / BLOCK) * BLOCK;
    if (buffer.length < needed) {
      buffer = Buffer.alloc(needed * 2);
      buffer.set(tail);
    }
    buffer.write(rest, tail.length, "utf8");
    state.set(inner);
    finish(state, buffer, length, BLOCK + absorbed + length, w);
    writeDigest(state, digest);
    // The outer hash covers one block: the inner digest and its padding, written over the spent key pad.
    state.set(outer);
    pad.set(digest, 0);
    finish(state, pad, 32, BLOCK + 32, w);
    writeDigest(state, digest);
    return digest;
  };
}

// Pads the `length` bytes at the start of `buffer` (which has room) and absorbs them; `total` is the
// length of the whole message hashed, the blocks already absorbed included.
function finish(state: Int32Array, buffer: Uint8Array, length: number, total: number, w: Int32Array): void {
  const end = Math.ceil((length + 9) / BLOCK) * BLOCK;
  buffer.fill(0, length, end);
  buffer[length] = 0x80;
  const bits = total * 8;
  // Messages here are far below 2^32 bits: the high word of the length stays zero.
  buffer[end - 4] = bits >>> 24;
  buffer[end - 3] = bits >>> 16;
  buffer[end - 2] = bits >>> 8;
  buffer[end - 1] = bits;
  for (let offset = 0; offset < end; offset += BLOCK) compress(state, buffer, offset, w);
}

function writeDigest(state: Int32Array, out: Uint8Array): void {
  for (let i = 0; i < 8; i++) {
    out[4 * i] = state[i] >>> 24;
    out[4 * i + 1] = state[i] >>> 16;
    out[4 * i + 2] = state[i] >>> 8;
    out[4 * i + 3] = state[i];
  }
}

function sha256Of(bytes: Uint8Array, w: Int32Array): Uint8Array {
  const state = Int32Array.from(INITIAL_STATE);
  const whole = Math.floor(bytes.length / BLOCK) * BLOCK;
  for (let offset = 0; offset < whole; offset += BLOCK) compress(state, bytes, offset, w);
  const tail = new Uint8Array(BLOCK * 2);
  tail.set(bytes.subarray(whole));
  finish(state, tail, bytes.length - whole, bytes.length, w);
  const out = new Uint8Array(32);
  writeDigest(state, out);
  return out;
}
