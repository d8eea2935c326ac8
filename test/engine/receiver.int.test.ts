/**
 * The receiver against the real MongoDB-compatible server and the real Redis chat lock: a turn
 * runs once and its replies arrive once, whatever fails in between (a reply's network error, a
 * Redis error at lock release, the same event handled by several receivers at once).
 */
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import type { Redis } from "ioredis";
import { Engine } from "../../src/engine/engine.js";
import { Receiver, type Sender } from "../../src/engine/receiver.js";
import { ask, defineFlow, end, go } from "../../src/engine/define-flow.js";
import { say } from "../../src/engine/say.js";
import { ChannelError } from "../../src/engine/errors.js";
import { addressKey, type Address, type InboundEvent, type Outbound } from "../../src/engine/messages.js";
import type { ChatLock, CoreServices } from "../../src/engine/ports.js";
import { Translator } from "../../src/i18n/fluent.js";
import { createInbox, expireInbound, inboxEraser } from "../../src/store/inbox.js";
import { createConversationStore } from "../../src/store/conversations.js";
import { createDirectory } from "../../src/store/directory.js";
import { connectRedis } from "../../src/jobs/redis.js";
import { createChatLock } from "../../src/jobs/chat-lock.js";
import { testConfig } from "../support/test-config.js";
import { useDatabase } from "../support/database.js";
import { race, expectOneWinner, RACE_WIDTH } from "../support/race.js";

/** A sender that records what reached the person and fails when told to. */
class RecordingSender implements Sender {
  readonly delivered: { chatId: string; text: string }[] = [];
  failNext?: ChannelError;
  onSend?: () => void;
  async send(address: Address, outbound: Outbound): Promise<void> {
    this.onSend?.();
    if (this.failNext) {
      const err = this.failNext;
      this.failNext = undefined;
      throw err;
    }
    this.delivered.push({ chatId: address.chatId, text: outbound.kind === "text" ? outbound.text : "" });
  }
  texts(chatId: string): string[] {
    return this.delivered.filter((d) => d.chatId === chatId).map((d) => d.text);
  }
}

