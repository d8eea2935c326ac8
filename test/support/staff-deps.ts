/**
 * The staff feature's deps over the test file's own database (`useDatabase`), with an outbox
 * that records what it is asked to send. Filled in by a `beforeAll`; read the fields inside
 * tests and hooks.
 *
 * @example
 * const h = useStaffDeps(testConfig("staff-boards"), clock);
 * it("…", async () => { await recordClassBoard(h.deps, …); expect(h.sent).toHaveLength(3); });
 */
import { beforeAll } from "vitest";
import type { Config } from "../../src/app/config.js";
import type { Database } from "../../src/store/mongo.js";
import type { Clock, OutboxItem } from "../../src/engine/ports.js";
import type { StaffDeps } from "../../src/features/staff/deps.js";
import { registerMeetingModels } from "../../src/store/meeting-models.js";
import { registerConcernModels } from "../../src/store/concern-models.js";
import { useDatabase } from "./database.js";

export interface StaffHarness {
  db: Database;
  deps: StaffDeps;
  /** What the staff use cases enqueued, in order. */
  sent: { group: string; item: OutboxItem }[];
}

export function useStaffDeps(config: Config, clock: Clock): StaffHarness {
  const h = { db: useDatabase(config), sent: [] } as unknown as StaffHarness;
  beforeAll(() => {
    h.deps = {
      models: h.db.models, meetings: registerMeetingModels(h.db.conn), concerns: registerConcernModels(h.db.conn), clock, ttlDays: 30,
      outbox: { enqueueGroup: async (group, items) => void h.sent.push(...items.map((item) => ({ group, item }))) },
    };
  });
  return h;
}
