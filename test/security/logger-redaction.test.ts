/** The logger's second line of defence: fields that carry people's words, names or secrets are redacted. */
import { describe, it, expect } from "vitest";
import { Writable } from "node:stream";
import { createLogger } from "../../src/app/logger.js";

function capture() {
  let out = "";
  const logger = createLogger("debug", new Writable({ write(c: Buffer, _e, done) { out += c.toString(); done(); } }));
  return { logger, out: () => out };
}

describe("log redaction", () => {
  it("redacts texts, names, handles, phones, tokens and raw updates at the top level and one level down", () => {
    const { logger, out } = capture();
    const secret = { text: "T-SECRET", caption: "C-SECRET", displayName: "N-SECRET", fullName: "F-SECRET", username: "U-SECRET", first_name: "G-SECRET", last_name: "L-SECRET", phone: "0912345678", token: "K-SECRET", args: "A-SECRET" };
    logger.debug({ ...secret, nested: secret, update: { message: { text: "M-SECRET" } } }, "x");
    const logged = out();
    expect(logged).toContain("[redacted]");
    expect(logged).not.toMatch(/SECRET|0912345678/);
  });

  it("logs an error by type and stack, never a database error's message (it echoes the rejected values)", () => {
    const { logger, out } = capture();
    const err = Object.assign(new Error("E11000 duplicate key { text: \"Con bị ốm 0903112358\" }"), { name: "MongoServerError", code: 11000 });
    logger.error({ err }, "failed");
    expect(out()).toContain("MongoServerError");
    expect(out()).not.toContain("0903112358");
  });
});
