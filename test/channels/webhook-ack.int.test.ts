/**
 * Both webhooks answer the platform as soon as the update is recorded and run the turn after:
 * a slow step no longer holds Telegram's or Zalo's request. Real receiver (MongoDB inbox,
 * Redis chat lock), real channels against the fake platform APIs.
 */
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import type { Redis } from "ioredis";
import { Engine } from "../../src/engine/engine.js";
import { Receiver, type Sender } from "../../src/engine/receiver.js";
import { defineFlow, end } from "../../src/engine/define-flow.js";
import { say } from "../../src/engine/say.js";
import type { ChannelName } from "../../src/engine/messages.js";
import type { CoreServices } from "../../src/engine/ports.js";
import { Translator } from "../../src/i18n/fluent.js";
import { createInbox } from "../../src/store/inbox.js";
import { createConversationStore } from "../../src/store/conversations.js";
import { createDirectory } from "../../src/store/directory.js";
import { connectRedis } from "../../src/jobs/redis.js";
import { createChatLock } from "../../src/jobs/chat-lock.js";
import { TelegramChannel } from "../../src/channels/telegram/telegram-channel.js";
import { ZaloBotChannel } from "../../src/channels/zalo/zalo-channel.js";
import { FakeTelegram } from "../support/fake-telegram.js";
import { FakeZalo } from "../support/fake-zalo.js";
import { testConfig } from "../support/test-config.js";
import { useDatabase } from "../support/database.js";
import { eventually } from "../support/eventually.js";
import { telegramEventId } from "../../src/channels/telegram/parse-update.js";

describe("webhooks acknowledge once the update is recorded, then handle it", () => {
  const config = testConfig("webhook-ack");
  const logger = { info() {}, warn() {}, error() {} };
  const db = useDatabase(config);
  let redis: Redis;
  let telegramApi: FakeTelegram;
  let zaloApi: FakeZalo;
  /** The slow step waits for this gate. */
  let open!: () => void;
  let gate: Promise<void>;
  const started: string[] = [];

  const slow = defineFlow<Record<string, never>, never>({
    id: "slow", version: 1, steps: {},
    start: async (_args, { event }) => { started.push(event.id); await gate; return end(say("menu-hint")); },
  });

  function receiverFor(channel: ChannelName, sender: Sender): Receiver {
    const services = { conversations: createConversationStore(db.models), directory: createDirectory(db.models), clock: { now: () => new Date() } } as unknown as CoreServices;
    const engine = new Engine({ flows: [slow], actions: [], commands: { menu: "slow" }, idleFlowId: "slow", services, translator: new Translator(), logger });
    return new Receiver({ engine, inbox: createInbox(db.models), lock: createChatLock(redis, { prefix: config.redis.queuePrefix }), senders: { [channel]: sender }, logger });
  }
  const statusOf = async (id: string) => (await db.models.ProcessedEvent.findById(id).lean())?.status;

  beforeAll(async () => {
    redis = await connectRedis(config.redis.url);
    telegramApi = await FakeTelegram.start();
    zaloApi = await FakeZalo.start();
  });
  afterAll(async () => {
    await telegramApi?.close();
    await zaloApi?.close();
    await redis?.quit();
  });

  it("Telegram gets 200 while the turn is still running, and the reply follows", async () => {
    gate = new Promise((r) => (open = r));
    const channel = new TelegramChannel({ token: telegramApi.token, apiRoot: telegramApi.apiRoot, logger });
    const receiver = receiverFor("telegram", channel.interactive);
    const user = { id: 8880001111, first_name: "Lan" };
    telegramApi.knownChat(user.id);
    const update = telegramApi.userMessage(user, "/menu");
    const id = telegramEventId(update, channel.account);
    expect(await channel.handleWebhook(receiver, "s3cret", JSON.stringify(update), "s3cret")).toBe(200);
    expect(await statusOf(id)).toBe("received");
    await eventually(() => started.includes(id));
    expect(telegramApi.sent({ chatId: user.id })).toHaveLength(0);
    open();
    await receiver.idle();
    expect(await statusOf(id)).toBe("done");
    expect(telegramApi.sent({ chatId: user.id })).toHaveLength(1);
  });

  it("Zalo gets 200 while the turn is still running, and the reply follows", async () => {
    gate = new Promise((r) => (open = r));
    const keyboards = { remember: async () => undefined, recall: async () => undefined };
    const channel = new ZaloBotChannel({ token: zaloApi.token, apiRoot: zaloApi.apiRoot, logger, keyboards, commandWords: ["menu"] });
    const receiver = receiverFor("zalo-bot", channel.interactive);
    const lan = { id: "6ede9afa66b88fe6d6a9", display_name: "Lan" };
    const update = zaloApi.userMessage(lan, "menu");
    const id = `zalo-bot:${channel.account}:${update.message.message_id}`;
    expect(await channel.handleWebhook(receiver, "s3cret-token", JSON.stringify({ ok: true, result: update }), "s3cret-token")).toBe(200);
    expect(await statusOf(id)).toBe("received");
    await eventually(() => started.includes(id));
    open();
    await receiver.idle();
    expect(await statusOf(id)).toBe("done");
    expect(zaloApi.texts(lan.id)).toHaveLength(1);
  });
});
