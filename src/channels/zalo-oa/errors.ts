/**
 * Zalo OA / ZBS failures and what to do about them. Every OA answer is an envelope
 * `{error, message, data}` and a non-zero `error` arrives with HTTP 200, so the client turns
 * those into `ZaloOaError`s here; `classifyOaCode` sorts a code into one of six classes
 * (shared/reference/zalo.md §1.7 and §3):
 *
 * - `auth`: the access token is invalid or expired (-216, -220; ZBS -124) → refresh once, retry once;
 * - `transient`: rate limit (-32), generic send failure (-200), network, 5xx → retry with backoff;
 * - `window`: this route is closed for this recipient now (not following -213, no interaction in
 *   7 days -230/-232, refused -217/-244, inactive -227, ZBS recipient refusals, and the night ban
 *   -234/-133 which reopens in the morning) → go down the route ladder, never retry the same route;
 * - `quota`: a quota is spent (OA -211, recipient -218, ZBS daily -144) → next route, retry tomorrow;
 * - `config`: a human must fix the app, the OA, the billing or the template (-209, -212, -223, -320, …);
 * - `permanent`: the request itself is wrong (-201, -233, -108, unknown codes) → never retried.
 */
import { ChannelError } from "../../engine/errors.js";
import type { OaFailureClass, OaReopens } from "../../domain/zalo-oa-route.js";

export type { OaFailureClass, OaReopens };

/** What a code means for the sender. */
export interface OaErrorInfo {
  klass: OaFailureClass;
  /** For `window` / `quota`: when the same route may work again. */
  reopens?: OaReopens;
}

const TABLE: Record<number, OaErrorInfo> = {
  // auth
  [-216]: { klass: "auth" }, [-220]: { klass: "auth" }, [-124]: { klass: "auth" },
  // transient
  [-32]: { klass: "transient" }, [-200]: { klass: "transient" },
  // window: closed for this recipient until they interact again
  [-213]: { klass: "window", reopens: "next-interaction" }, [-230]: { klass: "window", reopens: "next-interaction" },
  [-232]: { klass: "window", reopens: "next-interaction" }, [-217]: { klass: "window", reopens: "next-interaction" },
  [-244]: { klass: "window", reopens: "next-interaction" }, [-227]: { klass: "window", reopens: "next-interaction" },
  // ZBS recipient refusals (no Zalo account for the phone, refused templates, cannot receive)
  [-118]: { klass: "window", reopens: "next-interaction" }, [-139]: { klass: "window", reopens: "next-interaction" },
  [-141]: { klass: "window", reopens: "next-interaction" }, [-114]: { klass: "window", reopens: "next-interaction" },
  [-119]: { klass: "window", reopens: "next-interaction" },
  // a template without a UID variant (-249): the by-user-id route is closed for it; by phone may still work
  [-249]: { klass: "window", reopens: "next-interaction" },
  // night ban (OA -234, ZBS -133): reopens at 06:00
  [-234]: { klass: "window", reopens: "morning" }, [-133]: { klass: "window", reopens: "morning" },
  // quota
  [-211]: { klass: "quota", reopens: "tomorrow" }, [-218]: { klass: "quota", reopens: "tomorrow" },
  [-144]: { klass: "quota", reopens: "tomorrow" },
  // config: app, OA, billing, template, appsecret_proof, OAuth console
  [-204]: { klass: "config" }, [-205]: { klass: "config" }, [-209]: { klass: "config" }, [-212]: { klass: "config" },
  [-221]: { klass: "config" }, [-223]: { klass: "config" }, [-224]: { klass: "config" }, [-242]: { klass: "config" },
  [-248]: { klass: "config" }, [-320]: { klass: "config" }, [-321]: { klass: "config" }, [-135]: { klass: "config" },
  [-136]: { klass: "config" }, [-137]: { klass: "config" }, [-127]: { klass: "config" }, [-146]: { klass: "config" },
  [-1241]: { klass: "config" }, [-14002]: { klass: "config" }, [-14003]: { klass: "config" },
};

/** The class of an OA / ZBS error code; unknown codes are `permanent` (never retried blindly). */
export function classifyOaCode(code: number): OaErrorInfo {
  return TABLE[code] ?? { klass: "permanent" };
}

