/**
 * /metrics counts what the bot does: a turn moves the update counters and the latency
 * histogram, outbox tries are counted by result (sent, retried after a 5xx, blocked), queue
 * depths are read on scrape, and workers' outcomes (an escalation, a reminder) are counted.
 */
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { Queue, Worker } from "bullmq";
import { Redis } from "ioredis";
import { startTestApp, type TestApp } from "../support/app-harness.js";
import { eventually } from "../support/eventually.js";
import { uniqueName } from "../support/test-config.js";
import { say } from "../../src/engine/say.js";
import { createMetrics } from "../../src/app/metrics.js";
import { observeOutcomes } from "../../src/jobs/job-metrics.js";
import { QUEUES } from "../../src/jobs/queues.js";

/** The value of one series in a Prometheus text exposition (0 when absent). */
function valueOf(text: string, series: string): number {
  const line = text.split("\n").find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
}

describe("/metrics", () => {
  let t: TestApp;
  const scrape = async () => (await fetch(`${t.app.url}/metrics`)).text();

  beforeAll(async () => { t = await startTestApp("metrics"); }, 60_000);
  afterAll(async () => { await t?.stop(); });

  it("counts a turn, its latency, outbox sends by result and queue depths", async () => {
    const before = await scrape();
    const user = { id: 6100001, first_name: "Hạnh" };
    await t.say(user, "/trogiup");
    const account = t.app.telegram!.account;
    const to = (chat: number) => ({ channel: "telegram" as const, account, userId: String(chat), chatId: String(chat) });
    t.telegram.knownChat(6100002);
    t.telegram.knownChat(6100003);
    t.telegram.knownChat(6100004);
    t.telegram.block(6100003);
    t.telegram.injectFault({ method: "sendMessage", error_code: 502, description: "Bad Gateway", chatId: 6100002 });
    t.telegram.injectFault({ method: "sendMessage", error_code: 429, retry_after: 1, chatId: 6100004 });
    await t.app.services.outbox.enqueue([
      { key: "metrics-sent-1", recipient: to(6100001), messages: [say("common-stale-button")] },
      { key: "metrics-retried-1", recipient: to(6100002), messages: [say("common-stale-button")] },
      { key: "metrics-blocked-1", recipient: to(6100003), messages: [say("common-stale-button")] },
      { key: "metrics-chat-429-1", recipient: to(6100004), messages: [say("common-stale-button")] },
    ]);
    let after = "";
    const moved = (series: string) => valueOf(after, series) - valueOf(before, series);
    await eventually(async () => {
      after = await scrape();
      return moved('sll_outbox_sends_total{result="sent"}') >= 3 && moved('sll_outbox_sends_total{result="blocked"}') >= 1;
    }, { timeoutMs: 20_000, message: "outbox sends not counted" });

    expect(moved('sll_updates_total{channel="telegram",outcome="received"}')).toBe(1);
    expect(moved('sll_updates_total{channel="telegram",outcome="handled"}')).toBe(1);
    expect(moved('sll_updates_total{channel="telegram",outcome="failed"}')).toBe(0);
    expect(moved('sll_update_handling_seconds_count{channel="telegram"}')).toBe(1);
    expect(moved('sll_outbox_sends_total{result="sent"}')).toBe(3);
    expect(moved('sll_outbox_sends_total{result="retried"}')).toBe(2); // the 502 and the chat's 429
    expect(moved('sll_outbox_rate_limited_total{scope="chat"}')).toBe(1);
    expect(moved('sll_outbox_rate_limited_total{scope="bot"}')).toBe(0);
    expect(moved('sll_outbox_sends_total{result="blocked"}')).toBe(1);
    expect(after).toMatch(/^sll_queue_jobs\{queue="outbox",state="waiting"\} \d+$/m);
    expect(after).toMatch(/^sll_queue_jobs\{queue="maintenance",state="delayed"\} [1-9]\d*$/m); // the job schedulers' next runs
  }, 60_000);

  it("without METRICS_TOKEN a client behind a proxy may not scrape", async () => {
    const res = await fetch(`${t.app.url}/metrics`, { headers: { "x-forwarded-for": "203.0.113.9" } });
    expect(res.status).toBe(401);
  });

  it("counts the escalations and reminders that workers report", async () => {
    const prefix = uniqueName("metrics-outcomes");
    const connection = new Redis(process.env.REDIS_URL!, { maxRetriesPerRequest: null });
    const metrics = createMetrics();
    const outcomes: Record<string, string> = { [QUEUES.concernClocks]: "escalated", [QUEUES.meetingReminders]: "sent" };
    const workers = Object.keys(outcomes).map((name) => new Worker(name, async (job) => (job.data as { outcome: string }).outcome, { connection, prefix }));
    const queues = Object.keys(outcomes).map((name) => new Queue(name, { connection, prefix }));
    try {
      observeOutcomes(workers, { [QUEUES.concernClocks]: { escalated: metrics.escalation }, [QUEUES.meetingReminders]: { sent: metrics.reminderFired } });
      for (const q of queues) {
        await q.add("x", { outcome: outcomes[q.name] });
        await q.add("y", { outcome: "skipped" });
      }
      let text = "";
      await eventually(async () => {
        text = await metrics.registry.metrics();
        return valueOf(text, "sll_concern_escalations_total") === 1 && valueOf(text, "sll_meeting_reminders_total") === 1
          && (await Promise.all(queues.map((q) => q.getCompletedCount()))).every((n) => n === 2);
      }, { timeoutMs: 20_000, message: "outcomes not counted" });
      expect(valueOf(text, "sll_concern_escalations_total")).toBe(1);
      expect(valueOf(text, "sll_meeting_reminders_total")).toBe(1);
    } finally {
      await Promise.all(workers.map((w) => w.close()));
      for (const q of queues) { await q.obliterate({ force: true }); await q.close(); }
      await connection.quit();
    }
  }, 30_000);
});
