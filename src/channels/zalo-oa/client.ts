/**
 * A `fetch` client for the Zalo OA Open API v3, ZBS template messages and the OAuth v4 token
 * endpoint (no SDK exists; shared/reference/zalo.md §1, §3). The access token goes in a bare
 * `access_token` header (not `Authorization`); every answer is an envelope whose non-zero
 * `error` comes back with HTTP 200 and is thrown as `ZaloOaError` with its class. Bodies are
 * parsed with big integers kept exact. No error or message built here contains a token.
 */
import { parseJsonExact } from "../zalo/json.js";
import { requestNeverSent } from "../zalo/network.js";
import { ZaloOaError, ZaloOaNetworkError, ZaloOaTokenError } from "./errors.js";
import type { OaCardMessage, OaMessage } from "./render-outbound.js";

export interface ZaloOaClientOptions {
  /** Default https://openapi.zalo.me */
  apiRoot: string;
  /** Default https://oauth.zaloapp.com */
  oauthRoot: string;
  /** ZBS by phone; default https://business.openapi.zalo.me */
  businessRoot: string;
  appId: string;
  /** Sent as the `secret_key` header of the token endpoint. */
  appSecret: string;
  /** Per-request timeout (default 15 s). Keep the refresh lock's TTL well above it. */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

/** A token pair as the token endpoint returns it (`expires_in` is a string of seconds). */
export interface OaTokenPair {
  accessToken: string;
  refreshToken: string;
  expiresInSeconds: number;
}

export interface OaSent {
  messageId: string;
  /** Quota info when the OA returned it (`remain`/`total` or `remainingQuota`/`dailyQuota`). */
  quota?: { remain?: number; total?: number };
}

export interface TemplateSend {
  templateId: string;
  /** Parameter values; normalised to NFC here (template maxLength counts NFC characters). */
  data: Readonly<Record<string, string>>;
  /** Phone sends: required correlation id (≤ 48 characters), echoed in the delivery webhook. */
  trackingId?: string;
  /** "development" delivers to the app's and OA's admins only (CI, staging). */
  mode?: "production" | "development";
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
const num = (v: unknown): number | undefined => (typeof v === "number" ? v : typeof v === "string" && /^\d+$/.test(v) ? Number(v) : undefined);

export class ZaloOaClient {
  private readonly fetch: typeof fetch;
  constructor(private readonly o: ZaloOaClientOptions) {
    this.fetch = o.fetch ?? globalThis.fetch;
  }

  /** A consultation ("tư vấn") message to a follower: free within 48 h of their last interaction. */
  async sendConsultation(accessToken: string, userId: string, message: OaMessage | OaCardMessage): Promise<OaSent> {
    const data = await this.envelope("message/cs", `${root(this.o.apiRoot)}/v3.0/oa/message/cs`, accessToken, { recipient: { user_id: userId }, message });
    return sent(data);
  }

  /** A ZBS template message by OA user id (no tracking id on this endpoint; keep the message id). */
  async sendTemplateToUser(accessToken: string, userId: string, t: TemplateSend): Promise<OaSent> {
    const body = { user_id: userId, template_id: t.templateId, template_data: nfc(t.data), ...(t.mode === "development" ? { mode: "development" } : {}) };
    return sent(await this.envelope("message/template", `${root(this.o.apiRoot)}/v3.0/oa/message/template`, accessToken, body));
  }

  /** A ZBS template message by phone ("84…"; a leading 0 becomes 84). `trackingId` is required. */
  async sendTemplateToPhone(accessToken: string, phone: string, t: TemplateSend & { trackingId: string }): Promise<OaSent> {
    const body = { phone: normalisePhone(phone), template_id: t.templateId, template_data: nfc(t.data), tracking_id: t.trackingId, ...(t.mode === "development" ? { mode: "development" } : {}) };
    return sent(await this.envelope("template-phone", `${root(this.o.businessRoot)}/message/template`, accessToken, body));
  }

  /** Uses a (single-use) refresh token; the old one is dead once this succeeds. */
  refreshAccessToken(refreshToken: string): Promise<OaTokenPair> {
    return this.token({ refresh_token: refreshToken, app_id: this.o.appId, grant_type: "refresh_token" });
  }

