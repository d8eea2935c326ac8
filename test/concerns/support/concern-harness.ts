/**
 * The concern service on real FerretDB, Redis and BullMQ, for integration tests: the file's
 * database, a Redis connection and a blocking one for workers, the queues, the concern models
 * (indexes ensured), the service over the clock queue's scheduler and the seeded world
 * (`concern-fixture.ts`). `useConcernHarness` opens it before each test (or once for the file)
 * and closes it after, after the file's own `afterEach`/`afterAll` hooks; workers a test starts
 * go into `closers`, closed first.
 *
 * @example
 * const h = useConcernHarness("concern-quiet", { at: hn("2026-09-14T09:00:00"), outbox: "recording" });
 * it("…", async () => { await h.service.create(await h.world.actor("anMom"), { … }, "ev-1"); h.outbox.to("9001"); });
 */
import { afterAll, afterEach, beforeAll, beforeEach } from "vitest";
import type { Redis } from "ioredis";
import { testConfig } from "../../support/test-config.js";
import { dropDatabase } from "../../support/app-harness.js";
import { FakeClock } from "../../support/fakes.js";
import { openDatabase, type Database } from "../../../src/store/mongo.js";
import { registerConcernModels, ensureConcernIndexes, type ConcernModels } from "../../../src/store/concern-models.js";
import { createConcerns, type Concerns } from "../../../src/features/concerns/index.js";
import { createDeliveryRepo } from "../../../src/store/deliveries.js";
import { connectRedis } from "../../../src/jobs/redis.js";
import { createQueues, type Queues } from "../../../src/jobs/runtime.js";
import { createOutbox } from "../../../src/jobs/outbox.js";
import { QUEUES } from "../../../src/jobs/queues.js";
import { createConcernClockScheduler } from "../../../src/jobs/concern-clocks.js";
import { seedConcernWorld, type ConcernWorld } from "./concern-fixture.js";
import { RecordingOutbox } from "./recording-outbox.js";

export interface ConcernHarnessOptions {
  /** Where the fake clock stands when the harness opens. */
  at: Date;
  /** "real" (default): the app's outbox on the outbox queue, deliveries stored; "recording": a `RecordingOutbox` in `h.outbox`. */
  outbox?: "real" | "recording";
  /** The deployment's zone given to the service (else the service's default). */
  timeZone?: string;
  /** The world seeded when it opens (default: the fixture on account "bot"); false: none. */
  seed?: Parameters<typeof seedConcernWorld>[1] | false;
  /** "each" (default): opened before each test, closed after it; "all": once for the file. */
  per?: "each" | "all";
}

export class ConcernHarness {
  readonly config;
  readonly clock: FakeClock;
  db!: Database;
  redis!: Redis;
  /** A blocking connection for BullMQ workers. */
  workerRedis!: Redis;
  queues!: Queues;
  C!: ConcernModels;
  service!: Concerns;
  /** The recording outbox (with `outbox: "recording"` only). */
  outbox!: RecordingOutbox;
  world!: ConcernWorld;
  /** Closed first when the harness closes (workers the test started). */
  readonly closers: (() => Promise<unknown>)[] = [];

  constructor(label: string, private readonly opts: ConcernHarnessOptions) {
    this.config = testConfig(label);
    this.clock = new FakeClock(opts.at);
  }

  /** The concern clocks' queue. */
  queue() {
    return this.queues.get(QUEUES.concernClocks);
  }

  async open(): Promise<void> {
    const { config, clock, opts } = this;
    clock.set(opts.at);
    this.db = await openDatabase(config.mongo.uri, config.mongo.db);
    this.redis = await connectRedis(config.redis.url);
    this.workerRedis = await connectRedis(config.redis.url, true);
    this.queues = createQueues(this.redis, config.redis.queuePrefix);
    this.C = registerConcernModels(this.db.conn);
    await ensureConcernIndexes(this.C);
    this.outbox = new RecordingOutbox();
    const outbox = opts.outbox === "recording" ? this.outbox : createOutbox(this.queues.outbox, createDeliveryRepo(this.db.models), () => clock.now());
    this.service = createConcerns({
      models: this.db.models, concerns: this.C, clock, outbox, scheduler: createConcernClockScheduler(this.queue(), clock),
      ...(opts.timeZone ? { timeZone: opts.timeZone } : {}),
    });
    if (opts.seed !== false) this.world = await seedConcernWorld(this.db.models, opts.seed ?? { account: "bot" });
  }

  async close(): Promise<void> {
    for (const c of this.closers.splice(0)) await c();
    await this.queue().obliterate({ force: true });
    await this.queues.outbox.obliterate({ force: true });
    await this.queues.close();
    await Promise.all([this.redis.quit(), this.workerRedis.quit()]);
    await this.db.close();
    await dropDatabase(this.config.mongo.uri, this.config.mongo.db);
  }
}

/** The file's concern harness, opened before each test (or once: `per: "all"`) and closed after. */
export function useConcernHarness(label: string, opts: ConcernHarnessOptions): ConcernHarness {
  const h = new ConcernHarness(label, opts);
  if (opts.per === "all") {
    beforeAll(() => h.open());
    afterAll(() => h.close());
  } else {
    beforeEach(() => h.open());
    afterEach(() => h.close());
  }
  return h;
}