describe("a turn runs once and its replies arrive once", () => {
  const config = testConfig("receiver");
  const prefix = config.redis.queuePrefix;
  const silent = { warn() {}, error() {}, info() {} };
  const db = useDatabase(config);
  let redis: Redis;
  /** Every engine run of a step, by event id: a re-run shows up here. */
  const runs: string[] = [];

  // A meeting-like flow: when → agenda → place. Each answer's reply is two messages.
  const agenda = defineFlow<{ when?: string; agenda?: string; place?: string }, "askWhen" | "askAgenda" | "askPlace">({
    id: "agenda", version: 1,
    start: (_args, { event }) => (runs.push(event.id), go("askWhen", {})),
    steps: {
      askWhen: ask.text({ prompt: say("common-empty-answer"), onAnswer: (when, { event }) => (runs.push(event.id), go("askAgenda", { when }, say("menu-hint"))) }),
      askAgenda: ask.text({ prompt: say("common-choose-one"), onAnswer: (text, { data, event }) => (runs.push(event.id), go("askPlace", { ...data, agenda: text }, say("menu-hint"))) }),
      askPlace: ask.text({ prompt: say("common-flow-updated"), onAnswer: (place, { event }) => (runs.push(event.id), end(say("common-nothing-to-cancel", {}), say("menu-hint"))) }),
    },
  });
  // A command that ends at once: nothing in the conversation remembers it ran.
  const ping = defineFlow<Record<string, never>, never>({ id: "ping", version: 1, start: (_a, { event }) => (runs.push(event.id), end(say("menu-hint"))), steps: {} });

  let seq = 0;
  const chat = (userId: string): Address => ({ channel: "telegram", account: "bot", userId, chatId: userId });
  const text = (address: Address, body: string): InboundEvent => ({ id: `ev-${Date.now()}-${++seq}`, address, at: new Date(), chatType: "private", kind: "text", text: body });
  const command = (address: Address, name: string): InboundEvent =>
    ({ id: `ev-${Date.now()}-${++seq}`, address, at: new Date(), chatType: "private", kind: "command", command: name, args: "", addressedToBot: true });

  function makeEngine(): Engine {
    const services = {
      conversations: createConversationStore(db.models), directory: createDirectory(db.models), clock: { now: () => new Date() },
    } as unknown as CoreServices;
    return new Engine({ flows: [agenda, ping], actions: [], commands: { hop: "agenda", ping: "ping" }, idleFlowId: "agenda", services, translator: new Translator(), logger: silent });
  }
  function makeReceiver(sender: Sender, lock: ChatLock = createChatLock(redis, { prefix }), engine = makeEngine()): Receiver {
    return new Receiver({ engine, inbox: createInbox(db.models), lock, conversations: createConversationStore(db.models), senders: { telegram: sender }, logger: silent });
  }
  const status = async (id: string) => (await db.models.ProcessedEvent.findById(id).lean())?.status;
  const state = (address: Address) => createConversationStore(db.models).get(addressKey(address));
  /** The recovery job, run as if a minute had passed. */
  const recoverNow = (receiver: Receiver) => receiver.recover(new Date(Date.now() + 60_000));

  beforeAll(async () => {
    redis = await connectRedis(config.redis.url);
  });
  afterAll(async () => {
    await redis?.quit();
  });

  it("a reply that failed on a network error is delivered by recovery, once, and the turn is not run again", async () => {
    const sender = new RecordingSender();
    const receiver = makeReceiver(sender);
    const teacher = chat("501");
    await receiver.receive(command(teacher, "hop"));
    const when = text(teacher, "25/12 19h30");
    // The turn's first reply goes out, the second meets a network error.
    let sends = 0;
    sender.onSend = () => { if (++sends === 2) sender.failNext = new ChannelError("sendMessage failed", "network", { channel: "telegram", method: "sendMessage" }); };
    await expect(receiver.receive(when)).rejects.toBeInstanceOf(ChannelError);
    sender.onSend = undefined;
    expect(await status(when.id)).toBe("received");
    const before = sender.texts("501").length;

    await recoverNow(receiver);
    expect(await status(when.id)).toBe("done");
    const translator = new Translator();
    expect(sender.texts("501").slice(before)).toEqual([translator.t("vi", "common-choose-one")]);
    expect(sender.texts("501").filter((t) => t === translator.t("vi", "menu-hint"))).toHaveLength(1);
    expect(runs.filter((id) => id === when.id)).toHaveLength(1);
    expect((await state(teacher))?.data).toEqual({ when: "25/12 19h30" });
    // Another pass of the recovery job sends nothing more.
    await recoverNow(receiver);
    expect(sender.texts("501").length).toBe(before + 1);
  });

  it("a Redis error while a finished turn releases its chat lock neither leaves it unhandled nor runs it again later", async () => {
    const sender = new RecordingSender();
    const lockRedis = await connectRedis(config.redis.url);
    // A short TTL: the lock left behind blocks the chat only briefly.
    const receiver = makeReceiver(sender, createChatLock(lockRedis, { prefix, ttlMs: 300 }));
    const teacher = chat("502");
    await receiver.receive(command(teacher, "hop"));
    const when = text(teacher, "25/12 19h30");
    // Redis goes away while the turn sends its last reply: the lock cannot be released.
    let sends = 0;
    sender.onSend = () => { if (++sends === 2) lockRedis.disconnect(); };
    await receiver.receive(when);
    sender.onSend = undefined;
    await lockRedis.connect();
    // The teacher goes on: the agenda.
    const agendaText = text(teacher, "Họp đầu năm");
    await receiver.receive(agendaText);

    await recoverNow(receiver);
    expect(runs.filter((id) => id === when.id)).toHaveLength(1);
    expect(await state(teacher)).toMatchObject({ step: "askPlace", data: { when: "25/12 19h30", agenda: "Họp đầu năm" }, lastEventId: agendaText.id });
    expect(await status(when.id)).toBe("done");
    await lockRedis.quit();
  });

  it("a turn whose release failed is not run again even when its record was left pending", async () => {
    const sender = new RecordingSender();
    // Whatever the lock does, an error once the turn is settled changes nothing.
    const real = createChatLock(redis, { prefix });
    let failRelease = true;
    const lock: ChatLock = { async withLock(key, fn) { const r = await real.withLock(key, fn); if (failRelease) throw new Error("Connection is closed."); return r; } };
    const receiver = makeReceiver(sender, lock);
    const teacher = chat("503");
    failRelease = false;
    await receiver.receive(command(teacher, "hop"));
    failRelease = true;
    const when = text(teacher, "25/12 19h30");
    await receiver.receive(when);
    failRelease = false;
    await receiver.receive(text(teacher, "Họp đầu năm"));
    // Even a pending record (a crash right after the turn) is only finished by recovery, never re-run.
    await db.models.ProcessedEvent.updateOne({ _id: when.id }, { $set: { status: "received", event: JSON.stringify(when) } });
    await recoverNow(receiver);
    expect(await status(when.id)).toBe("done");
    expect(runs.filter((id) => id === when.id)).toHaveLength(1);
    expect(await state(teacher)).toMatchObject({ step: "askPlace", data: { when: "25/12 19h30", agenda: "Họp đầu năm" } });
    expect(sender.texts("503")).toHaveLength(5); // prompt; 2 for the date; 2 for the agenda
  });

  it("an event never run whose chat has moved past it is not run late", async () => {
    const sender = new RecordingSender();
    const receiver = makeReceiver(sender);
    const teacher = chat("504");
    await receiver.receive(command(teacher, "hop"));
    // Recorded, then the process died before handling it; the teacher typed the date again.
    const lost = text(teacher, "25/12 19h30");
    expect(await receiver.record(lost)).toBe("new");
    await receiver.receive(text(teacher, "26/12 19h30"));
    await receiver.receive(text(teacher, "Họp đầu năm"));
    await recoverNow(receiver);
    expect(runs).not.toContain(lost.id);
    expect(await status(lost.id)).toBe("done");
    expect((await state(teacher))?.data).toEqual({ when: "26/12 19h30", agenda: "Họp đầu năm" });
  });

  it(`the same event handled by ${RACE_WIDTH} receivers at once runs once and is answered once`, async () => {
    const sender = new RecordingSender();
    const ranBy = new Set<number>();
    const receivers = Array.from({ length: RACE_WIDTH }, (_, i) => {
      const engine = makeEngine();
      const handle = engine.handle.bind(engine);
      engine.handle = async (event) => (ranBy.add(i), handle(event));
      return makeReceiver(sender, createChatLock(redis, { prefix }), engine);
    });
    const parent = chat("505");
    const event = command(parent, "ping");
    expect(await receivers[0]!.record(event)).toBe("new");
    const results = await race(RACE_WIDTH, async (i) => (await receivers[i]!.process(event), ranBy.has(i)));
    expectOneWinner(results, (ran) => ran === true);
    expect(runs.filter((id) => id === event.id)).toHaveLength(1);
    expect(sender.texts("505")).toHaveLength(1);
  });

  it("a turn's reply texts are dropped once it is complete, erased with the chat (/xoadulieu) and expire with the inbound records", async () => {
    const sender = new RecordingSender();
    const receiver = makeReceiver(sender);
    const parent = chat("506");
    const event = command(parent, "hop");
    await receiver.receive(event);
    expect(await db.models.Turn.findById(event.id).lean()).toMatchObject({ status: "handled", outbound: "[]" });
    expect(await db.models.DeliveryMark.countDocuments({ group: `turn:${event.id}` })).toBe(1); // sent (the turn's insert claimed try 1)
    expect(await inboxEraser(db.models)({ chatKey: addressKey(parent) })).toEqual({ turns: 1 });
    expect(await db.models.Turn.countDocuments({ _id: event.id })).toBe(0);
    expect(await db.models.DeliveryMark.countDocuments({ group: `turn:${event.id}` })).toBe(0);

    const old = command(parent, "ping");
    await receiver.receive(old);
    await expireInbound(db.models, new Date(Date.now() + 1_000));
    expect(await db.models.Turn.countDocuments({ _id: old.id })).toBe(0);
    expect(await db.models.DeliveryMark.countDocuments({ group: `turn:${old.id}` })).toBe(0);
    expect(await db.models.ProcessedEvent.countDocuments({ _id: old.id })).toBe(0);
  });
});
