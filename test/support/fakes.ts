/**
 * In-memory fakes of the engine's own ports, for unit tests of the engine and the flows.
 * The conversation store `structuredClone`s state between turns to prove it serializes.
 * (Platforms are faked over HTTP in fake-telegram.ts; databases are never faked in
 * integration or end-to-end tests.)
 */
import type { Address, InboundEvent, Outbound } from "../../src/engine/messages.js";
import { addressKey } from "../../src/engine/messages.js";
import type {
  Clock, ConversationState, ConversationStore, Directory, OutboxItem, Person, Throttle,
} from "../../src/engine/ports.js";
import type { Services } from "../../src/features/services.js";
import type { CodeCheck, Linking, Privacy } from "../../src/features/linking/port.js";
import { Engine, type HandleResult } from "../../src/engine/engine.js";
import { Translator, type Locale } from "../../src/i18n/fluent.js";
import { NO_ROLES, type Roles } from "../../src/domain/roles.js";
import { flows, actions, commands, IDLE_FLOW_ID, ATTACHMENT_FLOW_ID } from "../../flows/index.js";

/** A clock tests move by hand. */
export class FakeClock implements Clock {
  constructor(private current = new Date("2026-09-14T02:00:00Z")) {}
  now(): Date {
    return new Date(this.current);
  }
  set(at: Date | string): void {
    this.current = new Date(at);
  }
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}

export class MemoryConversations implements ConversationStore {
  readonly states = new Map<string, ConversationState>();
  async get(key: string) {
    const s = this.states.get(key);
    return s ? structuredClone(s) : undefined;
  }
  async put(key: string, state: ConversationState) {
    this.states.set(key, structuredClone(state));
  }
  async delete(key: string) {
    this.states.delete(key);
  }
}

export class MemoryDirectory implements Directory {
  readonly people = new Map<string, { identityId: string; roles: Roles; locale: Locale; timeZone?: string }>();
  readonly locales = new Map<string, Locale>();
  readonly unreachable = new Set<string>();
  async resolve(address: Address, hint?: string): Promise<Person> {
    const p = this.people.get(addressKey(address));
    const locale = p?.locale ?? this.locales.get(addressKey(address)) ?? (hint?.startsWith("en") ? "en" : "vi");
    return p ? { address, identityId: p.identityId, roles: structuredClone(p.roles), locale, ...(p.timeZone ? { timeZone: p.timeZone } : {}) } : { address, roles: structuredClone(NO_ROLES), locale };
  }
  async setLocale(address: Address, locale: Locale) {
    const p = this.people.get(addressKey(address));
    if (p) p.locale = locale;
    else this.locales.set(addressKey(address), locale);
  }
  async markUnreachable(address: Address) {
    this.unreachable.add(addressKey(address));
  }
}

/** One valid code "K7M2Q9XD4RT8B" for pupil Nguyễn Văn An, 6A1, single use. */
export class MemoryLinking implements Linking {
  readonly codes = new Map<string, { studentName: string; className: string; uses: number; slots: number; studentId: string }>([
    ["K7M2Q9XD4RT8B", { studentName: "Nguyễn Văn An", className: "6A1", uses: 0, slots: 1, studentId: "s1" }],
  ]);
  readonly consents: { address: Address; version: string }[] = [];
  constructor(private readonly directory: MemoryDirectory) {}
  async check(code: string): Promise<CodeCheck> {
    const c = this.codes.get(code);
    if (!c || c.uses >= c.slots) return { status: "invalid" };
    return { status: "ok", preview: { grant: "guardian", schoolName: "Trường THCS Nguyễn Du", className: c.className, studentName: c.studentName } };
  }
  async redeem(input: Parameters<Linking["redeem"]>[0]) {
    const check = await this.check(input.code);
    if (check.status === "invalid") return check;
    const c = this.codes.get(input.code)!;
    c.uses++;
    this.consents.push({ address: input.address, version: input.consentVersion });
    const key = addressKey(input.address);
    const existing = this.directory.people.get(key) ?? { identityId: `id-${key}`, roles: structuredClone(NO_ROLES), locale: input.locale };
    existing.roles.guardianOf.push({ studentId: c.studentId, studentName: c.studentName, classGroupId: "c1", className: c.className, schoolId: "sch1" });
    this.directory.people.set(key, existing);
    return { status: "linked" as const, preview: check.preview };
  }
}

