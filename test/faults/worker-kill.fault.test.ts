/**
 * Fault (a): the worker process is SIGKILLed three times while a notice goes out to 2,000
 * guardians. Nobody is missed; a second copy reaches only recipients whose send was in flight
 * at a kill, and every such recipient's delivery is flagged as a possible duplicate.
 */
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import type { AppProcess } from "../support/processes.js";
import { startFaultStack, STOP_TIMEOUT_MS, type FaultStack } from "../support/fault-stack.js";
import { eventually } from "../support/eventually.js";
import { deliveryStates } from "../support/deliveries.js";
import { createDeliveryRepo } from "../../src/store/deliveries.js";
import { createOutbox } from "../../src/jobs/outbox.js";
import { say } from "../../src/engine/say.js";

const N = 2_000;
const GROUP = "notice:fault-a";
/** Kill when this many sends have reached the fake (three kills). */
const KILL_AT = [300, 800, 1_300];

describe("fault (a): the outbox worker SIGKILLed three times during a 2,000-guardian notice", () => {
  let stack: FaultStack, worker: AppProcess;

  beforeAll(async () => {
    stack = await startFaultStack("worker-kill");
    worker = await stack.app({
      role: "worker",
      env: {
        // Fast enough to finish in the suite's time; a killed worker's sends are taken over after 3 s.
        OUTBOX_RATE_PER_SECOND: "1000", OUTBOX_CONCURRENCY: "16", OUTBOX_LOCK_SECONDS: "3",
      },
    });
  }, 120_000);

  afterAll(() => stack?.stop(), STOP_TIMEOUT_MS);

  it("none lost; second copies only where a send was in flight at a kill, each flagged", async () => {
    const { telegram, db, account } = stack;
    const { queues } = await stack.clients();
    const chatIds = Array.from({ length: N }, (_, i) => 7_700_000 + i);
    for (const id of chatIds) telegram.knownChat(id);
    await createOutbox(queues.outbox, createDeliveryRepo(db.models)).enqueueGroup(GROUP, chatIds.map((id) => ({
      key: `fault-a-${id}`, recipient: { channel: "telegram", account, userId: String(id), chatId: String(id) }, messages: [say("notice-manage-done")],
    })));

    const inFlight = new Set<number>();
    for (const threshold of KILL_AT) {
      await worker.start();
      await eventually(() => telegram.stats().sentOk >= threshold, { timeoutMs: 60_000, intervalMs: 10, message: `${threshold} sends before a kill` });
      await worker.kill();
      // What the killed worker left claimed but unsettled: the sends in flight at the kill.
      for (const d of await deliveryStates(db.models, GROUP)) if (d.status === "sending") inFlight.add(Number(d.recipient.chatId));
    }
    expect(telegram.stats().sentOk).toBeLessThan(N); // the kills happened during the notice

    await worker.start();
    await eventually(async () => (await deliveryStates(db.models, GROUP)).every((d) => d.status === "sent"), { timeoutMs: 120_000, intervalMs: 500, message: "every delivery sent" });

    const copies = new Map<number, number>();
    for (const s of telegram.sent({ method: "sendMessage" })) copies.set(Number(s.chatId), (copies.get(Number(s.chatId)) ?? 0) + 1);
    expect(chatIds.filter((id) => !copies.has(id))).toEqual([]); // none lost
    const twice = chatIds.filter((id) => copies.get(id)! > 1);
    expect(twice.filter((id) => !inFlight.has(id))).toEqual([]); // duplicates only among sends in flight at a kill
    expect(twice.length).toBeLessThanOrEqual(inFlight.size);
    expect(Math.max(...copies.values())).toBeLessThanOrEqual(2);
    const flagged = new Set((await deliveryStates(db.models, GROUP)).filter((d) => d.possibleDuplicate).map((d) => Number(d.recipient.chatId)));
    expect(twice.filter((id) => !flagged.has(id))).toEqual([]); // every second copy is flagged
    expect([...flagged].filter((id) => !inFlight.has(id))).toEqual([]); // and nothing else is
  }, 300_000);
});
