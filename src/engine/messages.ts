/**
 * The small language spoken inside: adapters turn platform payloads into `InboundEvent`s and
 * render `Outbound`s back. Nothing here knows which platform it is on.
 */

/** Messaging channels the engine can be reached on. */
export type ChannelName = "telegram" | "zalo-bot" | "zalo-oa" | "web";

/** Where a message came from and where its answer goes. Ids are strings at the boundary. */
export interface Address {
  channel: ChannelName;
  /** The bot / official account on that channel (one deployment may run several). */
  account: string;
  /** The person's id on the platform. */
  userId: string;
  /** The chat to answer in (equals userId in private chats on most platforms). */
  chatId: string;
}

/** A stable key for per-chat state and locks: "telegram:bot1:5550001111". */
export function addressKey(a: Address): string {
  return `${a.channel}:${a.account}:${a.chatId}`;
}

interface EventBase {
  /** Unique per platform update ("telegram:bot1:512000101"); the dedupe key. */
  id: string;
  address: Address;
  at: Date;
  chatType: "private" | "group";
  /** The platform's idea of the user's language ("vi", "en-US"), used before they choose. */
  localeHint?: string;
  displayName?: string;
}

/** Everything a person can do to the bot, platform-independent. */
export type InboundEvent = EventBase &
  (
    | { kind: "text"; text: string }
    | { kind: "command"; command: string; args: string; addressedToBot: boolean }
    /** `messageRef`: the platform's id of the message the button was under, when the platform tells it (Telegram). */
    | { kind: "button"; payload: string; messageRef?: string }
    | { kind: "attachment"; media: "photo" | "document"; fileRef: string; sizeBytes?: number; fileName?: string; caption?: string }
    | { kind: "blocked" }
  );

/** One button: a label for people, an opaque short payload for us (≤ 64 bytes on Telegram). */
export interface Button {
  label: string;
  payload: string;
}

/**
 * Replacing: `replaceKey` means "this message replaces the previous message with the same key
 * in this chat" (Telegram edits it; other channels send a new one). `replaceFresh` sends a new
 * message that later ones with the key will replace.
 */
export interface Replacing {
  replaceKey?: string;
  replaceFresh?: boolean;
  /**
   * The platform id of the message to edit in place: the message whose button was pressed
   * (Telegram edits it, and sends anew when it cannot; other channels just send a new message).
   */
  editRef?: string;
}

/** What the engine asks a channel to show. Adapters degrade (buttons → numbered replies). */
export type Outbound = Replacing & (
  | { kind: "text"; text: string; buttons?: Button[][] }
  | { kind: "file"; media: "photo" | "document"; fileRef: string; fileName?: string; caption?: string; buttons?: Button[][] }
  /**
   * Changes only the keyboard under an earlier message (`messageRef`, the one whose button was
   * pressed): an empty `buttons` removes it. Channels that cannot edit drop it (the reply that
   * comes with it says what happened).
   */
  | { kind: "keyboard"; messageRef: string; buttons: Button[][] });

/** An outbound that is a message of its own (not an edit of an earlier one's keyboard). */
export type MessageOutbound = Exclude<Outbound, { kind: "keyboard" }>;

/**
 * Choice ids of the navigation buttons the engine adds under a step (payload `c-_back`, …):
 * back, skip an optional step, leave the flow. Channels without buttons may show them as words
 * to type (the engine also understands "quay lại", "bỏ qua", "hủy") rather than as numbers.
 */
export const NAV_CHOICES = { back: "_back", skip: "_skip", cancel: "_cancel" } as const;

/** True for the payload of a navigation button (see `NAV_CHOICES`). */
export const isNavPayload = (payload: string): boolean => payload.startsWith("c-_");

/** Payload of the inert "✓ <choice>" button left under a message once its choice was made. */
export const SETTLED_PAYLOAD = "x-done";

/** Buttons sent longer ago than this are not what a typed number or label means (a week). */
export const KEYBOARD_MAX_AGE_MS = 7 * 86_400_000;

/**
 * The buttons of a keyboard a person could mean by typing a number or a label, in reading
 * order: navigation buttons (typed as words: "hủy", "quay lại") and a settled "✓" are left out.
 */
export const pressableButtons = (rows: Button[][] | undefined): Button[] =>
  (rows ?? []).flat().filter((b) => !isNavPayload(b.payload) && b.payload !== SETTLED_PAYLOAD);
