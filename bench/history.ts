/**
 * History: does the work of a turn stay flat as the database fills? The real app in-process
 * (long polling on the fake Bot API) answers a command in one chat, one turn at a time, before
 * and after loading what a busy school's week leaves behind: inbound records and turns, and
 * deliveries with their marks (the delivery facts). Latency is update pushed → first reply
 * accepted by the fake. `loadHistory` is shared with the fan-out's "after history" run.
 */
import type { Models } from "../src/store/models.js";
import { startTestApp } from "../test/support/app-harness.js";
import { eventually } from "../test/support/eventually.js";
import { progress, quantile } from "./common.js";

export interface HistorySize {
  inbound: number;
  deliveries: number;
}

export interface TurnLatency {
  turns: number;
  p50Ms: number;
  p99Ms: number;
}

export interface HistoryResult {
  size: HistorySize;
  loadMs: number;
  empty: TurnLatency;
  loaded: TurnLatency;
}

const CHUNK = 5_000;
const WEEK_MS = 7 * 86_400_000;

/**
 * Inserts a week of history: `inbound` handled updates (processed event + turn each) and
 * `deliveries` sent deliveries (delivery + `sending-1` and `sent` marks each), in 50 groups.
 */
export async function loadHistory(models: Models, size: HistorySize, label = "history"): Promise<number> {
  const t0 = Date.now();
  const at = (i: number, n: number) => new Date(t0 - WEEK_MS + (i / n) * WEEK_MS);
  for (let start = 0; start < size.inbound; start += CHUNK) {
    const n = Math.min(CHUNK, size.inbound - start);
    const ids = Array.from({ length: n }, (_, k) => `tg:old:${start + k}`);
    await models.ProcessedEvent.insertMany(ids.map((_id, k) => ({ _id, status: "done", chatKey: `telegram:bot:${(start + k) % 3_000}`, receivedAt: at(start + k, size.inbound), completedAt: at(start + k, size.inbound), event: null })), { ordered: false });
    await models.Turn.insertMany(ids.map((_id, k) => ({ _id, status: "handled", flowId: "help", outbound: "[]", at: at(start + k, size.inbound) })), { ordered: false });
    progress(`${label}: ${start + n}/${size.inbound} inbound records`);
  }
  for (let start = 0; start < size.deliveries; start += CHUNK) {
    const n = Math.min(CHUNK, size.deliveries - start);
    const docs = Array.from({ length: n }, (_, k) => {
      const i = start + k;
      return { _id: `old-d-${i}`, recipient: { channel: "telegram", account: "bot", userId: String(30_000_000 + (i % 3_000)), chatId: String(30_000_000 + (i % 3_000)) }, messages: "[]", group: `notice:old-${i % 50}:1`, createdAt: at(i, size.deliveries) };
    });
    await models.Delivery.insertMany(docs, { ordered: false });
    await models.DeliveryMark.insertMany(docs.flatMap((d) => ["sending-1", "sent"].map((kind) => ({ _id: `${d._id}|${kind}`, delivery: d._id, group: d.group, kind, at: d.createdAt }))), { ordered: false });
    progress(`${label}: ${start + n}/${size.deliveries} deliveries`);
  }
  return Date.now() - t0;
}

export async function history(size: HistorySize, turns: number): Promise<HistoryResult> {
  const t = await startTestApp("bench-history");
  try {
    const user = { id: 40_000_001, first_name: "Phụ huynh" };
    const measure = async (label: string): Promise<TurnLatency> => {
      progress(`history: ${turns} turns (${label})`);
      const latencies: number[] = [];
      for (let i = 0; i < turns; i++) {
        const since = t.telegram.sent().length;
        const pushedAt = Date.now();
        t.telegram.userMessage(user, "/trogiup");
        await eventually(() => t.telegram.sent().length > since, { timeoutMs: 30_000, intervalMs: 2, message: "no reply" });
        latencies.push(t.telegram.sent()[since]!.at - pushedAt);
        // The turn is over (and its inbound record completed) before the next one starts.
        await eventually(() => t.telegram.stats().pendingUpdates === 0, { timeoutMs: 30_000, intervalMs: 2 });
      }
      latencies.sort((a, b) => a - b);
      return { turns, p50Ms: quantile(latencies, 0.5), p99Ms: quantile(latencies, 0.99) };
    };
    await measure("warm-up");
    const empty = await measure("empty database");
    const loadMs = await loadHistory(t.app.db.models, size);
    const loaded = await measure(`after ${size.inbound} inbound records and ${size.deliveries} deliveries`);
    return { size, loadMs, empty, loaded };
  } finally {
    await t.stop();
  }
}
