import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { createApp, type App } from "../../src/app/container.js";
import { createLogger } from "../../src/app/logger.js";
import { loadConfig, ConfigError } from "../../src/app/config.js";
import { testConfig } from "../support/test-config.js";
import { dropDatabase } from "../support/app-harness.js";
import { request as httpRequest } from "node:http";

/** GET /playground with a Host header of our choosing (fetch will not set one): DNS rebinding. */
function statusWithHost(url: URL, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ hostname: url.hostname, port: url.port, path: "/playground", headers: { host } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on("error", reject);
    req.end();
  });
}

type Reply = { status: string; messages: { seq: number; outbound: { text: string; buttons?: { label: string; payload: string }[][] } }[] };

/** A browser: keeps the playground's session cookie and sends the headers a page would. */
function browser(base: () => string) {
  let cookie = "";
  const request = async (path: string, init: RequestInit = {}) => {
    const url = new URL(path, base());
    const headers = new Headers(init.headers);
    if (cookie) headers.set("cookie", cookie);
    if (init.method === "POST" && !headers.has("origin")) headers.set("origin", url.origin);
    const res = await fetch(url, { ...init, headers, redirect: "manual" });
    const set = res.headers.get("set-cookie");
    if (set) cookie = set.split(";")[0]!;
    return res;
  };
  return {
    request,
    async open() {
      expect((await request("/playground")).status).toBe(200);
      return (await (await request("/playground/api/people")).json()) as { people: { id: string }[]; guardianCodes: { code: string; student: string }[] };
    },
    async send(body: unknown): Promise<Reply> {
      const res = await request("/playground/api/send", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
      expect(res.status).toBe(200);
      return (await res.json()) as Reply;
    },
    async log(person: string): Promise<Reply> {
      return (await (await request(`/playground/api/messages?person=${person}&after=0`)).json()) as Reply;
    },
  };
}

describe("the web playground, called the way the page calls it", () => {
  let app: App;
  const config = testConfig("playground", { DEMO_SEED: "true", PLAYGROUND_SESSIONS_PER_HOUR: "6" });
  beforeAll(async () => { app = await createApp(config, createLogger("silent")); });
  afterAll(async () => { await app?.stop(); await dropDatabase(config.mongo.uri, config.mongo.db); });
  const base = () => app.url!;

  it("is on without a messenger token, on its own database, and serves the page and a school of the browser's own", async () => {
    expect(config.playground).toBe(true);
    expect(config.mongo.db).toMatch(/-playground$/);
    const a = browser(base);
    const page = await a.request("/playground");
    expect(page.headers.get("content-type")).toContain("text/html");
    expect(page.headers.get("set-cookie")).toMatch(/^sll_pg=[0-9a-f]{24}; .*HttpOnly; SameSite=Strict/i);
    expect(await page.text()).toContain("/playground/api/send");
    const people = (await (await a.request("/playground/api/people")).json()) as { people: { id: string }[]; guardianCodes: unknown[] };
    expect(people.people.map((p) => p.id)).toEqual(["guardian", "teacher", "board", "principal", "guest"]);
    expect(people.guardianCodes.length).toBe(8);
  });

  it("the demo homeroom teacher gets the staff menu, buttons included, and a button press answers, as do a button's words typed under it", async () => {
    const a = browser(base);
    await a.open();
    const menu = await a.send({ person: "teacher", text: "/menu" });
    const buttons = menu.messages.flatMap((m) => m.outbound.buttons?.flat() ?? []);
    expect(buttons.map((b) => b.label)).toContain("Gửi thông báo");
    const help = buttons.find((b) => b.label === "Hướng dẫn")!;
    const reply = await a.send({ person: "teacher", payload: help.payload });
    expect(reply.messages[0]!.outbound.text).toContain("Cô có thể");
    // Outside a conversation, the words of a button under the last message with buttons press it.
    const list = await a.send({ person: "teacher", text: "/phananh" });
    expect(list.messages.flatMap((m) => m.outbound.buttons?.flat() ?? []).map((b) => b.label)).toContain("🌙 Giờ yên tĩnh của tôi");
    const typed = await a.send({ person: "teacher", text: "gio yen tinh" });
    expect(typed.messages.map((m) => m.outbound.text).join("\n")).toMatch(/giờ yên tĩnh/i);
  });

  it("a new parent links with a demo code and the log can be polled; another browser sees none of it", async () => {
    const a = browser(base), b = browser(base);
    const { guardianCodes } = await a.open();
    const bCodes = (await b.open()).guardianCodes.map((c) => c.code);
    expect(bCodes.some((c) => guardianCodes.some((x) => x.code === c))).toBe(false);
    const first = await a.send({ person: "guest", text: `/start ${guardianCodes[4]!.code}` });
    expect(first.messages.map((m) => m.outbound.text).join("\n")).toContain(guardianCodes[4]!.student);
    await a.send({ person: "guest", text: "co" });
    const log = await a.log("guest");
    expect(log.messages.map((m) => m.outbound.text).join("\n")).toContain("liên kết thành công");
    expect(log.messages.map((m) => m.seq)).toEqual(log.messages.map((_, i) => i + 1));
    // The same person name in another browser is another chat: nothing of A's shows there.
    expect((await b.log("guest")).messages).toEqual([]);
  });

  it("refuses requests without a session, from another site or host, not JSON, or malformed — and keeps running", async () => {
    const a = browser(base);
    await a.open();
    const plain = browser(base);
    expect((await plain.request("/playground/api/people")).status).toBe(401);
    expect((await plain.request("/playground/api/messages?person=guest&after=0")).status).toBe(401);
    const json = { "content-type": "application/json" };
    const body = JSON.stringify({ person: "guest", text: "/menu" });
    expect((await a.request("/playground/api/send", { method: "POST", headers: { ...json, origin: "https://evil.example" }, body })).status).toBe(403);
    expect((await a.request("/playground/api/send", { method: "POST", headers: { "content-type": "text/plain" }, body })).status).toBe(415);
    expect(await statusWithHost(new URL(base()), "attacker.example")).toBe(421);
    for (const bad of ["{", JSON.stringify({ person: "Bad Person!", text: "x" }), JSON.stringify({ person: "demo-teacher", text: "x" }), JSON.stringify({ person: "guest" })]) {
      expect((await a.request("/playground/api/send", { method: "POST", headers: json, body: bad })).status).toBe(400);
    }
    expect((await a.request("/playground/api/messages?person=")).status).toBe(400);
    expect((await fetch(`${base()}/healthz`)).status).toBe(200);
  });

  it("limits new sessions per client (6 an hour here; the earlier tests opened 5)", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) {
      const c = browser(base);
      await c.request("/playground");
      statuses.push((await c.request("/playground/api/people")).status);
    }
    expect(statuses).toEqual([200, 429, 429]);
  });
});

