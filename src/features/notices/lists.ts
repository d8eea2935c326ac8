/** Lists: a sender's recent notices, and the recent notices reaching a guardian's children. */
import type { GuardianNotice, NoticeActor, NoticeView } from "./port.js";
import { DAY_MS, type NoticeDeps, type NoticeDoc } from "./deps.js";
import { signatureOf, viewOf } from "./messages.js";

/** The actor's recent notices (the school's leadership also sees the school's). */
export async function listSent(deps: NoticeDeps, actor: NoticeActor): Promise<NoticeView[]> {
  const schools = actor.roles.staff.filter((s) => s.role === "principal" || s.role === "vice-principal").map((s) => s.schoolId);
  const docs = (await deps.notices.Notice.find({ $or: [{ authorIdentityId: actor.identityId }, { schoolId: { $in: schools } }] }).sort({ createdAt: -1 }).limit(8).lean()) as NoticeDoc[];
  return Promise.all(docs.map((d) => viewOf(deps, d)));
}

type Entry = { doc: NoticeDoc; students: GuardianNotice["students"] };

/** Recent sent notices reaching the actor's children (the five newest), with each child's confirmation. */
export async function listForGuardian(deps: NoticeDeps, actor: NoticeActor): Promise<GuardianNotice[]> {
  const since = new Date(deps.clock.now().getTime() - (deps.recentDays ?? 30) * DAY_MS);
  const out = new Map<string, Entry>();
  for (const g of actor.roles.guardianOf) {
    const cls = await deps.models.ClassGroup.findById(g.classGroupId).lean();
    if (!cls) continue;
    const docs = (await deps.notices.Notice.find({
      status: "sent", schoolId: g.schoolId, sentAt: { $gte: since },
      $or: [{ scope: "class", classGroupId: g.classGroupId }, { scope: "grade", grade: cls.grade }, { scope: "school" }],
    }).lean()) as NoticeDoc[];
    for (const d of docs) {
      const entry = out.get(d._id) ?? { doc: d, students: [] };
      const confirmed = d.kind === "ack" && (await deps.notices.NoticeConfirmation.countDocuments({ _id: `${d._id}-${g.studentId}` })) > 0;
      entry.students.push({ studentId: g.studentId, studentName: g.studentName, confirmed });
      out.set(d._id, entry);
    }
  }
  const newest = [...out.values()].sort((a, b) => new Date(b.doc.sentAt ?? 0).getTime() - new Date(a.doc.sentAt ?? 0).getTime()).slice(0, 5);
  return Promise.all(newest.map(async (e) => ({ notice: await viewOf(deps, e.doc), signature: signatureOf(e.doc), students: e.students })));
}
