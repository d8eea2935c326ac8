/**
 * An outbox that records what the concern service asks to send (recipient, keys, messages,
 * notBefore), for integration tests that check routing and timing without depending on how
 * deliveries are stored.
 */
import type { OutboxItem } from "../../../src/engine/ports.js";

export class RecordingOutbox {
  readonly items: (OutboxItem & { group: string })[] = [];
  async enqueueGroup(group: string, items: OutboxItem[]): Promise<void> {
    // Like the real one: a key enqueued again is the same delivery.
    for (const i of items) if (!this.items.some((x) => x.key === i.key)) this.items.push({ ...i, group });
  }
  /** Items to a Telegram user id (chat), in order. */
  to(userId: string): (OutboxItem & { group: string })[] {
    return this.items.filter((i) => i.recipient.userId === userId);
  }
  keysTo(userId: string): string[] {
    return this.to(userId).flatMap((i) => i.messages.map((m) => m.key));
  }
}
