/**
 * Bounded polling for tests: the project's sanctioned alternative to sleeps.
 *
 * A fixed sleep is either too short (flaky on a loaded CI machine) or too long (slow suite);
 * polling a condition with a deadline is neither.
 */

/** Options for {@link eventually}. */
export interface EventuallyOptions {
  /** Give up after this many milliseconds (default 15000: generous for a loaded CI machine; a passing test never waits it out). */
  timeoutMs?: number;
  /** Pause between attempts in milliseconds (default 25). */
  intervalMs?: number;
  /** Prefix of the error thrown on timeout, to say what was awaited. */
  message?: string;
}

/**
 * Calls `fn` until it returns without throwing — and, when it returns a boolean, until it
 * returns `true` — then resolves with its value. On timeout it throws an error carrying
 * `message` and the last failure (also attached as `cause`).
 *
 * @example
 * await eventually(() => expect(fake.sent({ chatId: 42 })).toHaveLength(2));
 * const doc = await eventually(async () => (await Deliveries.findOne({ id }))!, { message: "delivery row" });
 */
export async function eventually<T>(
  fn: () => T | Promise<T>,
  { timeoutMs = 15_000, intervalMs = 25, message }: EventuallyOptions = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let attempts = 0;
  let lastError: unknown;
  for (;;) {
    attempts += 1;
    try {
      const value = await fn();
      if (value !== false) return value;
      lastError = new Error("condition returned false");
    } catch (error) {
      lastError = error;
    }
    // Check the deadline after an attempt, so even timeoutMs = 0 tries once.
    if (Date.now() + intervalMs > deadline) throw timeoutError(message, timeoutMs, attempts, lastError);
    await pause(intervalMs);
  }
}

function timeoutError(message: string | undefined, timeoutMs: number, attempts: number, lastError: unknown): Error {
  const reason = lastError instanceof Error ? lastError.message : String(lastError);
  const prefix = message ?? "eventually: condition not met";
  return new Error(`${prefix} (gave up after ${timeoutMs} ms, ${attempts} attempts): ${reason}`, { cause: lastError });
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
