/**
 * The outbox's append-only delivery facts (src/store/deliveries.ts) driven through the real
 * `processDelivery` on real FerretDB, with a scripted sender: what each try records, and what
 * a later try concludes from it.
 */
import { describe, it, expect, beforeAll } from "vitest";
import { UnrecoverableError, type Job } from "bullmq";
import { testConfig } from "../support/test-config.js";
import { useDatabase } from "../support/database.js";
import { deliveryState } from "../support/deliveries.js";
import { createDeliveryRepo, eraseDeliveriesOf, importLegacyDeliveryStates, MARK, markId, SUPERSEDED, type DeliveryRepo } from "../../src/store/deliveries.js";
import { processDelivery, type OutboxWorkerOptions } from "../../src/jobs/outbox.js";
import type { OutboxJob } from "../../src/jobs/queues.js";
import { ChannelError, type ChannelErrorCode } from "../../src/engine/errors.js";
import type { Address } from "../../src/engine/messages.js";
import type { Sender } from "../../src/engine/receiver.js";
import { say } from "../../src/engine/say.js";
import { Translator } from "../../src/i18n/fluent.js";

describe("delivery facts: what a try records and what the next try concludes (real FerretDB)", () => {
  const config = testConfig("delivery-marks");
  const db = useDatabase(config);
  let repo: DeliveryRepo;
  let seq = 0;

  beforeAll(async () => {
    repo = createDeliveryRepo(db.models);
  });

  const address = (n: number): Address => ({ channel: "telegram", account: "1", userId: String(n), chatId: String(n) });

  /** A sender that fails the calls listed in `failures` (by call number, from 1) with a ChannelError. */
  const scriptedSender = (failures: Record<number, ChannelErrorCode> = {}) => {
    const calls: string[] = [];
    const sender: Sender = {
      async send(to, outbound) {
        calls.push(`${to.chatId}:${"text" in outbound ? outbound.text : ""}`);
        const code = failures[calls.length];
        if (code) throw new ChannelError(`scripted ${code}`, code, { channel: "telegram", method: "sendMessage", retryAfterMs: 10 });
      },
    };
    return { sender, calls };
  };

  const enqueue = async (group: string, parts = 1) => {
    const key = `dm-${++seq}`;
    const messages = (["menu-hint", "notice-manage-done", "notice-cancelled"] as const).slice(0, parts).map((k) => say(k));
    await repo.createMany([{ key, recipient: address(seq), messages, group }]);
    return key;
  };

  const run = (id: string, sender: Sender, r: DeliveryRepo = repo) => processDelivery({ data: { deliveryId: id } } as Job<OutboxJob>, undefined, {
    repo: r, senders: { telegram: sender }, translator: new Translator(), onUnreachable: async () => {},
    logger: { info: () => {}, warn: () => {} },
  } as unknown as OutboxWorkerOptions);

  const marksOf = async (id: string) => (await db.models.DeliveryMark.find({ delivery: id }).lean()).map((m) => m.kind).sort();

  it("a job whose delivery is missing (another deployment on the same Redis prefix) is dropped with a warning naming the job and the prefix", async () => {
    const warnings: Array<{ obj: object; msg: string }> = [];
    const s = scriptedSender();
    const result = await processDelivery({ id: "d:missing-1", data: { deliveryId: "000000000000000000000000" } } as Job<OutboxJob>, undefined, {
      repo, senders: { telegram: s.sender }, translator: new Translator(), onUnreachable: async () => {}, prefix: "shared-prefix",
      logger: { info: () => {}, warn: (obj: object, msg: string) => warnings.push({ obj, msg }) },
    } as unknown as OutboxWorkerOptions);
    expect(result).toBe("skipped");
    expect(s.calls).toHaveLength(0);
    expect(warnings).toEqual([{ obj: { jobId: "d:missing-1", deliveryId: "000000000000000000000000", queuePrefix: "shared-prefix" }, msg: expect.stringContaining("no delivery record") }]);
  });

  it("a first try records only its claim and the sent mark; the Delivery document itself is never changed", async () => {
    const id = await enqueue("g-first");
    const before = await db.models.Delivery.findById(id).lean();
    const s = scriptedSender();
    expect(await run(id, s.sender)).toBe("sent");
    expect(s.calls).toHaveLength(1);
    expect(await marksOf(id)).toEqual(["sending-1", "sent"]);
    expect(await db.models.Delivery.findById(id).lean()).toEqual(before);
    expect(await deliveryState(db.models, id)).toEqual({ status: "sent", possibleDuplicate: false, tries: 1, error: "" });
  });

  it("a terminal mark stops every later try: sent, unreachable (blocked) and failed (bad request) are never sent again", async () => {
    const sent = await enqueue("g-terminal"), blocked = await enqueue("g-terminal"), rejected = await enqueue("g-terminal");
    const s = scriptedSender({ 2: "blocked", 3: "bad-request" });
    expect(await run(sent, s.sender)).toBe("sent");
    await expect(run(blocked, s.sender)).rejects.toBeInstanceOf(UnrecoverableError);
    await expect(run(rejected, s.sender)).rejects.toBeInstanceOf(UnrecoverableError);
    expect(s.calls).toHaveLength(3);

    for (const id of [sent, blocked, rejected]) expect(await run(id, s.sender)).toBe("skipped");
    expect(s.calls).toHaveLength(3); // a retried job never sends twice
    expect(await deliveryState(db.models, blocked)).toMatchObject({ status: "unreachable", tries: 1, error: "scripted blocked" });
    expect(await deliveryState(db.models, rejected)).toMatchObject({ status: "failed", tries: 1, error: "scripted bad-request" });
    // The skipped runs claimed no try slot.
    expect(await marksOf(sent)).toEqual(["sending-1", "sent"]);
  });

  it("a try that finds the previous one still in flight (a crash mid-send) sends again and flags a possible duplicate", async () => {
    const id = await enqueue("g-crash");
    const d = (await repo.load(id))!;
    await repo.mark(d, MARK.sending(1)); // try 1 started, then its worker died
    expect(await deliveryState(db.models, id)).toMatchObject({ status: "sending", tries: 1 });

    const s = scriptedSender();
    expect(await run(id, s.sender)).toBe("sent");
    expect(s.calls).toHaveLength(1);
    expect(await deliveryState(db.models, id)).toEqual({ status: "sent", possibleDuplicate: true, tries: 2, error: "" });
    expect(await marksOf(id)).toEqual(["duplicate", "sending-1", "sending-2", "sent"]);
  });

  it("a try after a 429, a 5xx or a network error is not flagged as a possible duplicate", async () => {
    for (const code of ["rate-limited", "server", "network"] as const) {
      const id = await enqueue("g-clear");
      const s = scriptedSender({ 1: code });
      await expect(run(id, s.sender)).rejects.toMatchObject({ code });
      expect(await deliveryState(db.models, id)).toEqual({ status: "queued", possibleDuplicate: false, tries: 1, error: `scripted ${code}` });
      expect(await run(id, s.sender)).toBe("sent");
      expect(s.calls).toHaveLength(2);
      expect(await deliveryState(db.models, id)).toEqual({ status: "sent", possibleDuplicate: false, tries: 2, error: "" });
      expect(await marksOf(id)).toEqual(["clear-1", "sending-1", "sending-2", "sent"]);
    }
  });

  it("parts already delivered are not resent by a later try", async () => {
    const id = await enqueue("g-parts", 3);
    const s = scriptedSender({ 2: "server" }); // part 1 arrives, part 2 hits a 502
    await expect(run(id, s.sender)).rejects.toMatchObject({ code: "server" });
    expect(await marksOf(id)).toEqual(["clear-1", "part-1", "sending-1"]);
    expect(await run(id, s.sender)).toBe("sent");
    // Part 1, part 2 (502), then parts 2 and 3 only.
    expect(new Set(s.calls.slice(0, 3)).size).toBe(2);
    expect(s.calls).toEqual([s.calls[0], s.calls[1], s.calls[1], expect.not.stringMatching(new RegExp(`^${s.calls[0]}$|^${s.calls[1]}$`))]);
    expect(await deliveryState(db.models, id)).toEqual({ status: "sent", possibleDuplicate: false, tries: 2, error: "" });
  });

  it("a worker retrying a try it cleared itself claims the next slot without reading the facts, and falls back to them when the slot is taken", async () => {
    let reads = 0;
    const counting: DeliveryRepo = { ...repo, readMarks: (id, kinds) => { reads += kinds.length; return repo.readMarks(id, kinds); } };
    const runWith = (id: string, sender: Sender, clearedTries: Map<string, { k: number; partsDone: boolean[] }>) => processDelivery({ data: { deliveryId: id } } as Job<OutboxJob>, undefined, {
      repo: counting, senders: { telegram: sender }, translator: new Translator(), onUnreachable: async () => {}, logger: { info: () => {}, warn: () => {} }, clearedTries,
    } as unknown as OutboxWorkerOptions);

    // Same process: a 429, then the retry reads nothing.
    const own = await enqueue("g-hint", 2);
    const cleared = new Map<string, { k: number; partsDone: boolean[] }>();
    const s = scriptedSender({ 2: "rate-limited" });
    await expect(runWith(own, s.sender, cleared)).rejects.toMatchObject({ code: "rate-limited" });
    expect(cleared.get(own)).toEqual({ k: 1, partsDone: [true] });
    expect(await runWith(own, s.sender, cleared)).toBe("sent");
    expect(reads).toBe(0);
    expect(s.calls).toEqual([s.calls[0], s.calls[1], s.calls[1]]); // part 1 once, part 2 after the 429
    expect(await deliveryState(db.models, own)).toEqual({ status: "sent", possibleDuplicate: false, tries: 2, error: "" });

    // Stale: another process ran and cleared try 2 meanwhile; the facts give try 3, no duplicate.
    const moved = await enqueue("g-hint");
    const d = (await repo.load(moved))!;
    for (const kind of [MARK.sending(1), MARK.clear(1), MARK.sending(2), MARK.clear(2)]) await repo.mark(d, kind);
    const t = scriptedSender();
    expect(await runWith(moved, t.sender, new Map([[moved, { k: 1, partsDone: [] }]]))).toBe("sent");
    expect(t.calls).toHaveLength(1);
    expect(await deliveryState(db.models, moved)).toEqual({ status: "sent", possibleDuplicate: false, tries: 3, error: "" });

    // Superseded meanwhile: nothing is sent.
    const old = await enqueue("g-hint-old");
    await repo.mark((await repo.load(old))!, MARK.sending(1));
    await repo.mark((await repo.load(old))!, MARK.clear(1));
    expect(await repo.supersede(["g-hint-old"])).toBe(1);
    expect(await runWith(old, t.sender, new Map([[old, { k: 1, partsDone: [] }]]))).toBe("skipped");
    expect(t.calls).toHaveLength(1);
  });

  it("a worker that loses the race for a try slot to another worker sends nothing", async () => {
    const id = await enqueue("g-race");
    const d = (await repo.load(id))!;
    await repo.mark(d, MARK.sending(1));
    await repo.mark(d, MARK.clear(1), "scripted rate-limited");
    // Another worker claims try 2 between this worker's lookups and its claim.
    const racing: DeliveryRepo = {
      ...repo,
      async mark(delivery, kind, error) {
        if (kind === MARK.sending(2)) await repo.mark(delivery, kind);
        return repo.mark(delivery, kind, error);
      },
    };
    const s = scriptedSender();
    expect(await run(id, s.sender, racing)).toBe("skipped");
    expect(s.calls).toHaveLength(0);
  });

  it("supersede fails the queued deliveries of the groups (never tried, or every try cleared) and leaves sent and in-flight ones alone", async () => {
    const fresh = await enqueue("g-old"), cleared = await enqueue("g-old"), inFlight = await enqueue("g-old"), done = await enqueue("g-old");
    const other = await enqueue("g-other");
    const s = scriptedSender({ 1: "rate-limited" });
    await expect(run(cleared, s.sender)).rejects.toMatchObject({ code: "rate-limited" });
    await repo.mark((await repo.load(inFlight))!, MARK.sending(1));
    expect(await run(done, s.sender)).toBe("sent");

    expect(await repo.supersede(["g-old", "g-none"])).toBe(2);
    expect(await repo.supersede(["g-old"])).toBe(0); // idempotent
    const statuses = await repo.groupStatuses("g-old");
    expect(Object.fromEntries([...statuses].map(([id, r]) => [id, [r.status, r.error]]))).toEqual({
      [fresh]: ["failed", SUPERSEDED], [cleared]: ["failed", SUPERSEDED], [inFlight]: ["sending", ""], [done]: ["sent", ""],
    });
    expect(await deliveryState(db.models, other)).toMatchObject({ status: "queued" });

    // Their jobs, run now, send nothing.
    const calls = s.calls.length;
    for (const id of [fresh, cleared]) expect(await run(id, s.sender)).toBe("skipped");
    expect(s.calls).toHaveLength(calls);
  });

  it("a slot taken by supersede stops workers even when its failed mark was never written (a crash in between)", async () => {
    const id = await enqueue("g-half");
    await repo.mark((await repo.load(id))!, MARK.sending(1), SUPERSEDED);
    expect(await deliveryState(db.models, id)).toMatchObject({ status: "failed", error: SUPERSEDED });
    const s = scriptedSender();
    expect(await run(id, s.sender)).toBe("skipped");
    expect(s.calls).toHaveLength(0);
  });

  it("the report reads the same states as the exact lookups, with recipient and identity", async () => {
    const a = await enqueue("g-report"), b = await enqueue("g-report");
    const s = scriptedSender({ 2: "blocked" });
    await run(a, s.sender);
    await run(b, s.sender).catch(() => undefined);
    const rows = await repo.groupStatuses("g-report");
    expect(rows.size).toBe(2);
    for (const id of [a, b]) {
      const { recipient, identityId, group, ...state } = rows.get(id)!;
      expect(state).toEqual(await repo.deliveryStatus(id));
      expect(recipient).toMatchObject({ channel: "telegram" });
      expect(identityId).toBe("");
      expect(group).toBe("g-report");
    }
    expect(await repo.deliveryStatus("no-such-delivery")).toBeUndefined();
  });

  it("enqueuing existing keys again inserts nothing twice and keeps the facts", async () => {
    const id = await enqueue("g-again");
    await run(id, scriptedSender().sender);
    const d = (await repo.load(id))!;
    const ids = await repo.createMany([
      { key: id, recipient: d.recipient, messages: d.messages, group: "g-again" },
      { key: "dm-again-new", recipient: address(9_999), messages: d.messages, group: "g-again" },
      { key: "dm-again-new", recipient: address(9_999), messages: d.messages, group: "g-again" },
    ]);
    expect(ids).toEqual([id, "dm-again-new", "dm-again-new"]);
    expect(await db.models.Delivery.countDocuments({ group: "g-again" })).toBe(2);
    expect(await repo.deliveryStatus(id)).toMatchObject({ status: "sent" });
    expect(await repo.deliveryStatus("dm-again-new")).toMatchObject({ status: "queued", tries: 0 });
  });

  it("deliveries recorded with the old status field keep their meaning: sent ones are not resent, in-flight ones are flagged", async () => {
    const legacy = (id: string, fields: Record<string, unknown>) => db.models.Delivery.collection.insertOne({
      _id: id as never, recipient: address(5_000 + ++seq), identityId: "", messages: JSON.stringify([say("menu-hint"), say("notice-manage-done")]), group: "g-legacy",
      createdAt: new Date(), attempts: 0, sentParts: 0, possibleDuplicate: false, error: "", ...fields,
    });
    await legacy("lg-sent", { status: "sent", attempts: 1, sentParts: 2 });
    await legacy("lg-sending", { status: "sending", attempts: 1, sentParts: 1 });
    await legacy("lg-429", { status: "queued", attempts: 1, error: "Too Many Requests" });
    await legacy("lg-queued", { status: "queued" });
    await legacy("lg-gone", { status: "unreachable", attempts: 1, error: "Forbidden: bot was blocked by the user" });
    await legacy("lg-superseded", { status: "failed", error: SUPERSEDED });
    await legacy("lg-dup", { status: "sent", attempts: 2, possibleDuplicate: true });

    expect(await importLegacyDeliveryStates(db.models)).toBe(7);
    expect(await importLegacyDeliveryStates(db.models)).toBe(0); // the old fields are gone
    const rows = await repo.groupStatuses("g-legacy");
    expect(Object.fromEntries([...rows].map(([id, r]) => [id, [r.status, r.possibleDuplicate, r.error]]))).toEqual({
      "lg-sent": ["sent", false, ""], "lg-sending": ["sending", false, ""], "lg-429": ["queued", false, "Too Many Requests"], "lg-queued": ["queued", false, ""],
      "lg-gone": ["unreachable", false, "Forbidden: bot was blocked by the user"], "lg-superseded": ["failed", false, SUPERSEDED], "lg-dup": ["sent", true, ""],
    });
    const s = scriptedSender();
    for (const id of ["lg-sent", "lg-gone", "lg-superseded", "lg-dup"]) expect(await run(id, s.sender)).toBe("skipped");
    expect(s.calls).toHaveLength(0);
    expect(await run("lg-sending", s.sender)).toBe("sent");
    expect(s.calls).toHaveLength(1); // part 1 had arrived: only part 2
    expect(await repo.deliveryStatus("lg-sending")).toMatchObject({ status: "sent", possibleDuplicate: true });
    for (const id of ["lg-429", "lg-queued"]) expect(await run(id, s.sender)).toBe("sent");
    expect(await repo.deliveryStatus("lg-429")).toMatchObject({ status: "sent", possibleDuplicate: false, tries: 2 });
  });

  it("erasure deletes a person's deliveries and all their facts", async () => {
    await db.models.ChannelIdentity.create({ _id: "erase-me", channel: "telegram", account: "1", externalUserId: "77", chatId: "77" });
    await repo.createMany([{ key: "dm-erase", recipient: { channel: "telegram", account: "1", userId: "77", chatId: "77" }, messages: [say("notice-manage-done")], group: "g-erase" }]);
    expect((await repo.load("dm-erase"))!.identityId).toBe("erase-me");
    await run("dm-erase", scriptedSender({ 1: "network" }).sender).catch(() => undefined);
    await run("dm-erase", scriptedSender().sender);
    expect(await eraseDeliveriesOf(db.models, "erase-me")).toEqual({ deliveries: 1, deliveryMarks: 4 });
    expect(await db.models.DeliveryMark.countDocuments({ _id: { $in: [markId("dm-erase", "sent"), markId("dm-erase", "sending-1")] } })).toBe(0);
    expect(await repo.deliveryStatus("dm-erase")).toBeUndefined();
  });
});
