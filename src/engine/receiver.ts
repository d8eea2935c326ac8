/**
 * The path of every inbound event: record it durably (only then may the adapter acknowledge
 * the platform), handle it under a per-chat lock, send the replies, mark it complete. A crash
 * anywhere after `record` leaves the event pending; `recover` (run by a job scheduler)
 * handles it again, and the engine's replay guard keeps a half-handled turn from running twice.
 */
import { addressKey, type Address, type ChannelName, type InboundEvent, type Outbound } from "./messages.js";
import type { ChatLock, Inbox } from "./ports.js";
import type { Engine, EngineLogger, HandleResult } from "./engine.js";
import { ChannelError } from "./errors.js";

/** Sends one outbound message to one address on its channel. */
export interface Sender {
  send(address: Address, outbound: Outbound): Promise<void>;
}

export interface ReceiverOptions {
  engine: Engine;
  inbox: Inbox;
  lock: ChatLock;
  senders: Partial<Record<ChannelName, Sender>>;
  logger: EngineLogger & { info?(obj: object, msg: string): void };
  /** Told when a reply found the person had blocked the bot (marks the identity unreachable). */
  onBlocked?: (address: Address) => Promise<void>;
}

/** Outcome of receiving one event. */
export type ReceiveResult = { status: "duplicate" } | HandleResult;

export class Receiver {
  constructor(private readonly o: ReceiverOptions) {}

  /** Records then handles. Resolves after replies were handed to the channel. */
  async receive(event: InboundEvent): Promise<ReceiveResult> {
    if ((await this.record(event)) === "duplicate") return { status: "duplicate" };
    return this.process(event);
  }

  /** The durable step: once this resolves the platform may be told the update arrived. */
  record(event: InboundEvent): Promise<"new" | "duplicate"> {
    return this.o.inbox.record(event);
  }

  /** Handles an already-recorded event (also used by recovery). */
  async process(event: InboundEvent): Promise<HandleResult> {
    const result = await this.o.lock.withLock(addressKey(event.address), async () => {
      const result = await this.o.engine.handle(event);
      if (result.status === "handled") await this.deliver(event.address, result.outbound);
      return result;
    });
    await this.o.inbox.complete(event.id);
    return result;
  }

  /** Re-handles events that were recorded but never completed. */
  async recover(olderThan: Date, limit = 100): Promise<number> {
    const pending = await this.o.inbox.pending(olderThan, limit);
    for (const event of pending) {
      try {
        await this.process(event);
      } catch (err) {
        this.o.logger.error({ err, eventId: event.id }, "recovery of an inbound event failed");
      }
    }
    return pending.length;
  }

  private async deliver(address: Address, outbound: Outbound[]): Promise<void> {
    const sender = this.o.senders[address.channel];
    if (!sender) throw new Error(`no sender for channel ${address.channel}`);
    for (const message of outbound) {
      try {
        await sender.send(address, message);
      } catch (err) {
        // Interactive replies are not retried forever: a blocked user or a bad request is
        // logged and the turn completes; network failures surface so the event stays pending.
        if (err instanceof ChannelError && (err.code === "blocked" || err.code === "bad-request")) {
          this.o.logger.warn({ err, address: addressKey(address), code: err.code }, "reply not delivered");
          if (err.code === "blocked") return void (await this.o.onBlocked?.(address));
          continue;
        }
        throw err;
      }
    }
  }
}
