/**
 * Playground request → `InboundEvent`. Pure and total. The page posts
 * `{ person, text }` or `{ person, payload }`; commands are typed like on Telegram.
 */
import { randomUUID } from "node:crypto";
import type { InboundEvent } from "../../engine/messages.js";

export const WEB_ACCOUNT = "playground";
const PERSON = /^[a-z0-9-]{1,64}$/;

/** Parses a playground request body; undefined for anything malformed. */
export function parseWebRequest(body: unknown, locale?: string): InboundEvent | undefined {
  if (typeof body !== "object" || body === null) return undefined;
  const { person, text, payload } = body as Record<string, unknown>;
  if (typeof person !== "string" || !PERSON.test(person)) return undefined;
  const base = {
    id: `web:${WEB_ACCOUNT}:${randomUUID()}`,
    address: { channel: "web" as const, account: WEB_ACCOUNT, userId: person, chatId: person },
    at: new Date(),
    chatType: "private" as const,
    ...(locale ? { localeHint: locale } : {}),
  };
  if (typeof payload === "string" && payload.length > 0 && payload.length <= 64) return { ...base, kind: "button", payload };
  if (typeof text !== "string" || text.length === 0 || text.length > 8000) return undefined;
  const command = /^\/([A-Za-z0-9_]{1,32})(?:\s+([\s\S]*))?$/.exec(text.trim());
  if (command) return { ...base, kind: "command", command: command[1]!, args: (command[2] ?? "").trim(), addressedToBot: true };
  return { ...base, kind: "text", text };
}
