/**
 * `npm run bench`: every benchmark, then one table (markdown) on stdout; progress on stderr.
 * Figures are measured, never asserted. Knobs:
 *   BENCH_N=2000          guardians of the fan-out (BENCH_FULL=1 adds 10,000)
 *   BENCH_RATE=30         outbox rate of the run under Telegram's limits (OUTBOX_RATE_PER_SECOND)
 *   BENCH_RATES=10,30,100 offered inbound updates/s (BENCH_FULL=1 adds 300), BENCH_SECONDS=10 each
 *   BENCH_ONLY=fan-out|inbound|history|codes|reminders|memory (comma-separated)
 *   BENCH_HISTORY=50000,100000  inbound records and deliveries loaded by the history runs
 *   BENCH_REMINDERS=10000, BENCH_DISTRICT=20,11000 (schools, guardians), BENCH_IDLE_SECONDS=20
 * Services: like the tests (scripts/services.sh up) unless MONGODB_URI and REDIS_URL are set.
 */
import { cpus, loadavg } from "node:os";
import { env, millis, num, progress, provision, secs } from "./common.js";
import { fanOut, naiveGrammyLoop, type FanOutResult } from "./fan-out.js";
import { inbound, type InboundResult } from "./inbound.js";
import { history } from "./history.js";
import { codes } from "./codes.js";
import { reminders } from "./reminders.js";
import { memory } from "./memory.js";

const full = env.BENCH_FULL === "1";
const only = env.BENCH_ONLY?.split(",");
const wants = (name: string) => !only || only.includes(name);
const [historyInbound, historyDeliveries] = (env.BENCH_HISTORY ?? "50000,100000").split(",").map(Number) as [number, number];
const sizes = [num("BENCH_N", 2_000), ...(full ? [10_000] : [])];
const rates = [...(env.BENCH_RATES ?? "10,30,100").split(",").map(Number), ...(full ? [300] : [])];
const seconds = num("BENCH_SECONDS", 10);
const services = provision();
const started = Date.now();
const load0 = loadavg()[0]!;
const rows: string[][] = [];

const fanOutCell = (r: FanOutResult) => `${secs(r.totalMs)} (${(r.sent / (r.totalMs / 1000)).toFixed(0)} msg/s), first after ${secs(r.firstMs)}, ${r.rateLimited} × 429${r.failed ? `, ${r.failed} failed` : ""}`;
if (wants("fan-out")) {
  for (const n of sizes) {
    const unlimited = await fanOut(services, { households: n, ratePerSecond: Infinity, concurrency: 8, telegramLimits: false });
    const peerUnlimited = await naiveGrammyLoop(n, false);
    rows.push([`fan-out: notice to ${n}, fake unlimited`, fanOutCell(unlimited), `${secs(peerUnlimited.totalMs)} (${(n / (peerUnlimited.totalMs / 1000)).toFixed(0)} msg/s)`, "—"]);
    rows.push([`fan-out: DB operations per message (N=${n})`, `${unlimited.dbOpsPerMessage.toFixed(2)}: ${Object.entries(unlimited.dbOps).map(([k, v]) => `${v} ${k}`).join(", ")}`, "none (no storage)", "≤ 3, each by _id or unique key"]);
    const ack = await fanOut(services, { households: n, ratePerSecond: Infinity, concurrency: 8, telegramLimits: false, ack: true });
    rows.push([`fan-out: notice asking for confirmation (a *Đã xem* button each, remembered in batches for typed answers) to ${n}, fake unlimited`, `${fanOutCell(ack)}; DB operations per message ${ack.dbOpsPerMessage.toFixed(2)}: ${Object.entries(ack.dbOps).map(([k, v]) => `${v} ${k}`).join(", ")}`, "—", "≤ 3, each by _id or unique key"]);
    const limited = await fanOut(services, { households: n, ratePerSecond: num("BENCH_RATE", 30), concurrency: 8, telegramLimits: true });
    const peerLimited = await naiveGrammyLoop(n, true);
    const floor = (n / 30) * 1000;
    rows.push([`fan-out: notice to ${n}, Telegram limits (30/s, 1/s per chat, 429 + retry_after), outbox ${num("BENCH_RATE", 30)}/s`,
      `${fanOutCell(limited)}; ${(limited.totalMs / floor).toFixed(2)} × N/30`, `${secs(peerLimited.totalMs)}, ${peerLimited.rateLimited} × 429; ${(peerLimited.totalMs / floor).toFixed(2)} × N/30`, "≤ 1.05 × N/30, first ≤ 2 s"]);
    const injected = await fanOut(services, { households: n, ratePerSecond: num("BENCH_RATE", 30), concurrency: 8, telegramLimits: true, injected429: 0.1 });
    rows.push([`fan-out: notice to ${n}, Telegram limits + 10 % injected 429s`, `${fanOutCell(injected)}; ${(injected.totalMs / floor).toFixed(2)} × N/30`, "—", "≤ 1.05 × N/30"]);
    const loaded = await fanOut(services, { households: n, ratePerSecond: Infinity, concurrency: 8, telegramLimits: false, history: { inbound: 0, deliveries: historyDeliveries } });
    rows.push([`fan-out: notice to ${n}, fake unlimited, after ${historyDeliveries.toLocaleString("en")} older deliveries`, `${fanOutCell(loaded)}; DB operations per message ${loaded.dbOpsPerMessage.toFixed(2)}`, "—", "flat with history"]);
    rows.push([`fan-out: peak RSS, worker + producer + fake in one process (N=${n})`, `${Math.max(unlimited.peakRssMiB, limited.peakRssMiB).toFixed(0)} MiB`, "—", "—"]);
  }
}
if (wants("inbound")) {
  for (const mode of ["webhook", "polling"] as const) {
    const product = await inbound(services, "product", mode, rates, seconds);
    const bare = await inbound(services, "grammY", mode, rates, seconds);
    const cell = (r: InboundResult) => `p50 ${millis(r.p50Ms)}, p99 ${Number.isFinite(r.p99Ms) ? millis(r.p99Ms) : `— (${r.answered}/${r.updates} answered)`}, ${r.achievedPerSecond.toFixed(0)}/s, CPU ${r.cpuMsPerUpdate.toFixed(1)} ms/update`;
    product.forEach((p, i) => {
      const b = bare[i]!;
      rows.push([`inbound ${mode}, ${p.rate} updates/s for ${seconds} s`, `${cell(p)} (${(p.cpuMsPerUpdate / b.cpuMsPerUpdate).toFixed(1)} × grammY CPU), RSS ${p.rssMiB.toFixed(0)} MiB`, `${cell(b)}, RSS ${b.rssMiB.toFixed(0)} MiB`, "p99 ≤ 100 ms at 300/s, CPU ≤ 3× grammY"]);
    });
  }
}

