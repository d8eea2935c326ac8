/**
 * Zalo Bot API failures → `ChannelError`, the only error the engine and the outbox understand.
 * The Bot Platform documents only 404 (unknown method) and 408 (poll timeout); the rest
 * follows its Telegram-shaped envelope (`ok:false, error_code, description`) and the HTTP
 * status. A reply that is not the envelope at all (a proxy's or Cloudflare's HTML page) is
 * never read as "the user blocked us": it is a server problem, retried with backoff.
 */
import { ChannelError } from "../../engine/errors.js";

/** The Bot API answered, but not with success. `errorCode` is absent when the body was not the envelope. */
export class ZaloApiError extends Error {
  override name = "ZaloApiError";
  constructor(
    readonly method: string,
    readonly httpStatus: number,
    readonly errorCode: number | undefined,
    readonly description: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(`Zalo ${method} failed: ${errorCode ?? `HTTP ${httpStatus}`} ${description}`);
  }
}

/**
 * The request never got an answer (connection refused, reset, timeout). Never carries the URL
 * (it holds the token). `outcomeUnknown`: the request may have reached Zalo (a timeout, a cut
 * connection); false only when it provably never left (`requestNeverSent`).
 */
export class ZaloNetworkError extends Error {
  override name = "ZaloNetworkError";
  constructor(readonly method: string, reason: string, readonly outcomeUnknown = true) {
    super(`Zalo ${method}: network error (${reason})`);
  }
}

const BLOCKED = /block|chat not found|user not found|not found user|user (is )?(invalid|inactive|deactivated)|not (a )?follow|has not (interacted|talked)/i;

export function toChannelError(err: unknown, method: string): ChannelError | unknown {
  if (err instanceof ZaloNetworkError) return new ChannelError(err.message, "network", { channel: "zalo-bot", method, outcomeUnknown: err.outcomeUnknown }, { cause: err });
  if (!(err instanceof ZaloApiError)) return err;
  const details = { channel: "zalo-bot", method, status: err.errorCode ?? err.httpStatus };
  const rateLimited = (seconds = 1) => new ChannelError(err.message, "rate-limited", { ...details, retryAfterMs: seconds * 1000 }, { cause: err });
  if (err.errorCode === undefined) {
    if (err.httpStatus === 429) return rateLimited(err.retryAfterSeconds);
    return new ChannelError(err.message, "server", details, { cause: err });
  }
  const code = err.errorCode;
  if (code === 429 || /too many requests|rate limit/i.test(err.description)) return rateLimited(err.retryAfterSeconds);
  if (code === 403) return new ChannelError(err.message, "blocked", details, { cause: err });
  if (code === 400 && BLOCKED.test(err.description)) return new ChannelError(err.message, "blocked", details, { cause: err });
  if (code === 408) return new ChannelError(err.message, "network", details, { cause: err });
  if (code >= 500) return new ChannelError(err.message, "server", details, { cause: err });
  return new ChannelError(err.message, "bad-request", details, { cause: err });
}
