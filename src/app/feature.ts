/**
 * What a feature (meetings, concerns, notices/polls/opinions) gets from the composition root,
 * and what it gives back. Each feature has its own `feature-<name>.ts` beside this file.
 */
import type { Config } from "./config.js";
import type { Logger } from "./logger.js";
import type { Database } from "../store/mongo.js";
import type { Eraser } from "../store/privacy.js";
import type { Queues } from "../jobs/runtime.js";
import type { Clock, Directory, Outbox, OutboxItem } from "../engine/ports.js";
import type { Translator } from "../i18n/fluent.js";
import type { RedisConnection } from "../jobs/redis.js";

export interface FeatureDeps {
  config: Config;
  db: Database;
  queues: Queues;
  outbox: Outbox & { enqueueGroup(group: string, items: OutboxItem[]): Promise<void> };
  directory: Directory;
  translator: Translator;
  clock: Clock;
  logger: Logger;
  /** A Redis connection for workers (maxRetriesPerRequest: null). */
  workerConnection: RedisConnection;
  queuePrefix: string;
}

/** Something with a graceful close (a BullMQ worker). */
export interface Closable {
  close(): Promise<void>;
}

export interface FeatureWiring<Port> {
  service: Port;
  /** Runs once at start before anything else (register models, build indexes). */
  init?: () => Promise<void>;
  /** Started in the `worker` and `all` roles. */
  startWorkers?: () => Promise<Closable[]> | Closable[];
  /** Job schedulers to declare at start (idempotent). */
  schedule?: () => Promise<void>;
  /** Deleting a person's data in this feature's collections (/xoadulieu). */
  erasers?: Eraser[];
  /**
   * Rebuilds every Redis-held job of this feature from MongoDB (escalation clocks, reminders,
   * deadlines, scheduled sends): MongoDB is the source of truth, Redis holds only what this can
   * rebuild. Idempotent (deterministic job ids; a job already there is left alone); called by the
   * fleet-wide `reconcile` job scheduler every minute and after Redis lost its data. Returns how
   * many jobs it (re)created.
   */
  reconcile?: () => Promise<number>;
}
