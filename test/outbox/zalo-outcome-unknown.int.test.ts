/**
 * The outbox and Zalo's network failures (real FerretDB, Redis, BullMQ, the fake Bot API): a
 * send whose connection was cut after Zalo carried it out is retried and the retry is flagged
 * as a possible duplicate; a send that never connected is retried without that flag.
 */
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { openOutboxServices, type OutboxServices } from "../support/outbox-services.js";
import type { Redis } from "ioredis";
import type { Worker } from "bullmq";
import { testConfig } from "../support/test-config.js";
import { eventually } from "../support/eventually.js";
import { FakeZalo, type ZaloUser } from "../support/fake-zalo.js";
import { type Database } from "../../src/store/mongo.js";
import { createDeliveryRepo } from "../../src/store/deliveries.js";
import { type Queues } from "../../src/jobs/runtime.js";
import { createOutbox, startOutboxWorker } from "../../src/jobs/outbox.js";
import { ZaloBotChannel } from "../../src/channels/zalo/zalo-channel.js";
import type { KeyboardMemory } from "../../src/engine/ports.js";
import type { Sender } from "../../src/engine/receiver.js";
import { Translator } from "../../src/i18n/fluent.js";
import { say } from "../../src/engine/say.js";
import { deliveryState } from "../support/deliveries.js";

const keyboards: KeyboardMemory = { remember: async () => {}, recall: async () => undefined };
const quiet = { info: () => {}, warn: () => {}, error: () => {} };

describe("outbox: Zalo network failures and possible duplicates", () => {
  const config = testConfig("zalo-outcome");
  let services: OutboxServices;
  let db: Database, workerRedis: Redis, queues: Queues, fake: FakeZalo, worker: Worker | undefined;
  beforeAll(async () => {
    services = await openOutboxServices(config);
    ({ db, workerRedis, queues } = services);
    fake = await FakeZalo.start();
  });
  afterAll(async () => {
    await worker?.close();
    await services.stop();
    await fake.close();
  });

  it("a cut connection: sent twice, the delivery says possible duplicate; a refused one: sent once, no flag", async () => {
    const cutUser: ZaloUser = { id: "a1b2c3d4e5f6a7b8c9d0", display_name: "Cut" };
    const refusedUser: ZaloUser = { id: "f0e1d2c3b4a5f6e7d8c9", display_name: "Refused" };
    fake.userMessage(cutUser, "hi");
    fake.userMessage(refusedUser, "hi");
    fake.injectFault({ method: "sendMessage", error_code: 0, chatId: cutUser.id, cut: true });
    const channel = new ZaloBotChannel({ token: fake.token, apiRoot: fake.apiRoot, logger: quiet, keyboards, commandWords: [] });
    // A closed port: the first send to `refusedUser` never connects.
    const dead = await FakeZalo.start();
    const deadRoot = dead.apiRoot;
    await dead.close();
    const deadChannel = new ZaloBotChannel({ token: fake.token, apiRoot: deadRoot, logger: quiet, keyboards, commandWords: [] });
    let refusedTries = 0;
    const sender: Sender = { send: (a, o) => (a.userId === refusedUser.id && refusedTries++ === 0 ? deadChannel.bulk.send(a, o) : channel.bulk.send(a, o)) };

    const repo = createDeliveryRepo(db.models);
    worker = startOutboxWorker({
      connection: workerRedis, prefix: config.redis.queuePrefix, repo, senders: { "zalo-bot": sender }, translator: new Translator(),
      ratePerSecond: 25, concurrency: 2, onUnreachable: async () => {}, logger: quiet,
    });
    await createOutbox(queues.outbox, repo).enqueueGroup("g", [cutUser, refusedUser].map((u) => ({
      key: `z-${u.id}`, recipient: { channel: "zalo-bot" as const, account: "1357924680", userId: u.id, chatId: u.id }, messages: [say("notice-manage-done")],
    })));
    await eventually(async () => (await deliveryState(db.models, `z-${cutUser.id}`))?.status === "sent" && (await deliveryState(db.models, `z-${refusedUser.id}`))?.status === "sent",
      { timeoutMs: 20_000, message: "both sent after a retry" });

    expect(await deliveryState(db.models, `z-${cutUser.id}`)).toMatchObject({ tries: 2, possibleDuplicate: true });
    expect(fake.sent({ chatId: cutUser.id, method: "sendMessage" })).toHaveLength(2); // the cut one did arrive
    expect(await deliveryState(db.models, `z-${refusedUser.id}`)).toMatchObject({ tries: 2, possibleDuplicate: false });
    expect(fake.sent({ chatId: refusedUser.id, method: "sendMessage" })).toHaveLength(1);
    expect(refusedTries).toBe(2);
  }, 40_000);
});
