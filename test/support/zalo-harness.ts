/**
 * Starts the real app in-process (real MongoDB-compatible server, real Redis, real BullMQ,
 * real HTTP) against the fake Zalo Bot Platform API (test/support/fake-zalo.ts), by long polling
 * or, with `webhook`, through signed webhook deliveries.
 */
import { createApp, type App } from "../../src/app/container.js";
import { createLogger } from "../../src/app/logger.js";
import type { Clock } from "../../src/engine/ports.js";
import { FakeZalo, type FakeZaloOptions, type ZaloUser } from "./fake-zalo.js";
import { testConfig } from "./test-config.js";
import { eventually } from "./eventually.js";
import { dropDatabase } from "./app-harness.js";

export const ZALO_WEBHOOK_SECRET = "zalo-secret_123";

export interface ZaloTestApp {
  app: App;
  zalo: FakeZalo;
  /** Sends a private text as `user`, waits until the app completed that turn, returns the replies joined. */
  say(user: ZaloUser, text: string): Promise<string>;
  stop(): Promise<void>;
}

export async function startZaloApp(label: string, options: { webhook?: boolean; fake?: FakeZaloOptions; clock?: Clock } = {}): Promise<ZaloTestApp> {
  const zalo = await FakeZalo.start(options.fake);
  const webhookEnv = options.webhook ? { PUBLIC_URL: "http://127.0.0.1:1", WEBHOOK_SECRET: "test-secret_123", ZALO_WEBHOOK_SECRET } : {};
  const config = testConfig(label, { ZALO_BOT_TOKEN: zalo.token, ZALO_API_ROOT: zalo.apiRoot, ...webhookEnv });
  const app: App = await createApp(config, createLogger("silent"), options.clock ? { clock: options.clock } : {});
  if (options.webhook) {
    // The app registered PUBLIC_URL; point the fake at the real listening port instead.
    await fetch(`${zalo.apiRoot}/bot${zalo.token}/setWebhook`, {
      method: "POST", headers: { "content-type": "application/json" },
      body: JSON.stringify({ url: `${app.url}/zalo/webhook`, secret_token: ZALO_WEBHOOK_SECRET }),
    });
  }
  const say = async (user: ZaloUser, text: string): Promise<string> => {
    const since = zalo.sent().length;
    const update = zalo.userMessage(user, text);
    const id = `zalo-bot:${app.zalo!.account}:${update.message.message_id}`;
    await eventually(async () => (await app.db.models.ProcessedEvent.findById(id).lean())?.status === "done", { timeoutMs: 20_000, message: `update ${id} not handled` });
    return zalo.sent({ chatId: user.id }).filter((s) => s.index >= since).map((s) => String(s.params.text ?? s.params.caption ?? "")).join("\n");
  };
  return {
    app, zalo, say,
    async stop() {
      await app.stop();
      await zalo.close();
      await dropDatabase(config.mongo.uri, config.mongo.db);
    },
  };
}

/** The number in front of the item labelled `label` in the last numbered list sent to `user`. */
export function numberOf(zalo: FakeZalo, user: ZaloUser, label: RegExp): string {
  const texts = zalo.texts(user.id);
  for (let i = texts.length - 1; i >= 0; i--) {
    const line = texts[i]!.split("\n").find((l) => /^\d+\. /.test(l) && label.test(l.replace(/^\d+\. /, "")));
    if (line) return line.split(".")[0]!;
  }
  throw new Error(`no numbered item matching ${label} in messages to ${user.id}`);
}
