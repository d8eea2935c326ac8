/**
 * Fuzz: thousands of random and mutated updates straight into the three parsers. Each must be
 * total: an event or `undefined`, never a throw, and an event is well-formed and storable.
 */
import { describe, it, expect } from "vitest";
import { parseTelegramUpdate } from "../../src/channels/telegram/parse-update.js";
import { parseZaloUpdate } from "../../src/channels/zalo/parse-update.js";
import { parseJsonExact } from "../../src/channels/zalo/json.js";
import { parseOaEvent, readOaActivity, oaEventId } from "../../src/channels/zalo-oa/parse-event.js";
import type { InboundEvent } from "../../src/engine/messages.js";
import { prng, mutate, telegramUpdate, zaloUpdate, oaEvent, rawBody, randomValue } from "./fuzz-kit.js";

const SEED = 0x5e11c;
const CASES = 3_000;
const words = new Set(["start", "menu", "huy", "lienket", "trogiup"]);

/** Runs `parse` on each case; a throw or a malformed event fails with the seed and case number. */
function fuzz(name: string, make: (r: () => number, i: number) => unknown, parse: (input: unknown) => InboundEvent | undefined): { events: number } {
  const r = prng(SEED ^ name.length);
  let events = 0;
  for (let i = 0; i < CASES; i++) {
    const input = make(r, i);
    let out: InboundEvent | undefined;
    try {
      out = parse(input);
    } catch (err) {
      throw new Error(`${name}: case ${i} (seed ${SEED}) threw ${(err as Error).stack ?? String(err)}`);
    }
    if (out === undefined) continue;
    events++;
    const ok = typeof out.id === "string" && out.id.length > 0 && typeof out.address.userId === "string" && typeof out.address.chatId === "string" && out.at instanceof Date
      // Storable: a valid date, and no NUL anywhere (FerretDB on PostgreSQL refuses it, so the turn would fail forever).
      && !Number.isNaN(out.at.getTime()) && !JSON.stringify(out).includes("\\u0000");
    if (!ok) throw new Error(`${name}: case ${i} (seed ${SEED}) gave a malformed event ${JSON.stringify(out).slice(0, 300)}`);
  }
  return { events };
}

/** Half the cases mutated, a tenth replaced by raw text parsed as the channel would, the rest as generated. */
const variant = (r: () => number, good: unknown, exact = false): unknown => {
  const roll = r();
  if (roll < 0.1) {
    try { return exact ? parseJsonExact(rawBody(r, good)) : JSON.parse(rawBody(r, good)); } catch { return randomValue(r); }
  }
  return roll < 0.6 ? mutate(r, good) : good;
};

describe("the parsers are total under fuzzing", () => {
  it("Telegram: any update gives an event or undefined", () => {
    const { events } = fuzz("telegram", (r, i) => variant(r, telegramUpdate(r, i)), (u) => parseTelegramUpdate(u, "42", "so_lien_lac_bot"));
    expect(events).toBeGreaterThan(CASES / 10); // the generator reaches the event paths, not only the refusals
  });

  it("Zalo Bot: any update gives an event or undefined", () => {
    const { events } = fuzz("zalo-bot", (r, i) => variant(r, zaloUpdate(r, `m${i}`), true), (u) => parseZaloUpdate(u, "bot1", words));
    expect(events).toBeGreaterThan(CASES / 10);
  });

  it("Zalo OA: any event gives an event or undefined, and its side facts never throw", () => {
    const { events } = fuzz("zalo-oa", (r) => variant(r, oaEvent(r), true), (p) => {
      readOaActivity(p, "579745863508352884");
      oaEventId(p);
      return parseOaEvent(p, { commandWords: words, oaId: "579745863508352884" });
    });
    expect(events).toBeGreaterThan(CASES / 10);
  });
});
