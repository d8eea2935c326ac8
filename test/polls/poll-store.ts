/**
 * Poll and opinion use cases on the real database with a recording outbox: the file's own
 * database (`useDatabase`) and poll models (the returned `db` and `P` are filled in by
 * `beforeAll` hooks, so read them inside tests and hooks), a fake clock,
 * what the use cases enqueued (`sent`), and `deps()` for `createPolls` / `createOpinions`.
 */
import { beforeAll } from "vitest";
import { testConfig } from "../support/test-config.js";
import { useDatabase } from "../support/database.js";
import { eventually } from "../support/eventually.js";
import { FakeClock } from "../support/fakes.js";
import { registerPollModels, ensurePollIndexes, type PollModels } from "../../src/store/poll-models.js";
import type { OutboxItem } from "../../src/engine/ports.js";
import type { PollDeps } from "../../src/features/polls/deps.js";
import type { PollDeadlineScheduler } from "../../src/features/polls/port.js";

/** A scheduler that plans nothing (and never finds a job missing). */
export const NO_DEADLINES: PollDeadlineScheduler = { schedule: async () => {}, ensure: async () => false };

export function usePollStore(label: string) {
  const config = testConfig(label);
  const db = useDatabase(config);
  const P = {} as PollModels;
  const clock = new FakeClock(new Date("2026-12-01T02:00:00Z"));
  const sent: { group: string; items: OutboxItem[] }[] = [];
  beforeAll(async () => {
    Object.assign(P, registerPollModels(db.conn));
    await ensurePollIndexes(P);
  });
  const deps = (scheduler: PollDeadlineScheduler = NO_DEADLINES): PollDeps => ({
    models: db.models, polls: P, clock, scheduler,
    outbox: { enqueueGroup: async (group, items) => { sent.push({ group, items }); } },
  });
  return { config, db, P, clock, sent, deps };
}

/**
 * The model with its `create` held back until `ready(doc)` holds: forces the interleaving a
 * naive close misses (the write passed its "still open?" check, the close decided and froze
 * its result, and only then does the write land).
 */
export function lateCreates<M extends object>(model: M, ready: (doc: never) => Promise<boolean>, message: string): M {
  const create = (model as unknown as { create(doc: never): unknown }).create.bind(model);
  return new Proxy(model, {
    get(target, prop) {
      if (prop === "create") return async (doc: never) => {
        await eventually(() => ready(doc), { timeoutMs: 20_000, message });
        return create(doc);
      };
      const value = Reflect.get(target, prop) as unknown;
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}
