/**
 * The notices feature (`/thongbao`): the port object the flows call, assembled from the use
 * cases, and the handlers of its jobs. Wired in `wiring.ts`.
 *
 * @example
 * const notices = createNotices({ models, notices: registerNoticeModels(conn), outbox, jobs, clock });
 * await notices.port.create(actor, draft, event.id);
 */
import type { BroadcastPort } from "./port.js";
import type { NoticeDeps } from "./deps.js";
import { createNotice, previewNotice } from "./create.js";
import { cancelNotice, runDue, runFanOut } from "./dispatch.js";
import { listForGuardian, listSent } from "./lists.js";
import { noticeReport } from "./report.js";
import { renotify } from "./renotify.js";
import { confirmNotice, runReportRefresh } from "./confirm.js";
import { reconcileNotices } from "./reconcile.js";

export type { NoticeDeps } from "./deps.js";
export { noticeGroup, noticeDeliveryKey, noticeIdFor } from "./deps.js";

export interface Notices {
  port: BroadcastPort;
  /** What the notice jobs run (src/jobs/notice-jobs.ts). */
  handlers: {
    due: (job: { noticeId: string }) => Promise<string>;
    fanOut: (job: { noticeId: string; round: number }) => Promise<string>;
    refresh: (job: { noticeId: string; bucket: number }) => Promise<string>;
  };
  reconcile: () => Promise<number>;
}

export function createNotices(deps: NoticeDeps): Notices {
  return {
    port: {
      preview: (actor, draft) => previewNotice(deps, actor, draft),
      create: (actor, draft, eventId) => createNotice(deps, actor, draft, eventId),
      listSent: (actor) => listSent(deps, actor),
      listForGuardian: (actor) => listForGuardian(deps, actor),
      report: (actor, id) => noticeReport(deps, actor, id),
      renotify: (actor, id, round) => renotify(deps, actor, id, round),
      cancel: (actor, id) => cancelNotice(deps, actor, id),
      confirm: (actor, id, studentId) => confirmNotice(deps, actor, id, studentId),
    },
    handlers: {
      due: (job) => runDue(deps, job),
      fanOut: (job) => runFanOut(deps, job),
      refresh: (job) => runReportRefresh(deps, job),
    },
    reconcile: () => reconcileNotices(deps),
  };
}
