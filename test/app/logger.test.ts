import { describe, it, expect } from "vitest";
import { Writable } from "node:stream";
import { createLogger } from "../../src/app/logger.js";

function capture() {
  const lines: string[] = [];
  const stream = new Writable({ write(chunk, _enc, done) { lines.push(String(chunk)); done(); } });
  return { logger: createLogger("info", stream), lines };
}

describe("logs", () => {
  it("never carry a database error's text, which can echo a parent's message", () => {
    const { logger, lines } = capture();
    const err = Object.assign(new Error('invalid value: { "text": "Con tôi bị bắt nạt ở lớp" }'), { name: "MongoServerError", code: 2 });
    logger.error({ err, eventId: "telegram:1:2" }, "update could not be recorded");
    expect(lines.join("")).not.toContain("bắt nạt");
    expect(lines.join("")).toContain('"code":2');
    expect(lines.join("")).toContain("telegram:1:2");
  });

  it("redact texts, tokens and phone numbers passed by mistake", () => {
    const { logger, lines } = capture();
    logger.info({ text: "Cô ơi con bị ốm", token: "123:abc", phone: "0912345678", nested: { text: "x" } }, "oops");
    expect(lines.join("")).not.toMatch(/ốm|123:abc|0912345678/);
  });
});