  /** Exchanges an authorization code (10 minutes, single use) with the PKCE verifier. */
  exchangeCode(code: string, codeVerifier: string): Promise<OaTokenPair> {
    return this.token({ code, app_id: this.o.appId, grant_type: "authorization_code", code_verifier: codeVerifier });
  }

  private async token(form: Record<string, string>): Promise<OaTokenPair> {
    let res: Response;
    try {
      res = await this.fetch(`${root(this.o.oauthRoot)}/v4/oa/access_token`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", secret_key: this.o.appSecret },
        body: new URLSearchParams(form).toString(),
        signal: AbortSignal.timeout(this.o.timeoutMs ?? 15_000),
      });
    } catch (err) {
      throw new ZaloOaTokenError(undefined, `network error (${(err as Error).name})`, false);
    }
    const body = await readJson(res);
    if (isObj(body) && typeof body.access_token === "string" && body.access_token && typeof body.refresh_token === "string" && body.refresh_token) {
      const expires = Number(String(body.expires_in ?? ""));
      return { accessToken: body.access_token, refreshToken: body.refresh_token, expiresInSeconds: Number.isFinite(expires) && expires > 0 ? expires : 90_000 };
    }
    // No access_token = failure, whatever the HTTP status (never overwrite good tokens with undefined).
    const code = isObj(body) && typeof body.error === "number" ? body.error : isObj(body) ? num(body.error) : undefined;
    const description = isObj(body) ? String(body.error_name ?? body.error_description ?? body.message ?? "") : `HTTP ${res.status}`;
    const transient = code === -32 || res.status >= 500 || body === undefined;
    throw new ZaloOaTokenError(code, description.slice(0, 200), !transient);
  }

  private async envelope(endpoint: string, url: string, accessToken: string, body: Obj): Promise<Obj> {
    let res: Response;
    try {
      res = await this.fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json", access_token: accessToken },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(this.o.timeoutMs ?? 15_000),
      });
    } catch (err) {
      throw new ZaloOaNetworkError(endpoint, (err as Error).name, !requestNeverSent(err));
    }
    let text: string;
    try {
      text = await res.text();
    } catch (err) {
      // The headers came, the body did not (a cut mid-answer): Zalo handled the request.
      throw new ZaloOaNetworkError(endpoint, (err as Error).name, true);
    }
    const parsed = parseOrUndefined(text);
    if (!isObj(parsed) || typeof parsed.error !== "number") throw new ZaloOaError(endpoint, undefined, "not an OA envelope", res.status);
    if (parsed.error !== 0) throw new ZaloOaError(endpoint, parsed.error, typeof parsed.message === "string" ? parsed.message.slice(0, 200) : "", res.status);
    return isObj(parsed.data) ? parsed.data : {};
  }
}

async function readJson(res: Response): Promise<unknown> {
  try {
    return parseJsonExact(await res.text());
  } catch {
    return undefined;
  }
}

function parseOrUndefined(text: string): unknown {
  try {
    return parseJsonExact(text);
  } catch {
    return undefined;
  }
}

function sent(data: Obj): OaSent {
  const messageId = String(data.message_id ?? data.msg_id ?? "");
  const q = isObj(data.quota) ? data.quota : undefined;
  const remain = q ? num(q.remain ?? q.remainingQuota) : undefined, total = q ? num(q.total ?? q.dailyQuota) : undefined;
  return { messageId, ...(q ? { quota: { ...(remain !== undefined ? { remain } : {}), ...(total !== undefined ? { total } : {}) } } : {}) };
}

const root = (url: string) => url.replace(/\/+$/, "");
const nfc = (data: Readonly<Record<string, string>>) => Object.fromEntries(Object.entries(data).map(([k, v]) => [k, v.normalize("NFC")]));

/** "0912 345 678" / "+84912345678" → "84912345678". */
export function normalisePhone(phone: string): string {
  const digits = phone.replace(/[^\d]/g, "");
  return digits.startsWith("0") ? `84${digits.slice(1)}` : digits;
}
