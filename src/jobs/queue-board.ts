/**
 * Bull Board over the app's queues (src/jobs/queues.ts): the adapters the dashboard under
 * /admin/queues reads. The console mounts it behind its own session check (principals and
 * school admins only); nothing here knows about HTTP sessions.
 */
import { createBullBoard } from "@bull-board/api";
import { BullMQAdapter } from "@bull-board/api/bullMQAdapter";
import type { IServerAdapter } from "@bull-board/api/typings/app";
import { QUEUES } from "./queues.js";
import type { Queues } from "./runtime.js";

/** Shows every queue of `QUEUES` on `serverAdapter` (read-only: jobs carry ids only, but retrying or removing them is an operator's task). */
export function showQueues(queues: Queues, serverAdapter: IServerAdapter): void {
  createBullBoard({
    queues: Object.values(QUEUES).map((name) => new BullMQAdapter(queues.get(name), { readOnlyMode: true })),
    serverAdapter,
    options: { uiConfig: { boardTitle: "Sổ liên lạc — hàng đợi" } },
  });
}
