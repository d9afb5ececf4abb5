/**
 * The emulated account's coupons and coupon codes, with the rules that guard them (duplicates, the
 * coupon limit, UI-coupon expiration conflicts, assigned-code deletion). Failures are thrown as
 * JSON:API failures whose pointers are relative to a single-resource body (`/data/...`), so bulk jobs
 * can re-root them under `/data/attributes/coupon-codes/data/<index>`.
 */
import { fail, notFound } from "./failures";
import { couponCodeId } from "./ids";
import { OrderedIndex } from "./orderedIndex";
import type { CodeRecord, CodeStatus, CouponRecord, JobRecord } from "./model";
import { addYears, formatDateTime } from "./time";
import type { CouponDeleteMode } from "./types";

/** Input of coupon creation. */
export interface NewCoupon {
  id: string;
  description: string | null;
  monitorConfiguration: Record<string, unknown> | null;
}

/** Input of code creation; `expiresAt` undefined means omitted. */
export interface NewCode {
  couponId: string;
  uniqueCode: string;
  expiresAt: number | null | undefined;
}

/** See the module documentation. */
export class CouponStore {
  readonly coupons = new Map<string, CouponRecord>();
  readonly couponOrder = new OrderedIndex<CouponRecord>();
  readonly codes = new Map<string, CodeRecord>();
  readonly jobs = new Map<string, JobRecord>();
  readonly jobOrder = new OrderedIndex<JobRecord>();
  private readonly profileCodes = new Map<string, OrderedIndex<CodeRecord>>();
  private sequence = 0;

  /** A fresh, strictly increasing sequence number (shared by all record kinds). */
  nextSeq(): number {
    return ++this.sequence;
  }

  /** Drops everything. Sequences keep increasing so stale cursors never point into new data. */
  clear(): void {
    this.coupons.clear();
    this.couponOrder.clear();
    this.codes.clear();
    this.jobs.clear();
    this.jobOrder.clear();
    this.profileCodes.clear();
  }

  /** Creates a coupon; 409 on a duplicate id, 400 past the coupon limit. */
  createCoupon(input: NewCoupon, maxCoupons: number, ui?: { expiresAt: number | null }): CouponRecord {
    if (this.coupons.has(input.id)) {
      throw fail(409, `A coupon with external_id '${input.id}' already exists.`, {
        code: "duplicate_coupon",
        source: { pointer: "/data/attributes/external_id" },
        meta: { duplicate_coupon_id: input.id },
      });
    }
    if (this.coupons.size >= maxCoupons) {
      throw fail(
        400,
        `A maximum of ${maxCoupons} coupons can be active in an account at once; delete a coupon before creating '${input.id}'.`,
        { code: "coupon_limit_exceeded", source: { pointer: "/data" } },
      );
    }
    const coupon: CouponRecord = {
      id: input.id,
      seq: this.nextSeq(),
      description: input.description,
      monitorConfiguration: input.monitorConfiguration,
      source: ui ? "ui" : "api",
      uiExpiresAt: ui ? ui.expiresAt : null,
      codes: new OrderedIndex<CodeRecord>(),
      codesByUnique: new Map(),
    };
    this.coupons.set(coupon.id, coupon);
    this.couponOrder.push(coupon.seq, coupon);
    return coupon;
  }

  /** The coupon with this exact id, or a 404. */
  requireCoupon(id: string): CouponRecord {
    const coupon = this.coupons.get(id);
    if (!coupon) throw notFound(`A coupon with id '${id}' does not exist.`);
    return coupon;
  }

  /** Deletes a coupon; with `refuse-with-codes` a coupon that still has codes is a 409. */
  deleteCoupon(id: string, mode: CouponDeleteMode): void {
    const coupon = this.requireCoupon(id);
    if (mode === "refuse-with-codes" && coupon.codes.size > 0) {
      throw fail(409, `Coupon '${id}' still has ${coupon.codes.size} coupon code(s); delete them first.`, {
        code: "coupon_has_codes",
        meta: { coupon_code_count: coupon.codes.size },
      });
    }
    for (const code of coupon.codes.valuesInOrder()) this.forgetCode(code, coupon);
    this.coupons.delete(id);
    this.couponOrder.remove(coupon.seq);
  }

  /** Checks every creation rule without changing state; returns the code's final expiry. */
  checkNewCode(input: NewCode, nowMicros: number): { coupon: CouponRecord; expiresAt: number | null } {
    const coupon = this.coupons.get(input.couponId);
    if (!coupon) {
      throw fail(404, `A coupon with id '${input.couponId}' does not exist.`, {
        source: { pointer: "/data/relationships/coupon/data/id" },
      });
    }
    const existing = coupon.codesByUnique.get(input.uniqueCode);
    if (existing) {
      throw fail(
        409,
        `A coupon code with unique_code '${input.uniqueCode}' already exists for coupon '${coupon.id}'.`,
        {
          code: "duplicate_coupon_code",
          source: { pointer: "/data/attributes/unique_code" },
          meta: { duplicate_coupon_code_id: existing.id },
        },
      );
    }
    const id = couponCodeId(coupon.id, input.uniqueCode);
    const clash = this.codes.get(id);
    if (clash) {
      throw fail(409, `The coupon code id '${id}' is already used by a code of coupon '${clash.couponId}'.`, {
        code: "duplicate_coupon_code",
        source: { pointer: "/data/attributes/unique_code" },
        meta: { duplicate_coupon_code_id: id },
      });
    }
    return { coupon, expiresAt: this.resolveExpiry(coupon, input.expiresAt ?? null, nowMicros) };
  }

