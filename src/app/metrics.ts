/**
 * The app's Prometheus metrics (served by `/metrics`, src/app/http.ts): inbound updates by
 * channel and outcome, turn latency, outbox sends by result, queue depths (read from Redis on
 * each scrape), escalations and meeting reminders fired. One registry per app, so two apps in
 * one process (tests) never share counters. Labels are fixed sets (channels, results, queue
 * states): never an id, an address or a text.
 *
 * @example
 * const metrics = createMetrics({ depths: () => queueDepths(queues) })
 * receiver = new Receiver({ …, observer: metrics.turns })
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type { TurnObserver } from "../engine/receiver.js";

/** What an outbox try ended with: `retried` when the job will be tried again. */
export type SendResult = "sent" | "retried" | "failed" | "blocked";

export interface AppMetrics {
  registry: Registry;
  /** For the receiver: updates received, handled (with latency) and failed, by channel. */
  turns: TurnObserver;
  /** For the outbox worker. */
  outboxSend(result: SendResult): void;
  /** A 429 the outbox judged to be one chat's (that chat waits) or the bot's (the queue waits). */
  outboxRateLimited(scope: "chat" | "bot"): void;
  escalation(): void;
  reminderFired(): void;
}

export interface MetricsSources {
  /** Jobs per queue and state (waiting, delayed, active, failed…), read when scraped. */
  depths?: () => Promise<{ queue: string; state: string; count: number }[]>;
}

export function createMetrics(sources: MetricsSources = {}): AppMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "sll_" });
  const registers = [registry];
  const updates = new Counter({ name: "sll_updates_total", help: "Inbound updates by channel and outcome (received, handled, failed)", labelNames: ["channel", "outcome"], registers });
  const latency = new Histogram({
    name: "sll_update_handling_seconds", help: "Time from taking up a recorded update to its replies settled, by channel",
    labelNames: ["channel"], buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30], registers,
  });
  const sends = new Counter({ name: "sll_outbox_sends_total", help: "Outbox send tries by result (sent, retried, failed, blocked)", labelNames: ["result"], registers });
  const rateLimited = new Counter({ name: "sll_outbox_rate_limited_total", help: "Outbox 429s by whose limit they were judged to be (chat: that chat waits; bot: the whole queue waits)", labelNames: ["scope"], registers });
  const escalations = new Counter({ name: "sll_concern_escalations_total", help: "Concerns escalated by their clock", registers });
  const reminders = new Counter({ name: "sll_meeting_reminders_total", help: "Meeting reminders fired", registers });
  new Gauge({
    name: "sll_queue_jobs", help: "Jobs per BullMQ queue and state, read on scrape", labelNames: ["queue", "state"], registers,
    async collect() {
      if (!sources.depths) return;
      this.reset();
      for (const d of await sources.depths()) this.set({ queue: d.queue, state: d.state }, d.count);
    },
  });
  // Every channel's series exist from the start (a rate over a missing series is empty, not 0).
  for (const result of ["sent", "retried", "failed", "blocked"] as const) sends.inc({ result }, 0);
  return {
    registry,
    turns: {
      received: (channel) => updates.inc({ channel, outcome: "received" }),
      handled: (channel, seconds) => {
        updates.inc({ channel, outcome: "handled" });
        latency.observe({ channel }, seconds);
      },
      failed: (channel) => updates.inc({ channel, outcome: "failed" }),
    },
    outboxSend: (result) => sends.inc({ result }),
    outboxRateLimited: (scope) => rateLimited.inc({ scope }),
    escalation: () => escalations.inc(),
    reminderFired: () => reminders.inc(),
  };
}
