/**
 * A typed number under a numbered list ("2", "2.", " 2 ") → a press of that list's button, for
 * channels without inline buttons (Zalo Bot, Zalo OA beyond its button limits). The list is the
 * chat's last one (KeyboardMemory), while it is not older than `maxAgeMs` (a week by default).
 */
import { addressKey, type Button, type InboundEvent } from "../../engine/messages.js";
import { pickByNumber } from "./render-outbound.js";

export interface KeyboardMemory {
  /** Remembers `buttons` as the chat's current list; an empty list forgets it. */
  remember(chatKey: string, buttons: Button[]): Promise<void>;
  recall(chatKey: string): Promise<{ buttons: Button[]; sentAt: Date } | undefined>;
}

export async function resolveNumberedReply(
  event: InboundEvent,
  o: { keyboards: KeyboardMemory; now?: () => Date; maxAgeMs?: number; privateOnly?: boolean },
): Promise<InboundEvent> {
  if (event.kind !== "text" || (o.privateOnly && event.chatType !== "private") || !/^\s*\d{1,3}\s*[.!?,;:)]*\s*$/.test(event.text)) return event;
  const last = await o.keyboards.recall(addressKey(event.address));
  if (!last) return event;
  const now = (o.now ?? (() => new Date()))();
  if (now.getTime() - last.sentAt.getTime() > (o.maxAgeMs ?? 7 * 86_400_000)) return event;
  const payload = pickByNumber(event.text, last.buttons);
  if (!payload) return event;
  const { text: _text, ...rest } = event;
  return { ...rest, kind: "button", payload };
}
