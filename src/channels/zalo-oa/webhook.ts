/**
 * The OA webhook's front door, pure: signature check and Zalo's unsigned `{}` probe.
 *
 * Zalo signs each event with `X-ZEvent-Signature: mac=<hex>` where
 * `mac = sha256hex(<first> + rawBody + timestamp + <secret>)` — plain SHA-256, not HMAC, over
 * the exact bytes received (shared/reference/zalo.md §1.6). Sources disagree on the terms,
 * so the formula is a setting (`ZALO_OA_SIGNATURE`): `app-id+oa-secret` (recommended,
 * confirmed against live events by one codebase), `oa-id+oa-secret`, `app-id+app-secret`; a
 * list accepts any of them (bring-up) and the result says which matched, to log and then lock
 * down. Every comparison is constant-time over equal-length digests.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import { parseJsonExact } from "../zalo/json.js";

export type OaSignatureFormula = "app-id+oa-secret" | "oa-id+oa-secret" | "app-id+app-secret";
export const OA_SIGNATURE_FORMULAS: readonly OaSignatureFormula[] = ["app-id+oa-secret", "oa-id+oa-secret", "app-id+app-secret"];

export interface OaWebhookSettings {
  appId: string;
  /** The OA Secret Key from the app's Webhook page. */
  oaSecret: string;
  /** The app secret (only for the `app-id+app-secret` formula). */
  appSecret?: string;
  /** Accepted formulas, tried in order. */
  formulas: readonly OaSignatureFormula[];
}

export type OaWebhookVerdict =
  /** Zalo's check when the URL is saved: answer 200, do nothing. */
  | { status: 200; kind: "probe" }
  | { status: 200; kind: "event"; payload: Record<string, unknown>; formula: OaSignatureFormula }
  | { status: 400; kind: "malformed" }
  | { status: 401; kind: "bad-signature" };

const sha256hex = (s: string) => createHash("sha256").update(s, "utf8").digest("hex");

/** The MAC Zalo sends for `rawBody` under one formula. */
export function oaSignature(rawBody: string, fields: { appId: string; oaId: string; timestamp: string }, formula: OaSignatureFormula, secrets: { oaSecret: string; appSecret?: string }): string {
  const first = formula.startsWith("oa-id") ? fields.oaId : fields.appId;
  const secret = formula.endsWith("app-secret") ? (secrets.appSecret ?? "") : secrets.oaSecret;
  return sha256hex(first + rawBody + fields.timestamp + secret);
}

function equalHex(given: string, expected: string): boolean {
  const a = Buffer.from(given.toLowerCase(), "utf8"), b = Buffer.from(expected, "utf8");
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Checks one webhook request (raw body as received, the `X-ZEvent-Signature` header). */
export function verifyOaWebhook(rawBody: string, signatureHeader: string | undefined, settings: OaWebhookSettings): OaWebhookVerdict {
  let payload: unknown;
  try {
    payload = parseJsonExact(rawBody);
  } catch {
    // An unparseable body is only worth a 400 when signed correctly; unsigned garbage is refused.
    return signatureHeader ? { status: 401, kind: "bad-signature" } : { status: 400, kind: "malformed" };
  }
  const obj = typeof payload === "object" && payload !== null && !Array.isArray(payload) ? (payload as Record<string, unknown>) : undefined;
  if (obj && Object.keys(obj).length === 0 && !signatureHeader) return { status: 200, kind: "probe" };
  if (!signatureHeader || !obj) return { status: 401, kind: "bad-signature" };
  const mac = signatureHeader.trim().replace(/^mac=/i, "");
  const appId = str(obj.app_id), timestamp = str(obj.timestamp);
  if (!/^[0-9a-fA-F]{64}$/.test(mac) || !appId || !timestamp || appId !== settings.appId) return { status: 401, kind: "bad-signature" };
  const oaId = str(obj.oa_id) ?? (isObj(obj.recipient) ? str(obj.recipient.id) : undefined) ?? "";
  for (const formula of settings.formulas) {
    if (formula === "app-id+app-secret" && !settings.appSecret) continue;
    if (formula === "oa-id+oa-secret" && !oaId) continue;
    if (equalHex(mac, oaSignature(rawBody, { appId, oaId, timestamp }, formula, settings))) return { status: 200, kind: "event", payload: obj, formula };
  }
  return { status: 401, kind: "bad-signature" };
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === "string" && v ? v : typeof v === "number" && Number.isSafeInteger(v) ? String(v) : undefined);
