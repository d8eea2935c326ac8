/**
 * What the outbox keeps of a message's words: the payload is emptied a configurable time after
 * the delivery ended (maintenance task `expire-delivery-payloads`), and erasure redacts the
 * deliveries of a group at once (queued ones are superseded and never sent).
 */
import { describe, it, expect, beforeAll } from "vitest";
import type { Job } from "bullmq";
import { testConfig } from "../support/test-config.js";
import { useDatabase } from "../support/database.js";
import { createDeliveryRepo, ERASED_MESSAGES, expireDeliveryPayloads, MARK, markId, redactDeliveryGroups, type DeliveryRepo } from "../../src/store/deliveries.js";
import { processDelivery, type OutboxWorkerOptions } from "../../src/jobs/outbox.js";
import type { OutboxJob } from "../../src/jobs/queues.js";
import type { Sender } from "../../src/engine/receiver.js";
import { say } from "../../src/engine/say.js";
import { Translator } from "../../src/i18n/fluent.js";
import { loadConfig } from "../../src/app/config.js";

describe("delivery payload retention and redaction (real FerretDB)", () => {
  const config = testConfig("delivery-retention");
  const db = useDatabase(config);
  let repo: DeliveryRepo;
  let seq = 0;
  const hour = 3_600_000;

  beforeAll(async () => {
    repo = createDeliveryRepo(db.models);
  });

  const enqueue = async (group: string) => {
    const key = `dr-${++seq}`;
    await repo.createMany([{ key, recipient: { channel: "telegram", account: "1", userId: String(seq), chatId: String(seq) }, messages: [say("menu-hint")], group }]);
    return key;
  };
  const mark = (id: string, group: string, kind: string, at: Date) => db.models.DeliveryMark.create({ _id: markId(id, kind), delivery: id, group, kind, at });
  const payload = async (id: string) => (await db.models.Delivery.findById(id).lean())!.messages;

  it("defaults to 72 hours and reads DELIVERY_PAYLOAD_RETENTION_HOURS", () => {
    const env = { MONGODB_URI: "mongodb://x", REDIS_URL: "redis://x" };
    expect(loadConfig(env).deliveryPayloadRetentionHours).toBe(72);
    expect(loadConfig({ ...env, DELIVERY_PAYLOAD_RETENTION_HOURS: "6" }).deliveryPayloadRetentionHours).toBe(6);
  });

  it("empties the payload of deliveries that ended before the cutoff, and only those", async () => {
    const now = new Date("2026-10-01T00:00:00Z");
    const cutoff = new Date(now.getTime() - 72 * hour);
    const [oldSent, oldFailed, recent, queued] = [await enqueue("g-r"), await enqueue("g-r"), await enqueue("g-r"), await enqueue("g-r")];
    await mark(oldSent, "g-r", MARK.sent, new Date(cutoff.getTime() - hour));
    await mark(oldFailed, "g-r", MARK.failed, new Date(cutoff.getTime() - 5 * hour));
    await mark(recent, "g-r", MARK.sent, new Date(cutoff.getTime() + hour));
    // A try started long ago without a terminal mark: still in flight, its words are needed.
    await mark(queued, "g-r", MARK.sending(1), new Date(cutoff.getTime() - 9 * hour));

    expect(await expireDeliveryPayloads(db.models, cutoff)).toBe(2);
    expect(await payload(oldSent)).toBe("[]");
    expect(await payload(oldFailed)).toBe("[]");
    expect(JSON.parse(await payload(recent))).toEqual([say("menu-hint")]);
    expect(JSON.parse(await payload(queued))).toEqual([say("menu-hint")]);
    expect(await expireDeliveryPayloads(db.models, cutoff)).toBe(0);
    // The records and their marks stay for the reports.
    expect(await db.models.Delivery.countDocuments({ group: "g-r" })).toBe(4);
  });

  it("redaction replaces the words of a group's deliveries; a queued one is superseded and never sent", async () => {
    const sent = await enqueue("g-x"), queued = await enqueue("g-x"), other = await enqueue("g-y");
    await mark(sent, "g-x", MARK.sending(1), new Date());
    await mark(sent, "g-x", MARK.sent, new Date());
    expect(await redactDeliveryGroups(db.models, ["g-x"])).toEqual({ deliveriesRedacted: 2 });
    expect(await payload(sent)).toBe(ERASED_MESSAGES);
    expect(await payload(queued)).toBe(ERASED_MESSAGES);
    expect(JSON.parse(await payload(other))).toEqual([say("menu-hint")]);

    const calls: string[] = [];
    const sender: Sender = { async send(to) { calls.push(to.chatId); } };
    await processDelivery({ data: { deliveryId: queued } } as Job<OutboxJob>, undefined, {
      repo, senders: { telegram: sender }, translator: new Translator(), onUnreachable: async () => {},
      logger: { info: () => {}, warn: () => {} },
    } as unknown as OutboxWorkerOptions);
    expect(calls).toEqual([]);
    expect(await redactDeliveryGroups(db.models, ["g-x"])).toEqual({ deliveriesRedacted: 0 });
  });
});
