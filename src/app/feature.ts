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
import type { Redis } from "ioredis";

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
  workerConnection: Redis;
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
}