/** The OA answered with a non-zero `error` (usually inside HTTP 200), or a non-envelope body. */
export class ZaloOaError extends Error {
  override name = "ZaloOaError";
  readonly klass: OaFailureClass;
  readonly reopens?: OaReopens;
  constructor(
    /** A short endpoint name ("message/cs", "message/template"), never a URL with secrets. */
    readonly endpoint: string,
    /** The envelope's `error`; undefined when the body was not an envelope at all. */
    readonly code: number | undefined,
    readonly description: string,
    readonly httpStatus = 200,
  ) {
    super(`Zalo OA ${endpoint} failed: ${code ?? `HTTP ${httpStatus}`} ${description}`);
    // Not an envelope: a proxy or gateway page (5xx, 429, or garbage on 200) is transient; any
    // other 4xx means a wrong root URL or path, which a human must fix.
    const info = code !== undefined ? classifyOaCode(code)
      : httpStatus >= 500 || httpStatus === 429 || httpStatus < 400 ? { klass: "transient" as const } : { klass: "config" as const };
    this.klass = info.klass;
    if (info.reopens) this.reopens = info.reopens;
  }
}

/**
 * No answer (connection refused, reset, timeout). Transient. `outcomeUnknown`: the request may
 * have reached Zalo and been carried out (a timeout, a connection cut after sending); false only
 * when the connection was never made (src/channels/zalo/network.ts).
 */
export class ZaloOaNetworkError extends Error {
  override name = "ZaloOaNetworkError";
  readonly klass = "transient" as const;
  constructor(readonly endpoint: string, reason: string, readonly outcomeUnknown = true) {
    super(`Zalo OA ${endpoint}: network error (${reason})`);
  }
}

/**
 * The token endpoint refused a refresh or a code exchange. OAuth-style bodies (`error`,
 * `error_name`, `error_description`), sometimes with HTTP 200; any body without
 * `access_token` is a failure. Only -32 (rate limit) and network trouble are `transient`:
 * anything else means a human must re-consent (`terminal`).
 */
export class ZaloOaTokenError extends Error {
  override name = "ZaloOaTokenError";
  constructor(readonly code: number | undefined, readonly description: string, readonly terminal: boolean) {
    super(`Zalo OA token endpoint failed: ${code ?? "no access_token"} ${description}`);
  }
}

/** The class of any error thrown by the client (`undefined` for programming errors). */
export function failureClassOf(err: unknown): OaFailureClass | undefined {
  if (err instanceof ZaloOaError || err instanceof ZaloOaNetworkError) return err.klass;
  return undefined;
}

/**
 * OA errors → the outbox's `ChannelError` codes, for callers that do not route (replies inside
 * a conversation). The route ladder (`decideOaRoute`) should see `ZaloOaError` first: a
 * `window`/`quota` class is a reason to change route, not to give up on the guardian.
 */
export function toChannelError(err: unknown): ChannelError | unknown {
  if (err instanceof ZaloOaNetworkError) return new ChannelError(err.message, "network", { channel: "zalo-oa", method: err.endpoint, outcomeUnknown: err.outcomeUnknown }, { cause: err });
  if (!(err instanceof ZaloOaError)) return err;
  const details = { channel: "zalo-oa", method: err.endpoint, ...(err.code !== undefined ? { status: err.code } : { status: err.httpStatus }) };
  switch (err.klass) {
    case "transient":
      return err.code === -32
        // -32 is the app's (4,000 requests per minute) or the OA's limit, never one person's.
        ? new ChannelError(err.message, "rate-limited", { ...details, retryAfterMs: 60_000, rateScope: "bot" }, { cause: err })
        : new ChannelError(err.message, "server", details, { cause: err });
    case "window":
      // Not following / unfollowed / banned: the person cannot be reached on this channel.
      return err.code === -213 || err.code === -227 || err.code === -217
        ? new ChannelError(err.message, "blocked", details, { cause: err })
        : new ChannelError(err.message, "bad-request", details, { cause: err });
    case "auth":
      return new ChannelError(err.message, "server", details, { cause: err });
    default:
      return new ChannelError(err.message, "bad-request", details, { cause: err });
  }
}
