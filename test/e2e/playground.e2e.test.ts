import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { createApp, type App } from "../../src/app/container.js";
import { createLogger } from "../../src/app/logger.js";
import { testConfig } from "../support/test-config.js";
import { dropDatabase } from "../support/app-harness.js";

type Reply = { status: string; messages: { seq: number; outbound: { text: string; buttons?: { label: string; payload: string }[][] } }[] };

describe("the web playground, called the way the page calls it", () => {
  let app: App;
  const config = testConfig("playground", { DEMO_SEED: "true" });
  beforeAll(async () => { app = await createApp(config, createLogger("silent")); });
  afterAll(async () => { await app?.stop(); await dropDatabase(config.mongo.uri, config.mongo.db); });

  const send = async (body: unknown): Promise<Reply> => {
    const res = await fetch(`${app.url}/playground/api/send`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    expect(res.status).toBe(200);
    return (await res.json()) as Reply;
  };

  it("is on without a messenger token, serves the page and the demo people", async () => {
    expect(config.playground).toBe(true);
    const page = await fetch(`${app.url}/playground`);
    expect(page.headers.get("content-type")).toContain("text/html");
    expect(await page.text()).toContain("/playground/api/send");
    const people = (await (await fetch(`${app.url}/playground/api/people`)).json()) as { people: { id: string }[]; guardianCodes: unknown[] };
    expect(people.people.map((p) => p.id)).toEqual(["demo-guardian", "demo-teacher", "demo-board", "demo-principal"]);
    expect(people.guardianCodes.length).toBe(8);
  });

  it("the demo homeroom teacher gets the staff menu, buttons included, and a button press answers", async () => {
    const menu = await send({ person: "demo-teacher", text: "/menu" });
    const buttons = menu.messages.flatMap((m) => m.outbound.buttons?.flat() ?? []);
    expect(buttons.map((b) => b.label)).toContain("Gửi thông báo");
    const help = buttons.find((b) => b.label === "Hướng dẫn")!;
    const reply = await send({ person: "demo-teacher", payload: help.payload });
    expect(reply.messages[0]!.outbound.text).toContain("Thầy/Cô có thể");
  });

  it("a new parent links with a demo code and the log can be polled", async () => {
    const { guardianCodes } = (await (await fetch(`${app.url}/playground/api/people`)).json()) as { guardianCodes: { code: string; student: string }[] };
    const first = await send({ person: "guest-abc", text: `/start ${guardianCodes[4]!.code}` });
    expect(first.messages.map((m) => m.outbound.text).join("\n")).toContain(guardianCodes[4]!.student);
    await send({ person: "guest-abc", text: "co" });
    const log = (await (await fetch(`${app.url}/playground/api/messages?person=guest-abc&after=0`)).json()) as Reply;
    expect(log.messages.map((m) => m.outbound.text).join("\n")).toContain("liên kết thành công");
    expect(log.messages.map((m) => m.seq)).toEqual(log.messages.map((_, i) => i + 1));
  });

  it("answers 400 to a malformed request and keeps running", async () => {
    for (const body of ["{", JSON.stringify({ person: "Bad Person!", text: "x" }), JSON.stringify({ person: "ok" })]) {
      const res = await fetch(`${app.url}/playground/api/send`, { method: "POST", body });
      expect(res.status).toBe(400);
    }
    expect((await fetch(`${app.url}/playground/api/messages?person=`)).status).toBe(400);
    expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
  });
});