export class MemoryPrivacy implements Privacy {
  readonly forgotten: string[] = [];
  constructor(private readonly directory: MemoryDirectory) {}
  async report(address: Address) {
    const p = this.directory.people.get(addressKey(address));
    if (!p) return undefined;
    return { channel: address.channel, locale: p.locale, students: p.roles.guardianOf.map((g) => ({ name: g.studentName, className: g.className, schoolName: "Trường THCS Nguyễn Du" })), roles: [] };
  }
  async forget(address: Address) {
    this.directory.people.delete(addressKey(address));
    this.forgotten.push(addressKey(address));
    return { deleted: { identities: 1 } };
  }
}

export class MemoryThrottle implements Throttle {
  readonly failures = new Map<string, number>();
  constructor(private readonly limit = 5) {}
  async fail(key: string) {
    const n = (this.failures.get(key) ?? 0) + 1;
    this.failures.set(key, n);
    return { blocked: n >= this.limit, retryAfterSeconds: n >= this.limit ? 900 : 0 };
  }
  async isBlocked(key: string) {
    const n = this.failures.get(key) ?? 0;
    return { blocked: n >= this.limit, retryAfterSeconds: n >= this.limit ? 900 : 0 };
  }
}

export class MemoryOutbox {
  readonly items: OutboxItem[] = [];
  async enqueue(items: OutboxItem[]) {
    for (const item of items) if (!this.items.some((i) => i.key === item.key)) this.items.push(structuredClone(item));
  }
}

/** An engine over in-memory ports, with helpers to talk to it like a person. */
export function createTestEngine(overrides: Partial<Services> = {}, options: { translator?: Translator } = {}) {
  const clock = new FakeClock();
  const directory = new MemoryDirectory();
  const conversations = new MemoryConversations();
  const outbox = new MemoryOutbox();
  const services: Services = {
    conversations, directory, linking: new MemoryLinking(directory), privacy: new MemoryPrivacy(directory),
    throttle: new MemoryThrottle(), outbox, clock,
    meetings: {} as Services["meetings"], concerns: {} as Services["concerns"], broadcast: {} as Services["broadcast"], polls: {} as Services["polls"],
    console: {} as Services["console"], roster: {} as Services["roster"], boards: {} as Services["boards"], channels: {} as Services["channels"],
    ...overrides,
  };
  const translator = options.translator ?? new Translator();
  const errors: object[] = [];
  const engine = new Engine({ flows, actions, commands, idleFlowId: IDLE_FLOW_ID, attachmentFlowId: ATTACHMENT_FLOW_ID, services, translator, logger: { warn: () => {}, error: (o) => errors.push(o) } });
  let seq = 0;
  const address = (userId = "1001"): Address => ({ channel: "telegram", account: "bot", userId, chatId: userId });
  const event = (body: Record<string, unknown>, userId?: string): InboundEvent =>
    ({ id: `ev-${++seq}`, address: address(userId), at: clock.now(), chatType: "private", ...body }) as InboundEvent;
  const texts = (r: HandleResult) => (r.status === "handled" ? r.outbound.filter((o: Outbound) => o.kind !== "keyboard").map((o: Outbound) => (o.kind === "text" ? o.text : o.kind === "file" ? o.caption ?? "" : "")) : []);
  return {
    engine, services, clock, directory, conversations, outbox, translator, errors, address, event, texts,
    send: (text: string, userId?: string) => {
      const m = /^\/(\S+)(?:\s+([\s\S]*))?$/.exec(text);
      return engine.handle(m ? event({ kind: "command", command: m[1], args: m[2] ?? "", addressedToBot: true }, userId) : event({ kind: "text", text }, userId));
    },
    press: (payload: string, userId?: string) => engine.handle(event({ kind: "button", payload }, userId)),
  };
}
