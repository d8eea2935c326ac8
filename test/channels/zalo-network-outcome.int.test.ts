/**
 * Zalo network failures, classified like Telegram's: a connection that was never made is a
 * plain transient error; a timeout or a connection cut after the request was sent leaves the
 * outcome unknown (Zalo may have carried it out), for the Bot Platform and the OA client alike.
 * Real sockets on loopback: a server that cuts, one that never answers, a closed port.
 */
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { ZaloBotClient } from "../../src/channels/zalo/bot-client.js";
import { ZaloNetworkError, toChannelError as botToChannelError } from "../../src/channels/zalo/to-channel-error.js";
import { requestNeverSent } from "../../src/channels/zalo/network.js";
import { ZaloOaClient } from "../../src/channels/zalo-oa/client.js";
import { ZaloOaNetworkError, toChannelError as oaToChannelError } from "../../src/channels/zalo-oa/errors.js";
import { ChannelError } from "../../src/engine/errors.js";

async function listen(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ server: Server; url: string }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}
const close = (s: Server) => new Promise<void>((resolve) => { s.close(() => resolve()); s.closeAllConnections(); });

describe("Zalo network errors: sent or not?", () => {
  let cut: { server: Server; url: string }, silent: { server: Server; url: string }, refusedUrl: string;
  const received = { cut: 0, silent: 0 };
  beforeAll(async () => {
    // Reads the whole request (it reached "Zalo"), then drops the connection without an answer.
    cut = await listen((req, res) => { req.resume(); req.on("end", () => { received.cut++; res.socket?.destroy(); }); });
    silent = await listen((req) => { req.resume(); req.on("end", () => { received.silent++; }); });
    const gone = await listen(() => {});
    refusedUrl = gone.url;
    await close(gone.server);
  });
  afterAll(async () => { await close(cut.server); await close(silent.server); });

  const bot = (apiRoot: string) => new ZaloBotClient({ token: "1:t", apiRoot, timeoutMs: 300 });
  const oa = (root: string) => new ZaloOaClient({ apiRoot: root, oauthRoot: root, businessRoot: root, appId: "a", appSecret: "s", timeoutMs: 300 });
  const botError = (p: Promise<unknown>) => p.then(() => { throw new Error("resolved"); }, (e: unknown) => e);

  it("Bot Platform: a cut connection and a timeout are outcome-unknown network errors", async () => {
    for (const url of [cut.url, silent.url]) {
      const err = await botError(bot(url).call("sendMessage", { chat_id: "1", text: "x" }));
      expect(err).toBeInstanceOf(ZaloNetworkError);
      expect((err as ZaloNetworkError).outcomeUnknown).toBe(true);
      const mapped = botToChannelError(err, "sendMessage") as ChannelError;
      expect(mapped).toBeInstanceOf(ChannelError);
      expect(mapped.code).toBe("network");
      expect(mapped.outcomeUnknown).toBe(true);
    }
    expect(received.cut).toBeGreaterThan(0);
    expect(received.silent).toBeGreaterThan(0);
  });

  it("Bot Platform: a refused connection is a plain transient error (nothing was sent)", async () => {
    const err = await botError(bot(refusedUrl).call("sendMessage", { chat_id: "1", text: "x" }));
    expect((err as ZaloNetworkError).outcomeUnknown).toBe(false);
    const mapped = botToChannelError(err, "sendMessage") as ChannelError;
    expect(mapped.code).toBe("network");
    expect(mapped.outcomeUnknown).toBe(false);
  });

  it("OA: a cut connection and a timeout are outcome-unknown; a refused connection is not", async () => {
    for (const [url, unknown] of [[cut.url, true], [silent.url, true], [refusedUrl, false]] as const) {
      const err = await botError(oa(url).sendConsultation("token", "42", { text: "x" }));
      expect(err).toBeInstanceOf(ZaloOaNetworkError);
      expect((err as ZaloOaNetworkError).outcomeUnknown).toBe(unknown);
      expect((err as ZaloOaNetworkError).klass).toBe("transient");
      const mapped = oaToChannelError(err) as ChannelError;
      expect(mapped.code).toBe("network");
      expect(mapped.outcomeUnknown).toBe(unknown);
    }
    // Templates by phone too (business.openapi.zalo.me).
    const err = await botError(oa(cut.url).sendTemplateToPhone("token", "0912345678", { templateId: "t", data: {}, trackingId: "x" }));
    expect((err as ZaloOaNetworkError).outcomeUnknown).toBe(true);
  });

  it("requestNeverSent looks through causes and happy-eyeballs aggregates", () => {
    const refused = Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" });
    const reset = Object.assign(new Error("socket hang up"), { code: "ECONNRESET" });
    expect(requestNeverSent(new TypeError("fetch failed", { cause: refused }))).toBe(true);
    expect(requestNeverSent(new TypeError("fetch failed", { cause: new AggregateError([refused, refused]) }))).toBe(true);
    expect(requestNeverSent(new TypeError("fetch failed", { cause: new AggregateError([refused, reset]) }))).toBe(false);
    expect(requestNeverSent(new TypeError("fetch failed", { cause: reset }))).toBe(false);
    expect(requestNeverSent(new DOMException("timed out", "TimeoutError"))).toBe(false);
    expect(requestNeverSent(undefined)).toBe(false);
  });
});
