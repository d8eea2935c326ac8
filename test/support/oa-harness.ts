/**
 * Starts the real app with the school's Zalo OA pointed at the fake OA server
 * (test/support/fake-zalo-oa.ts), connects it through the real OAuth callback, and talks to it
 * the way Zalo does: signed webhook events. The app's clock follows the fake's, so tests move
 * time for both at once (`advance`).
 */
import { createApp, type App } from "../../src/app/container.js";
import { createLogger } from "../../src/app/logger.js";
import { startOaConnection } from "../../src/app/zalo-oa.js";
import { oaEventId } from "../../src/channels/zalo-oa/parse-event.js";
import { FakeZaloOa } from "./fake-zalo-oa.js";
import { testConfig } from "./test-config.js";
import { eventually } from "./eventually.js";
import { dropDatabase } from "./app-harness.js";

export const OA_TOKEN_KEY = Buffer.alloc(32, 7).toString("base64");

export function oaEnv(fake: FakeZaloOa, extra: Record<string, string> = {}): Record<string, string> {
  return {
    ZALO_OA_APP_ID: fake.appId, ZALO_OA_ID: fake.oaId, ZALO_OA_APP_SECRET: fake.appSecret, ZALO_OA_SECRET_KEY: fake.oaSecret,
    ZALO_OA_TOKEN_KEY: OA_TOKEN_KEY, ZALO_OA_API_ROOT: fake.url, ZALO_OA_OAUTH_ROOT: fake.url, ZALO_OA_BUSINESS_API_ROOT: fake.url, ...extra,
  };
}

export interface OaTestApp {
  app: App;
  fake: FakeZaloOa;
  webhookUrl: string;
  /** Sends `text` as `userId` (a signed `user_send_text`), waits for the turn, returns the texts sent back. */
  say(userId: string, text: string): Promise<string>;
  /** Delivers any event and waits for its turn when it makes one. */
  deliver(event: Record<string, unknown>): Promise<number>;
  /** The `#payload` of the last button labelled `label` sent to `userId`, or the number in front of it in a list. */
  button(userId: string, label: RegExp): string;
  advance(ms: number): void;
  stop(): Promise<void>;
}

/** Connects the OA as an admin would: `zalo-oa connect`, the OA admin approves, Zalo calls back. */
export async function connectOa(app: App, fake: FakeZaloOa): Promise<number> {
  const { url } = await startOaConnection(app.zaloOa!, `${app.url}/zalo-oa/oauth/callback`, app.services.clock.now());
  const link = new URL(url);
  const code = fake.authorize(link.searchParams.get("code_challenge")!);
  const res = await fetch(`${app.url}/zalo-oa/oauth/callback?code=${encodeURIComponent(code)}&oa_id=${fake.oaId}&state=${encodeURIComponent(link.searchParams.get("state")!)}`);
  await res.text();
  return res.status;
}

export async function startOaApp(label: string, options: { env?: Record<string, string>; fake?: FakeZaloOa; connect?: boolean } = {}): Promise<OaTestApp> {
  const fake = options.fake ?? (await FakeZaloOa.start());
  const config = testConfig(label, oaEnv(fake, options.env));
  const app = await createApp(config, createLogger((process.env.OA_TEST_LOG ?? "silent") as "silent"), { clock: { now: () => new Date(fake.now) } });
  const webhookUrl = `${app.url}/zalo-oa/webhook`;
  if (options.connect !== false) {
    const status = await connectOa(app, fake);
    if (status !== 200) throw new Error(`OA connection failed: ${status}`);
  }
  const texts = (userId: string, since: number) =>
    fake.sent.slice(since).filter((s) => s.to === userId && s.endpoint === "message/cs").map((s) => String(s.message?.text ?? "")).join("\n");
  const deliver = async (event: Record<string, unknown>) => {
    const status = await fake.deliver(webhookUrl, event);
    const id = oaEventId(event, fake.oaId);
    if (status === 200 && id && event.event_name !== "follow") {
      const done = async () => {
        const rec = await app.db.models.ProcessedEvent.findById(id).lean();
        return rec === null ? "none" : rec.status;
      };
      // Events the parser ignores are never recorded (the 200 came after the record); the others must finish their turn.
      await eventually(async () => ["none", "done"].includes(await done()), { timeoutMs: 20_000, message: `event ${id} not handled` });
    }
    return status;
  };
  return {
    app, fake, webhookUrl, deliver,
    async say(userId, text) {
      const since = fake.sent.length;
      await deliver(fake.userEvent(userId, "user_send_text", { text }));
      return texts(userId, since);
    },
    button(userId, label) {
      for (let i = fake.sent.length - 1; i >= 0; i--) {
        const s = fake.sent[i]!;
        if (s.to !== userId || s.endpoint !== "message/cs") continue;
        const buttons = ((s.message?.attachment as { payload?: { buttons?: { title: string; payload: string }[] } } | undefined)?.payload?.buttons) ?? [];
        const b = buttons.find((x) => label.test(x.title));
        if (b) return b.payload;
        const line = String(s.message?.text ?? "").split("\n").find((l) => /^\d+\. /.test(l) && label.test(l.replace(/^\d+\. /, "")));
        if (line) return line.split(".")[0]!;
      }
      throw new Error(`no button matching ${label} in messages to ${userId}`);
    },
    advance(ms) { fake.advance(ms); },
    async stop() {
      await app.stop();
      if (!options.fake) await fake.close();
      await dropDatabase(config.mongo.uri, config.mongo.db);
    },
  };
}
