/**
 * Zalo OA webhook event → `InboundEvent`, plus the side facts an event carries (`readOaActivity`:
 * an interaction that opens the 48 h window, follow/unfollow, a shared phone, a template
 * delivery receipt). Pure and total: any payload gives a value or `undefined`, never a throw.
 * Ids stay strings (OA and user ids exceed 2^53; parse raw bodies with `parseJsonExact`).
 *
 * Mapping (shared/reference/zalo.md §1.6, §6.5): `user_send_text` → `command` (slash optional,
 * as on the Zalo Bot; "LK <code>" means /lienket), a button press when the text is one of our
 * `oa.query.hide` payloads ("#<payload>"), else `text`; `user_send_image`/`gif` → photo;
 * `user_send_file` → document; `user_send_link` → text with the link; `unfollow` → `blocked`.
 * Echoes of the OA's own messages (`oa_send_*`), receipts, stickers, audio, video, locations,
 * group and anonymous events give `undefined`.
 */
import type { InboundEvent } from "../../engine/messages.js";
import { idString, parseCommand } from "../zalo/parse-update.js";
import { withoutNul } from "../../domain/text.js";

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
/** A non-empty string, NUL removed (the database cannot store it). */
const str = (v: unknown): string | undefined => (typeof v === "string" && withoutNul(v).length > 0 ? withoutNul(v) : undefined);

/** A tapped `oa.query.hide` button arrives as the text "#<payload>" (payloads are our short tokens). */
export const BUTTON_TEXT = /^#([A-Za-z0-9_:.-]{1,64})$/;

/** Command words the OA accepts besides the flows' own (folded): "LK <code>" links like /lienket. */
export const OA_COMMAND_ALIASES: Readonly<Record<string, string>> = Object.freeze({ lk: "lienket" });

export interface OaParseOptions {
  /** Folded command names that count as commands without a slash (flows' commands plus huy/cancel). */
  commandWords: ReadonlySet<string>;
  /** The OA's id, used when an event does not name it. */
  oaId?: string;
}

/** Epoch milliseconds (a string in OA payloads) → Date; 0 when absent or malformed. */
function dateOf(v: unknown): Date {
  const n = typeof v === "number" ? v : typeof v === "string" && /^\d{1,16}$/.test(v) ? Number(v) : 0;
  const d = new Date(Number.isFinite(n) ? n : 0);
  return Number.isNaN(d.getTime()) ? new Date(0) : d;
}

/** The user, the OA and the time of a user-originated event (`undefined` for the OA's own). */
function parties(p: Obj, fallbackOa?: string): { userId: string; oaId: string; at: Date } | undefined {
  const event = str(p.event_name);
  if (!event || event.startsWith("oa_")) return undefined;
  if (event === "follow" || event === "unfollow") {
    const userId = isObj(p.follower) ? idString(p.follower.id) : undefined;
    const oaId = idString(p.oa_id) ?? fallbackOa;
    return userId && oaId ? { userId, oaId, at: dateOf(p.timestamp) } : undefined;
  }
  const userId = (isObj(p.sender) ? idString(p.sender.id) : undefined) ?? idString(p.user_id);
  const oaId = (isObj(p.recipient) ? idString(p.recipient.id) : undefined) ?? idString(p.oa_id) ?? fallbackOa;
  return userId && oaId ? { userId, oaId, at: dateOf(p.timestamp) } : undefined;
}

/** The dedupe id: the message id when there is one, else event + sender + timestamp. */
export function oaEventId(p: unknown, fallbackOa?: string): string | undefined {
  if (!isObj(p)) return undefined;
  const who = parties(p, fallbackOa);
  if (!who) return undefined;
  const msgId = isObj(p.message) ? idString(p.message.msg_id) : undefined;
  return msgId ? `zalo-oa:${who.oaId}:${msgId}` : `zalo-oa:${who.oaId}:${str(p.event_name) ?? ""}:${who.userId}:${who.at.getTime()}`;
}

