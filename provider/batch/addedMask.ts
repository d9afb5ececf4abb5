/**
 * Which of a batch's stored codes the last apply added, as a bit per code: `kbm1:<count>:<base64 of the
 * raw deflate of the bits>`. It costs an eighth of a byte a code (less after deflate, as added codes come
 * in runs), where the codes themselves again would double the state. Positions refer to `codes` as
 * stored (listed codes sorted, generated ones in drawn order), so it is rebuilt whenever `codes` is.
 */
import { deflateRawSync, inflateRawSync } from "zlib";

const PREFIX = "kbm1:";

/** Packs the positions of `codes` that are in `added` (all, none, or a few, without a set of all). */
export function packAddedMask(codes: readonly string[], added: readonly string[]): string {
  const bits = Buffer.alloc(Math.ceil(codes.length / 8));
  if (added.length >= codes.length && added.length > 0) {
    bits.fill(0xff);
  } else if (added.length > 0) {
    const wanted = new Set(added);
    codes.forEach((code, i) => {
      if (wanted.has(code)) bits[i >> 3] |= 1 << (i & 7);
    });
  }
  return `${PREFIX}${codes.length}:${deflateRawSync(bits, { level: 9 }).toString("base64")}`;
}

/**
 * The codes a mask marks, or [] when there is no mask (state written before it existed). A mask that
 * does not fit `codes` (damaged, or out of step) reads as nothing added rather than failing the apply:
 * it only feeds `addedCodes`, never what is deleted or uploaded.
 */
export function unpackAddedMask(mask: unknown, codes: readonly string[]): string[] {
  if (typeof mask !== "string" || !mask.startsWith(PREFIX)) return [];
  const [count, data] = mask.slice(PREFIX.length).split(":");
  if (Number(count) !== codes.length || data === undefined) return [];
  let bits: Buffer;
  try {
    bits = inflateRawSync(Buffer.from(data, "base64"), { maxOutputLength: Math.ceil(codes.length / 8) + 1 });
  } catch {
    return [];
  }
  return codes.filter((_, i) => ((bits[i >> 3] ?? 0) & (1 << (i & 7))) !== 0);
}