if (wants("history")) {
  const h = await history({ inbound: historyInbound, deliveries: historyDeliveries }, num("BENCH_TURNS", 100));
  const cell = (l: { p50Ms: number; p99Ms: number }) => `p50 ${millis(l.p50Ms)}, p99 ${millis(l.p99Ms)}`;
  rows.push([`history: one chat's turn (/trogiup, polling), empty database → after a week (${h.size.inbound.toLocaleString("en")} inbound records, ${h.size.deliveries.toLocaleString("en")} deliveries; loaded in ${secs(h.loadMs)})`,
    `${cell(h.empty)} → ${cell(h.loaded)}`, "—", "flat with history"]);
}
if (wants("codes")) {
  const c = await codes(services, num("BENCH_N", 2_000));
  rows.push([`codes guardians, ${c.students} pupils (CLI, wall time incl. start)`, `issue ${secs(c.issueMs)}, list again ${secs(c.listMs)} (${c.codes} codes)`, "—", "≤ 5 s"]);
}
if (wants("reminders")) {
  const r = await reminders(services, num("BENCH_REMINDERS", 10_000));
  rows.push([`reminders: ${r.reminders} due in the same minute (job layer)`, `first started ${millis(r.firstLateMs)} after due, p99 ${millis(r.p99LateMs)}, last ${secs(r.lastLateMs)}; scheduled in ${secs(r.scheduleMs)}`, "—", "—"]);
}
if (wants("memory")) {
  const [schools, guardians] = (env.BENCH_DISTRICT ?? "20,11000").split(",").map(Number) as [number, number];
  const m = await memory(services, schools, guardians, num("BENCH_IDLE_SECONDS", 20));
  rows.push([`memory: ROLE=all idle, ${m.schools} schools / ${m.guardians.toLocaleString("en")} guardians (generated in ${secs(m.seedMs)})`, `RSS ${m.idleRssMiB.toFixed(0)} MiB (peak ${m.peakRssMiB.toFixed(0)} MiB)`, "—", "≤ 200 MB idle"]);
}

progress(`done in ${secs(Date.now() - started)}`);
console.log(`\nMachine: ${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, load average at start ${load0.toFixed(1)}, at end ${loadavg()[0]!.toFixed(1)}; Node ${process.version}; database: ${services.mongo.replace(/\/\/[^@/]*@/, "//***@")}\n`);
console.log("| measure | Sổ liên lạc | peer: bare grammY | goal (issue 9) |");
console.log("|---|---|---|---|");
for (const r of rows) console.log(`| ${r.join(" | ")} |`);
process.exit(0);