describe("when the playground runs", () => {
  const env = { MONGODB_URI: "mongodb://127.0.0.1:1/", REDIS_URL: "redis://127.0.0.1:1" };
  it("is off by itself in production, and on only on loopback unless exposed on purpose", () => {
    expect(loadConfig({ ...env, NODE_ENV: "production" }).playground).toBe(false);
    expect(loadConfig({ ...env, NODE_ENV: "production", PLAYGROUND: "true" }).playground).toBe(true);
    expect(loadConfig({ ...env, TELEGRAM_BOT_TOKEN: "1:x" }).playground).toBe(false);
    expect(() => loadConfig({ ...env, HOST: "0.0.0.0" })).toThrow(ConfigError);
    expect(loadConfig({ ...env, HOST: "0.0.0.0", NODE_ENV: "production" }).playground).toBe(false);
    expect(loadConfig({ ...env, HOST: "0.0.0.0", PLAYGROUND_PUBLIC: "true" }).playground).toBe(true);
    expect(loadConfig({ ...env, MONGODB_DB: "myschool" }).mongo.db).toBe("myschool-playground");
    expect(loadConfig({ ...env, MONGODB_DB: "myschool", TELEGRAM_BOT_TOKEN: "1:x" }).mongo.db).toBe("myschool");
  });
});
