/** grammY errors → `ChannelError`, the only error the engine and the outbox understand. */
import { GrammyError, HttpError } from "grammy";
import { ChannelError } from "../../engine/errors.js";

/** Network error codes raised before a request could be sent. */
const NEVER_CONNECTED = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH"]);

export function toChannelError(err: unknown, method: string): ChannelError | unknown {
  if (err instanceof GrammyError) {
    const details = { channel: "telegram", method, status: err.error_code };
    if (err.error_code === 429) return new ChannelError(err.description, "rate-limited", { ...details, retryAfterMs: (err.parameters.retry_after ?? 1) * 1000 }, { cause: err });
    if (err.error_code === 403) return new ChannelError(err.description, "blocked", details, { cause: err });
    if (err.error_code === 400 && /chat not found|user is deactivated|PEER_ID_INVALID/i.test(err.description))
      return new ChannelError(err.description, "blocked", details, { cause: err });
    if (err.error_code >= 500) return new ChannelError(err.description, "server", details, { cause: err });
    return new ChannelError(err.description, "bad-request", details, { cause: err });
  }
  if (err instanceof HttpError) {
    // Only a connection that was never made proves the request did not reach Telegram; after a
    // timeout or a connection cut mid-request Telegram may have carried it out.
    const code = (err.error as { code?: unknown } | undefined)?.code;
    const outcomeUnknown = !(typeof code === "string" && NEVER_CONNECTED.has(code));
    return new ChannelError(err.message, "network", { channel: "telegram", method, outcomeUnknown }, { cause: err });
  }
  return err;
}
