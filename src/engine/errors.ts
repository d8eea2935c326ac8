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

/** Whose rate limit a 429 is: one chat's (only that chat waits) or the bot's (everything waits). */
export type RateScope = "chat" | "bot";

/** A send failed at the platform boundary. */
export class ChannelError extends Error {
  override name = "ChannelError";
  constructor(
    message: string,
    readonly code: ChannelErrorCode,
    /**
     * `outcomeUnknown`: the request may have reached the platform and been carried out (a timeout,
     * a connection cut after it was sent): a retry is a possible duplicate, never a clean retry.
     * `rateScope` (with `rate-limited`): whose limit it is, when the platform says so; absent, the
     * outbox judges (src/jobs/chat-pause.ts).
     */
    readonly details: { channel: string; method?: string; retryAfterMs?: number; status?: number; outcomeUnknown?: boolean; rateScope?: RateScope },
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
  get retryAfterMs(): number | undefined {
    return this.details.retryAfterMs;
  }
  /** True when the platform may have carried the request out although no answer came. */
  get outcomeUnknown(): boolean {
    return this.details.outcomeUnknown === true;
  }
}
