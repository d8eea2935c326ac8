/**
 * OAuth v4 for an OA (shared/reference/zalo.md §1.2): the PKCE pair and the permission link an
 * OA admin opens. Sources disagree on whether the pair is per request or the fixed one from the
 * console, so the caller decides: pass the stored verifier to reuse it. `state` must be checked
 * on the callback (`GET /zalo-oa/oauth/callback?code&oa_id&state`).
 */
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

/** `verifier`: 43 characters (base64url of 32 random bytes); `challenge`: base64url(SHA-256(verifier)), no padding. */
export function pkcePair(verifier = randomBytes(32).toString("base64url")): { verifier: string; challenge: string } {
  return { verifier, challenge: createHash("sha256").update(verifier, "ascii").digest("base64url") };
}

/** A random `state` for one connection attempt. */
export function oauthState(): string {
  return randomBytes(16).toString("base64url");
}

/** The link the OA admin opens to grant the app (no `code_challenge_method`: Zalo takes none). */
export function permissionUrl(o: { oauthRoot: string; appId: string; redirectUri: string; challenge: string; state: string }): string {
  const q = new URLSearchParams({ app_id: o.appId, redirect_uri: o.redirectUri, code_challenge: o.challenge, state: o.state });
  return `${o.oauthRoot.replace(/\/+$/, "")}/v4/oa/permission?${q.toString()}`;
}

/** Constant-time comparison of the callback's `state` with the one issued. */
export function stateMatches(given: string | undefined, issued: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given), b = Buffer.from(issued);
  return a.length === b.length && timingSafeEqual(a, b);
}
