/** grammY errors → `ChannelError`, the only error the engine and the outbox understand. */
import { GrammyError, HttpError } from "grammy";
import { ChannelError } from "../../engine/errors.js";

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
  if (err instanceof HttpError) return new ChannelError(err.message, "network", { channel: "telegram", method }, { cause: err });
  return err;
}
