/**
 * A `fetch` client for the Zalo Bot Platform (`POST <apiRoot>/bot<TOKEN>/<method>`, JSON in,
 * `{ok, result}` / `{ok:false, error_code, description}` out — HTTP 200 does not mean success).
 * Bodies are parsed with big integers kept exact. The token is in the URL path, so no error,
 * log line or message built here ever contains the URL.
 */
import { parseJsonExact } from "./json.js";
import { ZaloApiError, ZaloNetworkError } from "./to-channel-error.js";
import { requestNeverSent } from "./network.js";

export interface ZaloBotClientOptions {
  token: string;
  /** Default https://bot-api.zaloplatforms.com (any compatible server, e.g. the fake in tests). */
  apiRoot: string;
  /** Per-request timeout in ms (default 15 s); a long poll passes its own. */
  timeoutMs?: number;
}

export class ZaloBotClient {
  constructor(private readonly o: ZaloBotClientOptions) {}

  /** Calls one method; resolves with `result`, rejects with `ZaloApiError` or `ZaloNetworkError`. */
  async call(method: string, body: Record<string, unknown> = {}, options: { signal?: AbortSignal; timeoutMs?: number } = {}): Promise<unknown> {
    const url = `${this.o.apiRoot.replace(/\/+$/, "")}/bot${this.o.token}/${method}`;
    const timeout = AbortSignal.timeout(options.timeoutMs ?? this.o.timeoutMs ?? 15_000);
    const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
    let response: Response;
    let text: string;
    try {
      response = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body), signal });
      text = await response.text();
    } catch (err) {
      const e = err as Error;
      throw new ZaloNetworkError(method, e.name === "TimeoutError" || e.name === "AbortError" ? e.name : (e.cause as Error | undefined)?.message?.replaceAll(this.o.token, "<token>") ?? e.name, !requestNeverSent(e));
    }
    let envelope: unknown;
    try {
      envelope = parseJsonExact(text);
    } catch {
      envelope = undefined;
    }
    if (typeof envelope !== "object" || envelope === null || typeof (envelope as { ok?: unknown }).ok !== "boolean")
      throw new ZaloApiError(method, response.status, undefined, "reply is not a Bot API envelope", retryAfter(response.headers.get("retry-after")));
    const e = envelope as { ok: boolean; result?: unknown; error_code?: unknown; description?: unknown; parameters?: { retry_after?: unknown } };
    if (e.ok) return e.result;
    const code = typeof e.error_code === "number" ? e.error_code : Number(e.error_code);
    throw new ZaloApiError(method, response.status, Number.isFinite(code) ? code : response.status,
      typeof e.description === "string" ? e.description.replaceAll(this.o.token, "<token>") : "",
      retryAfter(e.parameters?.retry_after) ?? retryAfter(response.headers.get("retry-after")));
  }
}

function retryAfter(v: unknown): number | undefined {
  const n = Number(v);
  return v !== null && v !== undefined && v !== "" && Number.isFinite(n) && n >= 0 ? n : undefined;
}
