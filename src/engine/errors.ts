/** A flow or the engine failed in a way the person cannot fix; carries ids for the log. */
export class FlowError extends Error {
  override name = "FlowError";
  constructor(
    message: string,
    readonly details: { flowId?: string; step?: string; eventId?: string },
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Why a channel refused or failed to deliver. The outbox decides what to do from `code`. */
export type ChannelErrorCode = "blocked" | "rate-limited" | "bad-request" | "network" | "server";

/** A send failed at the platform boundary. */
export class ChannelError extends Error {
  override name = "ChannelError";
  constructor(
    message: string,
    readonly code: ChannelErrorCode,
    readonly details: { channel: string; method?: string; retryAfterMs?: number; status?: number } ,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
  get retryAfterMs(): number | undefined {
    return this.details.retryAfterMs;
  }
}
