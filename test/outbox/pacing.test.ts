import { describe, it, expect } from "vitest";
import { paced } from "../../src/jobs/outbox.js";

/** Starts allowed in the worst 1,000 ms span: windows that can overlap it × jobs per window. */
const worstSecond = (l: { max: number; duration: number }) => Math.ceil(1_000 / l.duration) * l.max;

describe("outbox pacing (BullMQ's limiter in Telegram's terms)", () => {
  it("never allows more starts in any one second than the configured rate, and close to it", () => {
    for (let rate = 1; rate <= 100; rate++) {
      const l = paced(rate);
      expect(worstSecond(l), `rate ${rate}`).toBeLessThanOrEqual(rate);
      // Within 3 % of the rate up to Telegram's 30/s, within 10 % above.
      expect(1_000 / l.duration * l.max, `rate ${rate}`).toBeGreaterThanOrEqual(rate * (rate <= 30 ? 0.97 : 0.9));
    }
  });

  it("spreads Telegram's 30/s as one start every 34 ms, not 30 at once", () => {
    expect(paced(30)).toEqual({ max: 1, duration: 34 });
  });

  it("keeps high rates (no platform limit, benchmarks) available", () => {
    expect(1_000 / paced(10_000).duration * paced(10_000).max).toBe(10_000);
  });
});
