/**
 * The pieces of one long paste (Telegram splits at 4,096 characters) are joined into one
 * answer while a long-text step waits, through the real inbox, conversation store and Redis
 * chat lock; the join window is driven by hand (no sleeps).
 */
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import type { Redis } from "ioredis";
import { Engine } from "../../src/engine/engine.js";
import { Receiver, type Sender } from "../../src/engine/receiver.js";
import { ask, defineFlow, end, go } from "../../src/engine/define-flow.js";
import { say } from "../../src/engine/say.js";
import { addressKey, type Address, type InboundEvent, type Outbound } from "../../src/engine/messages.js";
import type { CoreServices } from "../../src/engine/ports.js";
import { Translator } from "../../src/i18n/fluent.js";
import { createInbox } from "../../src/store/inbox.js";
import { createConversationStore } from "../../src/store/conversations.js";
import { createDirectory } from "../../src/store/directory.js";
import { connectRedis } from "../../src/jobs/redis.js";
import { createChatLock } from "../../src/jobs/chat-lock.js";
import { testConfig } from "../support/test-config.js";
import { useDatabase } from "../support/database.js";
import { eventually } from "../support/eventually.js";

class RecordingSender implements Sender {
  readonly delivered: { chatId: string; text: string }[] = [];
  async send(address: Address, outbound: Outbound): Promise<void> {
    this.delivered.push({ chatId: address.chatId, text: outbound.kind === "text" ? outbound.text : "" });
  }
  texts(chatId: string): string[] {
    return this.delivered.filter((d) => d.chatId === chatId).map((d) => d.text);
  }
}

/** A join window that closes when the test says so. */
class HandWindow {
  readonly ms = 1500;
  private readonly waiting: (() => void)[] = [];
  waits = 0;
  readonly wait = (): Promise<void> => new Promise((resolve) => (this.waits++, this.waiting.push(resolve)));
  async opened(): Promise<void> {
    await eventually(() => this.waiting.length > 0, { message: "the join window is open" });
  }
  async close(): Promise<void> {
    await this.opened();
    this.waiting.shift()!();
  }
}