/** Parses one OA webhook event. */
export function parseOaEvent(payload: unknown, options: OaParseOptions): InboundEvent | undefined {
  if (!isObj(payload)) return undefined;
  const who = parties(payload, options.oaId);
  const id = oaEventId(payload, options.oaId);
  if (!who || !id) return undefined;
  const event = payload.event_name as string;
  if (event.includes("group") || event.startsWith("anonymous_")) return undefined;
  const base = {
    id,
    address: { channel: "zalo-oa" as const, account: who.oaId, userId: who.userId, chatId: who.userId },
    at: who.at,
    chatType: "private" as const,
  };
  if (event === "unfollow") return { ...base, kind: "blocked" };
  const m = isObj(payload.message) ? payload.message : undefined;
  if (!m) return undefined;
  const text = typeof m.text === "string" ? withoutNul(m.text) : undefined;
  const attachments = Array.isArray(m.attachments) ? m.attachments.filter(isObj) : [];
  const first = attachments[0];
  const fp = first && isObj(first.payload) ? first.payload : undefined;

  switch (event) {
    case "user_send_text": {
      if (text === undefined) return undefined;
      const button = BUTTON_TEXT.exec(text.trim());
      if (button) return { ...base, kind: "button", payload: button[1]! };
      const command = parseOaCommand(text, options.commandWords);
      if (command) return { ...base, kind: "command", ...command, addressedToBot: true };
      return { ...base, kind: "text", text };
    }
    case "user_send_link": {
      const url = fp ? str(fp.url) : undefined;
      const joined = [text, url].filter((s) => s && s.trim()).join("\n");
      return joined ? { ...base, kind: "text", text: joined } : undefined;
    }
    case "user_send_image":
    case "user_send_gif": {
      const url = fp ? str(fp.url) : undefined;
      if (!url || !/^https?:\/\//i.test(url)) return undefined;
      return { ...base, kind: "attachment", media: "photo", fileRef: url, ...(text && text.trim() ? { caption: text } : {}) };
    }
    case "user_send_file": {
      const url = fp ? str(fp.url) : undefined;
      if (!url || !/^https?:\/\//i.test(url)) return undefined;
      const size = fp && (typeof fp.size === "number" || typeof fp.size === "string") ? Number(fp.size) : NaN;
      return {
        ...base, kind: "attachment", media: "document", fileRef: url,
        ...(fp && str(fp.name) ? { fileName: str(fp.name) } : {}),
        ...(Number.isSafeInteger(size) && size >= 0 ? { sizeBytes: size } : {}),
      };
    }
    default:
      return undefined; // stickers, audio, video, location, business cards, receipts: not understood
  }
}

/** A command with or without slash; "LK <code>" → lienket. */
export function parseOaCommand(text: string, commandWords: ReadonlySet<string>): { command: string; args: string } | undefined {
  const words = new Set([...commandWords, ...Object.keys(OA_COMMAND_ALIASES)]);
  const parsed = parseCommand(text, words);
  if (!parsed) return undefined;
  const alias = Object.hasOwn(OA_COMMAND_ALIASES, parsed.command.toLowerCase()) ? OA_COMMAND_ALIASES[parsed.command.toLowerCase()] : undefined;
  return alias ? { command: alias, args: parsed.args } : parsed;
}

/** What an OA event tells us besides a message (for the identity, the window and the report). */
export interface OaActivity {
  oaId?: string;
  userId?: string;
  at: Date;
  /** A user-originated event: opens the 48 h consultation window (follow, message, button, chat-now). */
  interaction: boolean;
  follow?: "follow" | "unfollow";
  /** Details the user submitted through a `request_user_info` card (keep only with consent; never log). */
  sharedInfo?: { name?: string; phone?: string };
  /** A delivery receipt: of a template (`trackingId`) or of a message (`messageId`). */
  delivered?: { messageId?: string; trackingId?: string };
  /** `oa_send_*` sent by a human admin in OA Manager (a person took over the chat). */
  humanTakeover?: boolean;
  /** A template's review status changed (`change_template_status`). */
  templateStatus?: { templateId: string; status: string };
}

/** Reads the side facts of one event; `undefined` for payloads that are not OA events. */
export function readOaActivity(payload: unknown, oaId?: string): OaActivity | undefined {
  if (!isObj(payload) || !str(payload.event_name)) return undefined;
  const event = payload.event_name as string;
  const at = dateOf(payload.timestamp);
  if (event === "user_received_message" || event === "user_seen_message") {
    const m = isObj(payload.message) ? payload.message : {};
    const messageId = idString(m.msg_id), trackingId = str(m.tracking_id);
    return { at, interaction: false, ...(event === "user_received_message" ? { delivered: { ...(messageId ? { messageId } : {}), ...(trackingId ? { trackingId } : {}) } } : {}) };
  }
  if (event === "change_template_status") {
    const templateId = idString(payload.template_id) ?? (isObj(payload.data) ? idString(payload.data.template_id) : undefined);
    const status = str(payload.status) ?? (isObj(payload.data) ? str(payload.data.status) : undefined);
    return { at, interaction: false, ...(templateId && status ? { templateStatus: { templateId, status } } : {}) };
  }
  if (event.startsWith("oa_send_")) {
    const sender = isObj(payload.sender) ? payload.sender : {};
    return { at, interaction: false, humanTakeover: idString(sender.admin_id) !== undefined };
  }
  const who = parties(payload, oaId);
  if (!who) return { at, interaction: false };
  const activity: OaActivity = { oaId: who.oaId, userId: who.userId, at, interaction: event !== "unfollow" };
  if (event === "follow" || event === "unfollow") activity.follow = event;
  if (event === "user_submit_info") {
    const info = [payload.info, isObj(payload.message) ? payload.message.info : undefined, payload.shared_info].find(isObj);
    if (info) {
      const name = str(info.name), phone = str(info.phone);
      activity.sharedInfo = { ...(name ? { name } : {}), ...(phone ? { phone } : {}) };
    }
  }
  return activity;
}

/** The facts to store for an activity (`src/store/zalo-oa-activity.ts`): an interaction and/or a follow change. */
export function activityFacts(a: OaActivity): { oaId: string; userId: string; kind: "interaction" | "follow" | "unfollow"; at: Date }[] {
  if (!a.oaId || !a.userId) return [];
  const who = { oaId: a.oaId, userId: a.userId, at: a.at };
  return [...(a.interaction ? [{ ...who, kind: "interaction" as const }] : []), ...(a.follow ? [{ ...who, kind: a.follow }] : [])];
}
