/**
 * The meeting service on real FerretDB, Redis and BullMQ (no worker started): for integration
 * tests of one behaviour each. `useMeetingHarness` / `useMeetingWorld` open it before each test
 * (the latter also seeds the class 6A1 world) and close it after; or call `open()` in
 * beforeEach and `close()` in afterEach.
 */
import { afterEach, beforeEach } from "vitest";
import type { Redis } from "ioredis";
import { testConfig } from "../../support/test-config.js";
import { dropDatabase } from "../../support/app-harness.js";
import { FakeClock } from "../../support/fakes.js";
import { openDatabase, type Database } from "../../../src/store/mongo.js";
import { registerMeetingModels, ensureMeetingIndexes, type MeetingModels } from "../../../src/store/meeting-models.js";
import { meetingsPort } from "../../../src/features/meetings/index.js";
import type { MeetingActor } from "../../../src/features/meetings/port.js";
import { createDeliveryRepo } from "../../../src/store/deliveries.js";
import { connectRedis } from "../../../src/jobs/redis.js";
import { createQueues, type Queues } from "../../../src/jobs/runtime.js";
import { createOutbox } from "../../../src/jobs/outbox.js";
import { QUEUES } from "../../../src/jobs/queues.js";
import { createReminderScheduler } from "../../../src/jobs/meeting-reminders.js";
import type { Say } from "../../../src/engine/say.js";
import { seedMeetingWorld, type MeetingWorld, type MeetingWorldOptions } from "./meeting-fixture.js";

export type MeetingService = ReturnType<typeof meetingsPort>;

export class MeetingServiceHarness {
  readonly config;
  /** Monday 14/09/2026 09:00 in Hà Nội. */
  readonly clock = new FakeClock(new Date("2026-09-14T02:00:00Z"));
  db!: Database;
  redis!: Redis;
  queues!: Queues;
  meetings!: MeetingModels;
  service!: MeetingService;
  private workerConnections: Redis[] = [];

  constructor(label: string) {
    this.config = testConfig(label);
  }

  reminderQueue() {
    return this.queues.get(QUEUES.meetingReminders);
  }

  /** A blocking Redis connection for a BullMQ worker; `close()` quits it (close the worker first). */
  async workerConnection(): Promise<Redis> {
    const connection = await connectRedis(this.config.redis.url, true);
    this.workerConnections.push(connection);
    return connection;
  }

  async open(): Promise<void> {
    this.clock.set(new Date("2026-09-14T02:00:00Z"));
    this.db = await openDatabase(this.config.mongo.uri, this.config.mongo.db);
    this.redis = await connectRedis(this.config.redis.url);
    this.queues = createQueues(this.redis, this.config.redis.queuePrefix);
    this.meetings = registerMeetingModels(this.db.conn);
    await ensureMeetingIndexes(this.meetings);
    this.service = meetingsPort({
      models: this.db.models, meetings: this.meetings, clock: this.clock,
      outbox: createOutbox(this.queues.outbox, createDeliveryRepo(this.db.models), () => this.clock.now()),
      scheduler: createReminderScheduler(this.reminderQueue(), this.clock),
    });
  }

  async close(): Promise<void> {
    await this.reminderQueue().obliterate({ force: true });
    await this.queues.outbox.obliterate({ force: true });
    await this.queues.close();
    await Promise.all(this.workerConnections.splice(0).map((c) => c.quit()));
    await this.redis.quit();
    await this.db.close();
    await dropDatabase(this.config.mongo.uri, this.config.mongo.db);
  }

  /** The deliveries of an outbox group with their first message parsed. */
  async deliveries(group: string) {
    const ds = await this.db.models.Delivery.find({ group }).sort({ _id: 1 }).lean();
    return ds.map((d) => ({ ...d, first: JSON.parse(d.messages)[0] as Say }));
  }
}

/**
 * The file's harness, opened before each test and closed after it (after the file's own
 * `afterEach` hooks, which close its workers).
 */
export function useMeetingHarness(label: string): MeetingServiceHarness {
  const h = new MeetingServiceHarness(label);
  beforeEach(() => h.open());
  afterEach(() => h.close());
  return h;
}

/**
 * The harness and a class 6A1 world seeded afresh before each test (`seedMeetingWorld`). The
 * returned `world` is filled in before each test; read its fields inside tests and hooks.
 */
export function useMeetingWorld(label: string, seed: MeetingWorldOptions = { account: "bot" }): { h: MeetingServiceHarness; world: MeetingWorld; publish: (eventId: string) => Promise<{ teacher: MeetingActor; id: string }> } {
  const h = new MeetingServiceHarness(label);
  const world = {} as MeetingWorld;
  beforeEach(async () => {
    await h.open();
    Object.assign(world, await seedMeetingWorld(h.db.models, seed));
  });
  afterEach(() => h.close());
  /** The homeroom teacher creates the world's class meeting (published at once: no board yet). */
  const publish = async (eventId: string) => {
    const teacher = await world.actor(world.identities.teacher);
    const r = await h.service.create(teacher, world.classMeeting(), eventId);
    if (r.status !== "published") throw new Error(r.status);
    return { teacher, id: r.meeting.id };
  };
  return { h, world, publish };
}
