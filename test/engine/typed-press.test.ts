/**
 * A number or a label typed outside a conversation step, under the chat's last buttons
 * (`KeyboardMemory`), is read as pressing that button (`Engine.typedPress`); anything else goes
 * on as text. The memory is the port's contract in memory (the app's is src/store/keyboards.ts).
 */
import { describe, it, expect } from "vitest";
import { Engine } from "../../src/engine/engine.js";
import { ask, defineFlow, end, go } from "../../src/engine/define-flow.js";
import { say } from "../../src/engine/say.js";
import { addressKey, type Button } from "../../src/engine/messages.js";
import type { KeyboardMemory, RememberedKeyboard } from "../../src/engine/ports.js";
import { Translator } from "../../src/i18n/fluent.js";
import { createTestEngine } from "../support/fakes.js";

function memoryKeyboards(): KeyboardMemory & { kept: Map<string, RememberedKeyboard> } {
  const kept = new Map<string, RememberedKeyboard>();
  return {
    kept,
    async remember(chatKey: string, buttons: Button[], messageRef?: string) {
      if (buttons.length === 0) kept.delete(chatKey);
      else kept.set(chatKey, { buttons, sentAt: new Date(), ...(messageRef ? { messageRef } : {}) });
    },
    async recall(chatKey: string) { return kept.get(chatKey); },
  };
}

function setup() {
  const base = createTestEngine();
  const keyboards = memoryKeyboards();
  const pressed: string[] = [];
  const idleTexts: string[] = [];
  const stepAnswers: string[] = [];
  const idle = defineFlow({ id: "idle", version: 1, start: (text) => (idleTexts.push(text), end(say("menu-hint"))), steps: {} });
  const write = defineFlow<Record<string, never>, "text">({
    id: "write", version: 1, start: () => go("text", {}),
    steps: { text: ask.text({ prompt: say("common-empty-answer"), onAnswer: (text) => (stepAnswers.push(text), end(say("menu-hint"))) }) },
  });
  const engine = new Engine({
    flows: [idle, write], actions: [{ prefix: "v-", handle: (payload) => (pressed.push(payload), end(say("menu-hint"))) }],
    commands: { viet: "write" }, idleFlowId: "idle", services: base.services, translator: new Translator(), logger: { warn() {}, error() {} }, keyboards,
  });
  const chat = addressKey(base.address());
  const show = (labels: string[], payloads = labels.map((_, i) => `v-${i + 1}`), sentAt = base.clock.now()) =>
    keyboards.kept.set(chat, { buttons: labels.map((label, i) => ({ label, payload: payloads[i]! })), sentAt });
  const type = (text: string) => {
    const m = /^\/(\S+)$/.exec(text);
    return engine.handle(base.event(m ? { kind: "command", command: m[1], args: "", addressedToBot: true } : { kind: "text", text }));
  };
  return { base, show, type, pressed, idleTexts, stepAnswers };
}

describe("a number or a label typed under the last buttons, outside a conversation step", () => {
  it("presses the button by its number, its label or a run of one label's words, without diacritics", async () => {
    const t = setup();
    t.show(["Đồng ý", "Không đồng ý"]);
    for (const typed of ["1", " 2. ", "dong y a", "Không đồng ý", "khong"]) await t.type(typed);
    expect(t.pressed).toEqual(["v-1", "v-2", "v-1", "v-2", "v-2"]);
    expect(t.idleTexts).toEqual([]);
  });

  it("leaves as text a number out of range, words of several labels, a longer sentence and a word that cancels", async () => {
    const t = setup();
    t.show(["Hủy cuộc họp", "Giữ cuộc họp"]);
    const texts = ["3", "0", "#1", "2 ạ", "cuoc hop", "Giữ cuộc họp giúp em với ạ", "huy", "thôi"];
    for (const typed of texts) await t.type(typed);
    expect(t.pressed).toEqual([]);
    expect(t.idleTexts).toEqual(texts);
    await t.type("huy cuoc hop");
    expect(t.pressed).toEqual(["v-1"]);
  });

  it("leaves the text to an open step, ignores a step's own buttons once it is over, and buttons older than a week", async () => {
    const t = setup();
    await t.type("/viet");
    t.show(["Đồng ý"]);
    await t.type("1");
    expect(t.stepAnswers).toEqual(["1"]);
    t.show(["Có", "Không"], ["c-yes", "c-no"]);
    await t.type("1");
    t.show(["Đồng ý"], ["v-1"], new Date(t.base.clock.now().getTime() - 7 * 86_400_000 - 60_000));
    await t.type("1");
    expect(t.pressed).toEqual([]);
    expect(t.idleTexts).toEqual(["1", "1"]);
    t.show(["Đồng ý"], ["v-1"], new Date(t.base.clock.now().getTime() - 6 * 86_400_000));
    await t.type("1");
    expect(t.pressed).toEqual(["v-1"]);
  });
});
