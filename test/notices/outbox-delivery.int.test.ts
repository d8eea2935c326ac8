import { describe, it, expect, beforeEach, afterEach } from "vitest";
import { openOutboxServices, type OutboxServices } from "../support/outbox-services.js";
import type { Redis } from "ioredis";
import type { Worker } from "bullmq";
import { testConfig } from "../support/test-config.js";
import { eventually } from "../support/eventually.js";
import { FakeTelegram } from "../support/fake-telegram.js";
import { type Database } from "../../src/store/mongo.js";
import { createDeliveryRepo } from "../../src/store/deliveries.js";
import { createDirectory } from "../../src/store/directory.js";
import { type Queues } from "../../src/jobs/runtime.js";
import { createOutbox, startOutboxWorker } from "../../src/jobs/outbox.js";
import { TelegramChannel } from "../../src/channels/telegram/telegram-channel.js";
import { Translator } from "../../src/i18n/fluent.js";
import { ChannelError } from "../../src/engine/errors.js";
import type { Sender } from "../../src/engine/receiver.js";
import { say } from "../../src/engine/say.js";
import { countByStatus, deliveryState } from "../support/deliveries.js";

describe("outbox delivery guarantees against the fake Bot API (real FerretDB, Redis, BullMQ)", () => {
  const config = testConfig("outbox-deliv");
  const quiet = { info: () => {}, warn: () => {}, error: () => {} };
  let services: OutboxServices;
  let db: Database, workerRedis: Redis, queues: Queues, telegram: FakeTelegram, channel: TelegramChannel, worker: Worker | undefined;
  let account: string;

  beforeEach(async () => {
    services = await openOutboxServices(config);
    ({ db, workerRedis, queues } = services);
    telegram = await FakeTelegram.start();
    account = telegram.token.split(":")[0]!;
    channel = new TelegramChannel({ token: telegram.token, apiRoot: telegram.apiRoot, logger: quiet });
  });
  afterEach(async () => {
    await worker?.close();
    worker = undefined;
    await services.stop();
    await telegram.close();
  });

  const start = (opts: { concurrency?: number; sender?: Sender } = {}) => {
    const directory = createDirectory(db.models);
    worker = startOutboxWorker({
      connection: workerRedis, prefix: config.redis.queuePrefix, repo: createDeliveryRepo(db.models), senders: { telegram: opts.sender ?? channel.bulk },
      translator: new Translator(), ratePerSecond: 25, concurrency: opts.concurrency ?? 4, onUnreachable: (d) => directory.markUnreachable(d.recipient), logger: quiet,
    });
  };
  const enqueue = (ids: number[]) => createOutbox(queues.outbox, createDeliveryRepo(db.models)).enqueueGroup("g", ids.map((id) => ({
    key: `k-${id}`, recipient: { channel: "telegram", account, userId: String(id), chatId: String(id) }, messages: [say("notice-manage-done")],
  })));
  const delivery = async (id: number) => (await deliveryState(db.models, `k-${id}`))!;
  const callsTo = (id: number) => telegram.calls("sendMessage").filter((c) => String(c.params.chat_id) === String(id));

  it("a 429 for the bot (Telegram refuses every chat) pauses the whole queue for retry_after, then everything is sent once, without using up attempts", async () => {
    const ids = [9_100_001, 9_100_002, 9_100_003, 9_100_004, 9_100_005];
    for (const id of ids) telegram.knownChat(id);
    telegram.injectFault({ method: "sendMessage", error_code: 429, retry_after: 2, count: 1 });
    await enqueue(ids);
    start({ concurrency: 1 });
    await eventually(async () => (await countByStatus(db.models, "sent")) === ids.length, { timeoutMs: 15_000, message: "all sent" });
    const fault = telegram.faults()[0]!;
    const after = telegram.sent().filter((r) => r.at >= fault.at);
    // No send at all, to any chat, during retry_after (a small margin for clock granularity).
    expect(Math.min(...after.map((r) => r.at)) - fault.at).toBeGreaterThanOrEqual(1_950);
    for (const id of ids) expect(telegram.sent({ chatId: id })).toHaveLength(1);
    const hit = await delivery(Number(fault.chatId));
    expect(hit.possibleDuplicate).toBe(false);
    const job = (await queues.outbox.getJob(`d-k-${fault.chatId}`))!;
    expect(job.attemptsMade).toBe(1); // the successful attempt only: the 429 consumed none
    expect(hit.tries).toBe(2); // two sends were tried (the 429'd one and the successful one)
  });

  it("403 (blocked, never started) and 400 'chat not found' mark the recipient unreachable without any retry", async () => {
    const blocked = 9_200_001, neverStarted = 9_200_002, fine = 9_200_003;
    telegram.knownChat(blocked);
    telegram.block(blocked);
    telegram.knownChat(fine);
    // neverStarted is unknown to the Bot API: "Bad Request: chat not found".
    await db.models.ChannelIdentity.create({ channel: "telegram", account, externalUserId: String(blocked), chatId: String(blocked) });
    await enqueue([blocked, neverStarted, fine]);
    start();
    await eventually(async () => (await countByStatus(db.models, ["sent", "unreachable"])) === 3, { timeoutMs: 20_000, message: "settled" });
    for (const id of [blocked, neverStarted]) {
      expect(await delivery(id)).toMatchObject({ status: "unreachable", tries: 1 });
      expect(callsTo(id)).toHaveLength(1);
    }
    expect(callsTo(blocked)[0]!.status).toBe(403);
    expect(callsTo(neverStarted)[0]!).toMatchObject({ status: 400, description: "Bad Request: chat not found" });
    expect((await db.models.ChannelIdentity.findOne({ externalUserId: String(blocked) }).lean())!.reachable).toBe(false);
    expect(await delivery(fine)).toMatchObject({ status: "sent" });
  });

  it("a 5xx answer is retried with backoff and sent once", async () => {
    const id = 9_300_001;
    telegram.knownChat(id);
    telegram.injectFault({ method: "sendMessage", error_code: 502, description: "Bad Gateway", count: 1, chatId: id });
    await enqueue([id]);
    start();
    await eventually(async () => (await delivery(id)).status === "sent", { timeoutMs: 20_000, message: "sent after retry" });
    const calls = callsTo(id);
    expect(calls.map((c) => c.status)).toEqual([502, 200]);
    expect(calls[1]!.at - calls[0]!.at).toBeGreaterThanOrEqual(1_900); // exponential backoff from 2 s
    expect(await delivery(id)).toMatchObject({ tries: 2, possibleDuplicate: false });
    expect(telegram.sent({ chatId: id })).toHaveLength(1);
  });

  it("a network error is retried with backoff and not counted as a possible duplicate", async () => {
    const id = 9_400_001;
    telegram.knownChat(id);
    let failures = 1;
    const flaky: Sender = {
      async send(address, outbound) {
        if (failures-- > 0) throw new ChannelError("socket hang up", "network", { channel: "telegram", method: "sendMessage" });
        return channel.bulk.send(address, outbound);
      },
    };
    await enqueue([id]);
    start({ sender: flaky });
    await eventually(async () => (await delivery(id)).status === "sent", { timeoutMs: 20_000, message: "sent after retry" });
    expect(await delivery(id)).toMatchObject({ tries: 2, possibleDuplicate: false });
    expect(telegram.sent({ chatId: id })).toHaveLength(1);
  });
});
