// Long polling takes a batch's updates concurrently across chats: a slow turn in one chat does
// not delay another chat, one chat's turns keep their order, and getUpdates confirms an update
// only once it is recorded. Real inbox (MongoDB-compatible server), real chat lock (Redis), the
// fake Bot API; the engine is a stub of our own port so a turn can be held open on purpose.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Redis } from "ioredis";
import { TelegramChannel } from "../../src/channels/telegram/telegram-channel.js";
import { Receiver } from "../../src/engine/receiver.js";
import type { Engine, HandleResult } from "../../src/engine/engine.js";
import type { InboundEvent } from "../../src/engine/messages.js";
import { createInbox } from "../../src/store/inbox.js";
import { createChatLock } from "../../src/jobs/chat-lock.js";
import { FakeTelegram } from "../support/fake-telegram.js";
import { testConfig } from "../support/test-config.js";
import { useDatabase } from "../support/database.js";
import { eventually } from "../support/eventually.js";

const logger = { info() {}, warn() {}, error() {} };
const textOf = (e: InboundEvent) => (e.kind === "text" ? e.text : e.kind);

describe("long polling intake", () => {
  const config = testConfig("poll-concurrency");
  let fake: FakeTelegram;
  const db = useDatabase(config);
  let redis: Redis;
  let channel: TelegramChannel;
  let databaseUp = true;
  /** Turns started, as "chat:text", in start order. */
  const started: string[] = [];
  /** Turns held open until the test releases them, by text. */
  const holds = new Map<string, { release: () => void; done: Promise<void> }>();
  const hold = (text: string) => {
    let release!: () => void;
    holds.set(text, { release: () => release(), done: new Promise<void>((r) => { release = r; }) });
  };

  beforeAll(async () => {
    fake = await FakeTelegram.start();
    redis = new Redis(config.redis.url);
    channel = new TelegramChannel({ token: fake.token, apiRoot: fake.apiRoot, logger });
    await channel.init();
    const inbox = createInbox(db.models);
    const engine = {
      async handle(event: InboundEvent): Promise<HandleResult> {
        started.push(`${event.address.chatId}:${textOf(event)}`);
        await holds.get(textOf(event))?.done;
        return { status: "handled", outbound: [{ kind: "text", text: `re ${textOf(event)}` }] };
      },
    } as unknown as Engine;
    const guardedInbox = { ...inbox, record: (e: InboundEvent) => (databaseUp ? inbox.record(e) : Promise.reject(new Error("MongoNetworkError: down"))) };
    const receiver = new Receiver({ engine, inbox: guardedInbox, lock: createChatLock(redis, { prefix: config.redis.queuePrefix }), senders: { telegram: channel.interactive }, logger });
    await channel.startPolling(receiver, { timeoutSeconds: 1, concurrency: 4 });
  });
  afterAll(async () => {
    for (const h of holds.values()) h.release();
    await channel?.stop();
    await redis?.quit();
    await fake?.close();
  });

  const replies = (chatId: number) => fake.sent({ chatId }).map((r) => String(r.params.text));

  it("answers other chats while one chat's turn is slow, and keeps each chat's order", async () => {
    const an = { id: 7000001, first_name: "An" }, binh = { id: 7000002, first_name: "Bình" }, chi = { id: 7000003, first_name: "Chi" };
    hold("slow-1");
    fake.userMessage(an, "slow-1");
    fake.userMessage(an, "a-2");
    fake.userMessage(binh, "b-1");
    fake.userMessage(binh, "b-2");
    await eventually(() => expect(replies(binh.id)).toEqual(["re b-1", "re b-2"]));
    // A later batch is taken too: the slow turn holds only its own chat.
    const late = fake.userMessage(chi, "c-1");
    await eventually(() => expect(replies(chi.id)).toEqual(["re c-1"]));
    await eventually(() => fake.calls("getUpdates").some((c) => Number(c.params.offset) > late.update_id));
    expect(replies(an.id)).toEqual([]);
    expect(started.filter((s) => s.startsWith(`${an.id}:`))).toEqual([`${an.id}:slow-1`]);

    holds.get("slow-1")!.release();
    await eventually(() => expect(replies(an.id)).toEqual(["re slow-1", "re a-2"]));
    expect(started.filter((s) => s.startsWith(`${an.id}:`))).toEqual([`${an.id}:slow-1`, `${an.id}:a-2`]);
  });

  it("keeps one chat's order across many updates while several chats run at once", async () => {
    const users = [7000011, 7000012, 7000013, 7000014, 7000015, 7000016].map((id) => ({ id, first_name: "P" }));
    for (let n = 1; n <= 8; n++) for (const u of users) fake.userMessage(u, `m-${n}`);
    const expected = Array.from({ length: 8 }, (_, i) => `re m-${i + 1}`);
    await eventually(() => { for (const u of users) expect(replies(u.id)).toEqual(expected); }, { timeoutMs: 20_000 });
  });

  it("confirms nothing past an update it could not record, and takes it again once it can", async () => {
    const dung = { id: 7000021, first_name: "Dũng" };
    const callsBefore = fake.calls("getUpdates").length;
    databaseUp = false;
    const first = fake.userMessage(dung, "d-1");
    fake.userMessage(dung, "d-2");
    // It keeps asking from the unrecorded update, never past it.
    await eventually(() => fake.calls("getUpdates").slice(callsBefore).filter((c) => Number(c.params.offset) === first.update_id).length >= 2);
    expect(fake.calls("getUpdates").slice(callsBefore).every((c) => Number(c.params.offset) <= first.update_id)).toBe(true);
    expect(replies(dung.id)).toEqual([]);
    databaseUp = true;
    await eventually(() => expect(replies(dung.id)).toEqual(["re d-1", "re d-2"]), { timeoutMs: 20_000 });
    // A turn completes its record after replying.
    await eventually(async () => expect(await db.models.ProcessedEvent.countDocuments({ chatKey: `telegram:${channel.account}:${dung.id}`, status: "done" })).toBe(2));
  });
});