  /** Creates a code after {@link checkNewCode}'s rules. */
  createCode(input: NewCode, nowMicros: number): CodeRecord {
    const { coupon, expiresAt } = this.checkNewCode(input, nowMicros);
    const code: CodeRecord = {
      id: couponCodeId(coupon.id, input.uniqueCode),
      seq: this.nextSeq(),
      couponId: coupon.id,
      uniqueCode: input.uniqueCode,
      expiresAt,
      status: "UNASSIGNED",
      profileId: null,
    };
    this.codes.set(code.id, code);
    coupon.codes.push(code.seq, code);
    coupon.codesByUnique.set(code.uniqueCode, code);
    return code;
  }

  /** The code with this exact id, or a 404. */
  requireCode(id: string): CodeRecord {
    const code = this.codes.get(id);
    if (!code) throw notFound(`A coupon code with id '${id}' does not exist.`);
    return code;
  }

  /** Applies a PATCH: only `status` and `expires_at` change. */
  updateCode(
    id: string,
    patch: { status?: CodeStatus | null; expiresAt?: number | null },
    now: number,
  ): CodeRecord {
    const code = this.requireCode(id);
    let expiresAt = code.expiresAt;
    if (patch.expiresAt !== undefined) {
      expiresAt = this.resolveExpiry(this.requireCoupon(code.couponId), patch.expiresAt, now);
    }
    code.expiresAt = expiresAt;
    if (patch.status !== undefined && patch.status !== null) code.status = patch.status;
    return code;
  }

  /** Deletes a code; 409 when a profile has been assigned to it. */
  deleteCode(id: string): void {
    const code = this.requireCode(id);
    if (code.status === "ASSIGNED_TO_PROFILE" || code.profileId !== null) {
      throw fail(
        409,
        `Coupon code '${id}' is assigned to profile '${code.profileId ?? "(unknown)"}' and cannot be deleted.`,
        { code: "coupon_code_assigned", meta: { profile_id: code.profileId } },
      );
    }
    this.forgetCode(code, this.requireCoupon(code.couponId));
  }

  /** Assigns a code to a profile (control API). */
  assignCode(id: string, profileId: string): CodeRecord {
    const code = this.requireCode(id);
    if (code.profileId !== null) this.profileCodes.get(code.profileId)?.remove(code.seq);
    code.profileId = profileId;
    code.status = "ASSIGNED_TO_PROFILE";
    let index = this.profileCodes.get(profileId);
    if (!index) {
      index = new OrderedIndex<CodeRecord>();
      this.profileCodes.set(profileId, index);
    }
    // A profile's codes stay in code creation order, so re-insertion must not break monotonicity.
    const ordered = [...index.entriesAfter(-1), { seq: code.seq, value: code }].sort((a, b) => a.seq - b.seq);
    index.clear();
    for (const entry of ordered) index.push(entry.seq, entry.value);
    return code;
  }

  /** The codes assigned to a profile, in creation order. */
  codesOfProfile(profileId: string): OrderedIndex<CodeRecord> | undefined {
    return this.profileCodes.get(profileId);
  }

  private forgetCode(code: CodeRecord, coupon: CouponRecord): void {
    this.codes.delete(code.id);
    coupon.codes.remove(code.seq);
    coupon.codesByUnique.delete(code.uniqueCode);
    if (code.profileId !== null) this.profileCodes.get(code.profileId)?.remove(code.seq);
  }

  // UI coupons must agree with their codes' expiry (guide, "Common error cases"); API coupons default
  // a missing expiry to one year from now.
  private resolveExpiry(coupon: CouponRecord, requested: number | null, nowMicros: number): number | null {
    if (coupon.source === "api") return requested ?? addYears(nowMicros, 1);
    const couponExpiry = coupon.uiExpiresAt;
    const pointer = { pointer: "/data/attributes/expires_at" };
    if (couponExpiry !== null && requested === null) {
      throw fail(
        409,
        `Coupon '${coupon.id}' was created in the Klaviyo UI with an expiration date (${formatDateTime(couponExpiry)}); its coupon codes must have the same expires_at, but none was given.`,
        {
          code: "coupon_expiration_conflict",
          source: pointer,
          meta: { rule: "coupon-expires-code-does-not" },
        },
      );
    }
    if (couponExpiry !== null && requested !== null && requested !== couponExpiry) {
      throw fail(
        409,
        `Coupon '${coupon.id}' was created in the Klaviyo UI with expiration date ${formatDateTime(couponExpiry)}; the coupon code's expires_at ${formatDateTime(requested)} does not match it.`,
        { code: "coupon_expiration_conflict", source: pointer, meta: { rule: "expiration-mismatch" } },
      );
    }
    if (couponExpiry === null && requested !== null) {
      throw fail(
        409,
        `Coupon '${coupon.id}' was created in the Klaviyo UI without an expiration date; its coupon codes cannot have an expires_at (got ${formatDateTime(requested)}).`,
        { code: "coupon_expiration_conflict", source: pointer, meta: { rule: "coupon-does-not-expire" } },
      );
    }
    return couponExpiry;
  }
}
