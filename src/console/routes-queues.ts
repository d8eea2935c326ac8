/**
 * Bull Board under /admin/queues, for principals and school admins signed in to the console:
 * a Fastify hook checks the console session on every request of the dashboard (its page, its
 * API and its assets) and answers 403 to anyone else. The queues shown are the app's
 * (src/jobs/queues.ts), read-only.
 */
import { FastifyAdapter } from "@bull-board/fastify";
import type { FastifyInstance } from "fastify";
import { showQueues } from "../jobs/queue-board.js";
import { canManageSchool } from "../features/console/records.js";
import type { Queues } from "../jobs/runtime.js";
import type { ConsoleKit } from "./kit.js";
import { messagePage } from "./views.js";

export const QUEUE_BOARD_PATH = "/admin/queues";

export async function registerQueueBoard(scope: FastifyInstance, d: { queues?: Queues }, kit: ConsoleKit): Promise<void> {
  if (!d.queues) return;
  const queues = d.queues;
  await scope.register(async (board) => {
    board.addHook("onRequest", async (req, reply) => {
      const s = await kit.session(req);
      if (!s || !canManageSchool(s)) return kit.html(reply, 403, messagePage("Không được phép", "Trang hàng đợi dành cho Ban giám hiệu và cán bộ văn thư đã đăng nhập trang quản trị."));
    });
    const adapter = new FastifyAdapter();
    adapter.setBasePath(QUEUE_BOARD_PATH);
    showQueues(queues, adapter);
    await board.register(adapter.registerPlugin(), { prefix: QUEUE_BOARD_PATH });
  });
}
