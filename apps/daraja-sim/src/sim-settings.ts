/** Knobs the admin API turns; all shares are 0..1. */
export interface SimFaults {
  /** Added to every Daraja answer (OAuth, push, query). */
  latencyMs: number;
  /**
   * The push is taken (prompt out, callback on its way) and only its answer waits this long:
   * the caller may die or time out after Daraja accepted, before it learns the CheckoutRequestID.
   */
  pushAnswerDelayMs: number;
  /** Share of STK pushes answered HTTP 500 500.003.1001. */
  push500Rate: number;
  /** before_prompt: nothing reaches the phone; after_prompt: the prompt goes out anyway (like 9996). */
  push500Mode: 'before_prompt' | 'after_prompt';
  /** Share of STK queries answered HTTP 500 500.003.1001. */
  query500Rate: number;
  /** Share of STK queries answered HTTP 429 500.003.02 "Spike Arrest Violation". */
  query429Rate: number;
  /** Share of valid tokens refused with 404.001.03 on push and query. */
  invalidTokenRate: number;
  /** Share of callbacks never delivered (recorded as dropped). */
  callbackDropRate: number;
  /** Share of callbacks delivered twice. */
  callbackDuplicateRate: number;
  /** Each callback POST waits an extra random 0..N ms, so callbacks overtake each other. */
  callbackReorderWindowMs: number;
  /** Seed for the fault dice; unset means Math.random. */
  seed?: number;
}

export interface SimSettings {
  /** Push → customer acts (query turns final, callback sent). */
  callbackDelayMs: number;
  /** Push → late callback of scenario late_callback (9997). */
  lateCallbackMs: number;
  tokenTtlSeconds: number;
  /** Daraja sends "3599" (observed) but the 2025 docs show 3599; both readings are available. */
  expiresInType: 'string' | 'number';
  /**
   * A push to a phone with a live prompt. supersede (default): the new prompt replaces the old one,
   * which ends with callback 1001 "Unable to lock subscriber…". reject: the new push is refused
   * synchronously with 500.001.1001 "Unable to lock subscriber…" (REFERENCE §3.2).
   */
  concurrentPushPolicy: 'supersede' | 'reject';
  /** AccountReference > 12: callback_1025 (REFERENCE §9 #17, default) or reject (400.002.02). */
  longAccountReference: 'callback_1025' | 'reject';
}

export interface SimAccount {
  /** BusinessShortCode: paybill number or store/HO number. */
  shortcode: string;
  kind: 'paybill' | 'till';
  passkey: string;
  /** Till numbers served by this store number (till accounts only). */
  tills: string[];
}

export const SANDBOX_PAYBILL: SimAccount = {
  shortcode: '174379',
  kind: 'paybill',
  passkey: 'bfb279f9aa9bdbcf158e97dd71a467cd2e0c893059b10f78e6b72ada1ed2c919',
  tills: [],
};

/** Our own choice (not a Safaricom value): store number 174380 serving till 5123456. */
export const SIM_TILL: SimAccount = {
  shortcode: '174380',
  kind: 'till',
  passkey: '6f1d2c8e4b7a9053e2d1c4b8a7f6e5d4c3b2a19087f6e5d4c3b2a1908f7e6d5c',
  tills: ['5123456'],
};

export const NO_FAULTS: SimFaults = {
  latencyMs: 0,
  pushAnswerDelayMs: 0,
  push500Rate: 0,
  push500Mode: 'before_prompt',
  query500Rate: 0,
  query429Rate: 0,
  invalidTokenRate: 0,
  callbackDropRate: 0,
  callbackDuplicateRate: 0,
  callbackReorderWindowMs: 0,
};

/** Dice for faults; seeded (mulberry32) when a test wants the same run twice. */
export function makeRandom(seed?: number): () => number {
  if (seed === undefined) return Math.random;
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
