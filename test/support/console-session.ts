/**
 * The office console's browser tests share this: the real app with the playground on (a demo
 * school of the browser session's own, its people linked), that session's cookie, a `chat`
 * that talks to the bot as the playground page does, and Debian's chromium (never a downloaded
 * browser) with a desktop-sized page. Screenshots go to `dir`, the test's temp folder.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll } from "vitest";
import { createApp, type App } from "../../src/app/container.js";
import { createLogger } from "../../src/app/logger.js";
import { dropDatabase } from "./app-harness.js";
import { FakeClock } from "./fakes.js";
import { testConfig } from "./test-config.js";

export interface ConsoleSession {
  app: App;
  clock: FakeClock;
  /** The playground session's cookie (`sll_pg=<sid>`). */
  cookie: string;
  sid: string;
  /** The session's demo school. */
  schoolId: string;
  dir: string;
  browser: Browser;
  page: Page;
  /** Talks to the bot as playground person `person` ("principal", "teacher", …); the replies' texts. */
  chat(person: string, text: string): Promise<string>;
  stop(): Promise<void>;
}

/** Monday 14/12/2026 10:00 in Hà Nội: outside quiet hours, whatever the time the test runs. */
const MONDAY_MORNING = new Date("2026-12-14T03:00:00Z");

export async function startConsoleSession(label: string, o: { env?: Record<string, string>; clock?: FakeClock; beforeBrowser?: (s: Omit<ConsoleSession, "browser" | "page" | "stop">) => Promise<void> } = {}): Promise<ConsoleSession> {
  const config = testConfig(label, { TELEGRAM_BOT_USERNAME: "truong_nd_bot", PLAYGROUND: "true", ...o.env });
  const clock = o.clock ?? new FakeClock(MONDAY_MORNING);
  const dir = mkdtempSync(join(tmpdir(), `sll-${label}-`));
  const app = await createApp(config, createLogger("silent"), { clock });
  const cookie = (await fetch(`${app.url}/playground`)).headers.get("set-cookie")!.split(";")[0]!;
  const sid = cookie.split("=")[1]!;
  await fetch(`${app.url}/playground/api/people`, { headers: { cookie } });
  const schoolId = (await app.db.models.School.findOne({ slug: `pg-${sid}` }).lean())!._id;
  const chat = async (person: string, text: string) => {
    const res = await fetch(`${app.url}/playground/api/send`, {
      method: "POST", headers: { "content-type": "application/json", origin: app.url!, cookie }, body: JSON.stringify({ person, text }),
    });
    return ((await res.json()) as { messages: { outbound: { text: string } }[] }).messages.map((m) => m.outbound.text).join("\n");
  };
  await o.beforeBrowser?.({ app, clock, cookie, sid, schoolId, dir, chat });
  const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--disable-dev-shm-usage"] });
  const page = await browser.newPage({ viewport: { width: 1100, height: 900 }, locale: "vi-VN" });
  return {
    app, clock, cookie, sid, schoolId, dir, browser, page, chat,
    async stop() {
      await browser.close();
      await app.stop();
      await dropDatabase(config.mongo.uri, config.mongo.db);
    },
  };
}

/**
 * The file's session: started by a `beforeAll` before the file's first test (and before any
 * `beforeAll` registered after this call), stopped by an `afterAll` after its last. The
 * returned object is filled in when the session starts; read its fields inside tests and hooks.
 *
 * @example
 * const s = useConsoleSession("console");
 * it("…", async () => { await s.page.goto(s.app.url!); });
 */
export function useConsoleSession(label: string, o: Parameters<typeof startConsoleSession>[1] = {}): ConsoleSession {
  const session = {} as ConsoleSession;
  beforeAll(async () => { Object.assign(session, await startConsoleSession(label, o)); });
  afterAll(async () => { await session.stop?.(); });
  return session;
}
