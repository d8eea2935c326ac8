/**
 * Starts the real app in-process (real MongoDB-compatible server, real Redis, real BullMQ,
 * real HTTP) against the fake Telegram Bot API, the way a parent's phone would reach it.
 */
import { createApp, type App } from "../../src/app/container.js";
import { createLogger, type Logger } from "../../src/app/logger.js";
import type { Clock } from "../../src/engine/ports.js";
import { FakeTelegram, type TgUser } from "./fake-telegram.js";
import { testConfig } from "./test-config.js";
import { eventually } from "./eventually.js";
import { telegramEventId } from "../../src/channels/telegram/parse-update.js";

export interface TestApp {
  app: App;
  telegram: FakeTelegram;
  /** Sends a private message as `user`, waits until the app has handled it, returns the replies' texts joined by newlines. */
  say(user: TgUser, text: string): Promise<string>;
  /** Presses a button as `user` (callback data), waits until handled, returns the replies. */
  press(user: TgUser, data: string): Promise<string>;
  /** Finds the callback data of the button labelled `label` in the last message to `user`. */
  button(user: TgUser, label: RegExp): string;
  stop(): Promise<void>;
}

export async function startTestApp(label: string, options: { webhook?: boolean; env?: Record<string, string>; clock?: Clock; telegram?: FakeTelegram; logger?: Logger } = {}): Promise<TestApp> {
  const telegram = options.telegram ?? (await FakeTelegram.start());
  const webhookEnv = options.webhook ? { PUBLIC_URL: "http://127.0.0.1:1", WEBHOOK_SECRET: "test-secret_123" } : {};
  const config = testConfig(label, { TELEGRAM_BOT_TOKEN: telegram.token, TELEGRAM_API_ROOT: telegram.apiRoot, ...webhookEnv, ...options.env });
  const app = await createApp(config, options.logger ?? createLogger("silent"), options.clock ? { clock: options.clock } : {});
  if (options.webhook) {
    // The app registered PUBLIC_URL; point the fake at the real listening port instead.
    await fetch(`${telegram.apiRoot}/bot${telegram.token}/setWebhook`, {
      method: "POST", headers: { "content-type": "application/json" },
      body: JSON.stringify({ url: `${app.url}/telegram/webhook`, secret_token: "test-secret_123" }),
    });
  }
  // A turn is over when its inbound record is completed: every reply was sent before that.
  const replyAfter = async (user: TgUser, push: () => { update_id: number }) => {
    const since = telegram.sent().length;
    const update = push();
    const id = telegramEventId(update, app.telegram!.account);
    await eventually(async () => (await app.db.models.ProcessedEvent.findById(id).lean())?.status === "done", { timeoutMs: 20_000, message: `update ${id} not handled` });
    return telegram.sent({ chatId: user.id }).filter((r) => r.index >= since).map((r) => String(r.params.text ?? r.params.caption ?? "")).join("\n");
  };
  return {
    app,
    telegram,
    say: (user, text) => replyAfter(user, () => telegram.userMessage(user, text)),
    press: (user, data) => replyAfter(user, () => telegram.callbackQuery(user, data)),
    button(user, label) {
      const sent = telegram.sent({ chatId: user.id });
      for (let i = sent.length - 1; i >= 0; i--) {
        const markup = sent[i]!.params.reply_markup as { inline_keyboard?: { text: string; callback_data: string }[][] } | undefined;
        const found = markup?.inline_keyboard?.flat().find((b) => label.test(b.text));
        if (found) return found.callback_data;
      }
      throw new Error(`no button matching ${label} in messages to ${user.id}`);
    },
    async stop() {
      await app.stop();
      if (!options.telegram) await telegram.close();
      await dropDatabase(config.mongo.uri, config.mongo.db);
    },
  };
}

/** Drops a test database (tests leave nothing behind). */
export async function dropDatabase(uri: string, db: string): Promise<void> {
  const { MongoClient } = await import("mongodb");
  const client = await MongoClient.connect(uri);
  try {
    await client.db(db).dropDatabase();
  } finally {
    await client.close();
  }
}