describe("the pieces of one long paste make one answer", () => {
  const config = testConfig("receiver-join");
  const silent = { warn() {}, error() {}, info() {} };
  const translator = new Translator();
  const db = useDatabase(config);
  let redis: Redis;
  const answers: { id: string; text: string }[] = [];

  // A notice-like flow: a long text (≤ 8,000) then a short answer (≤ 40).
  const notice = defineFlow<{ text?: string }, "askText" | "askFile">({
    id: "notice", version: 1,
    start: () => go("askText", {}),
    steps: {
      askText: ask.text({ prompt: say("common-empty-answer"), maxLength: 8000, onAnswer: (text, { event }) => (answers.push({ id: event.id, text }), go("askFile", { text })) }),
      askFile: ask.text({ prompt: say("common-choose-one"), maxLength: 40, onAnswer: () => end(say("menu-hint")) }),
    },
  });

  let seq = 0;
  const chat = (userId: string): Address => ({ channel: "telegram", account: "bot", userId, chatId: userId });
  const text = (address: Address, body: string, at = new Date()): InboundEvent => ({ id: `join-${Date.now()}-${++seq}`, address, at, chatType: "private", kind: "text", text: body });
  const command = (address: Address, name: string): InboundEvent =>
    ({ id: `join-${Date.now()}-${++seq}`, address, at: new Date(), chatType: "private", kind: "command", command: name, args: "", addressedToBot: true });
  /** A 6,000-character notice as Telegram delivers it: 4,096 then 1,904 characters. */
  const paste = (length: number) => Array.from({ length: length - 1 }, (_, i) => "Kính gửi Quý phụ huynh. "[i % 24]).join("") + ".";

  function makeReceiver(sender: Sender, window: HandWindow): Receiver {
    const services = { conversations: createConversationStore(db.models), directory: createDirectory(db.models), clock: { now: () => new Date() } } as unknown as CoreServices;
    const engine = new Engine({ flows: [notice], actions: [], commands: { thongbao: "notice" }, idleFlowId: "notice", services, translator, logger: silent });
    return new Receiver({
      engine, inbox: createInbox(db.models), lock: createChatLock(redis, { prefix: config.redis.queuePrefix }), conversations: services.conversations,
      senders: { telegram: sender }, logger: silent, join: window,
    });
  }
  const state = (address: Address) => createConversationStore(db.models).get(addressKey(address));

  beforeAll(async () => {
    redis = await connectRedis(config.redis.url);
  });
  afterAll(async () => {
    await redis?.quit();
  });

  it("a 6,000-character notice split in two is one answer, recorded once per piece, and the next step is not answered with its tail", async () => {
    const sender = new RecordingSender();
    const window = new HandWindow();
    const receiver = makeReceiver(sender, window);
    const teacher = chat("601");
    await receiver.receive(command(teacher, "thongbao"));
    const whole = paste(6000);
    const [head, tail] = [text(teacher, whole.slice(0, 4096)), text(teacher, whole.slice(4096))];
    const before = sender.texts("601").length;

    // As the polling loop hands them over: each chat's updates in order, one after the other.
    await receiver.record(head);
    expect(await receiver.process(head)).toEqual({ status: "ignored", reason: "joined" });
    await receiver.record(tail);
    expect(await receiver.process(tail)).toEqual({ status: "ignored", reason: "joined" });
    await window.close(); // a piece arrived during the first wait: the window restarts
    await window.close();
    await receiver.idle();

    expect(answers.filter((a) => a.id === head.id || a.id === tail.id)).toEqual([{ id: tail.id, text: whole }]);
    expect(sender.texts("601").slice(before)).toEqual([translator.t("vi", "common-choose-one")]);
    expect((await state(teacher))?.step).toBe("askFile");
    expect(await db.models.Turn.findById(head.id).lean()).toMatchObject({ status: "ignored", reason: "joined" });
    expect(await db.models.Turn.findById(tail.id).lean()).toMatchObject({ status: "handled" });
    for (const e of [head, tail]) expect((await db.models.ProcessedEvent.findById(e.id).lean())?.status).toBe("done");
  });

  it("pieces over 8,000 characters together are re-asked with the length, nothing kept, and the step still waits", async () => {
    const sender = new RecordingSender();
    const window = new HandWindow();
    const receiver = makeReceiver(sender, window);
    const teacher = chat("602");
    await receiver.receive(command(teacher, "thongbao"));
    const whole = paste(9000);
    const pieces = [whole.slice(0, 4096), whole.slice(4096, 8192), whole.slice(8192)].map((p) => text(teacher, p));
    const before = sender.texts("602").length;
    const received = receiver.receive(pieces[0]!);
    await window.opened(); // the first piece is in before the others, as the platform sends them
    for (const piece of pieces.slice(1)) {
      await receiver.record(piece);
      await receiver.process(piece);
    }
    await window.close();
    await window.close();
    expect(await received).toEqual({ status: "ignored", reason: "joined" });
    await receiver.idle();
    expect(sender.texts("602").slice(before)).toEqual([
      translator.t("vi", "common-too-long", { max: 8000, length: 9000 }),
      translator.t("vi", "common-empty-answer"),
    ]);
    expect((await state(teacher))?.step).toBe("askText");
    expect(answers.some((a) => pieces.some((p) => p.id === a.id))).toBe(false);
  });

  it("a short step's answer is not held back, and a command after a paste waits for the joined answer", async () => {
    const sender = new RecordingSender();
    const window = new HandWindow();
    const receiver = makeReceiver(sender, window);
    const teacher = chat("603");
    await receiver.receive(command(teacher, "thongbao"));
    const body = text(teacher, "Lịch nghỉ Tết");
    const received = receiver.receive(body);
    await window.opened();
    const cancel = command(teacher, "huy");
    await receiver.record(cancel);
    const cancelled = receiver.process(cancel);
    await window.close();
    await received;
    await cancelled;
    expect(sender.texts("603").slice(-2)).toEqual([translator.t("vi", "common-choose-one"), translator.t("vi", "common-cancelled")]);

    await receiver.receive(command(teacher, "thongbao"));
    const again = receiver.receive(text(teacher, "Lịch nghỉ Tết"));
    await window.close();
    await again;
    const waits = window.waits;
    // askFile takes at most 40 characters: answered at once, no window opened.
    expect(await receiver.receive(text(teacher, "không"))).toMatchObject({ status: "handled" });
    expect(window.waits).toBe(waits);
  });

  it("pieces recorded but never handled (the process died in the window) are joined by recovery, once", async () => {
    const sender = new RecordingSender();
    const receiver = makeReceiver(sender, new HandWindow());
    const teacher = chat("604");
    await receiver.receive(command(teacher, "thongbao"));
    const whole = paste(6000);
    const t0 = Date.now();
    const pieces = [text(teacher, whole.slice(0, 4096), new Date(t0)), text(teacher, whole.slice(4096), new Date(t0 + 1000))];
    for (const p of pieces) await receiver.record(p);
    const before = sender.texts("604").length;

    await receiver.recover(new Date(Date.now() + 60_000));
    await receiver.recover(new Date(Date.now() + 60_000));
    expect(answers.filter((a) => pieces.some((p) => p.id === a.id))).toEqual([{ id: pieces[1]!.id, text: whole }]);
    expect(sender.texts("604").slice(before)).toEqual([translator.t("vi", "common-choose-one")]);
    expect((await state(teacher))?.step).toBe("askFile");
  });
});
