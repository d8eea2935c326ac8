/**
 * The reports a principal prints for the parents' conference, per class: households linked,
 * notices reached / confirmed, meetings invited / attending / attended, concerns by category
 * (counts, median first response, escalations — never contents), polls and their results.
 * The figures come from the features' own report use cases (notices' `noticeReport`,
 * meetings' `attendanceSheet`, polls' `tallyOf`); this module only picks each class's
 * households out of them. The console has already decided who may see which class: the
 * features are asked as the school's leadership (they read nothing they write).
 */
import ExcelJS from "exceljs";
import { stringify } from "csv-stringify/sync";
import type { Clock } from "../../engine/ports.js";
import type { Roles } from "../../domain/roles.js";
import { median } from "../../domain/concern.js";
import type { Models } from "../../store/models.js";
import type { NoticeModels } from "../../store/notice-models.js";
import type { MeetingModels } from "../../store/meeting-models.js";
import type { PollModels } from "../../store/poll-models.js";
import type { ConcernModels } from "../../store/concern-models.js";
import { noticeReport } from "../notices/report.js";
import type { NoticeDeps } from "../notices/deps.js";
import { attendanceSheet } from "../meetings/views.js";
import type { MeetingDeps } from "../meetings/deps.js";
import { tallyOf } from "../polls/tally.js";
import type { PollDeps, PollDoc } from "../polls/deps.js";
import { classOverview } from "./records.js";
import type { ConsoleSession } from "./sign-in.js";

export interface ReportDeps {
  models: Models;
  notices: NoticeModels;
  meetings: MeetingModels;
  polls: PollModels;
  concerns: ConcernModels;
  clock: Clock;
}

export interface ClassReport {
  id: string;
  name: string;
  households: { linked: number; pupils: number };
  notices: { notices: number; households: number; reached: number; confirmed: number };
  meetings: { meetings: number; invited: number; attending: number; attended: number };
  concerns: { total: number; byCategory: Record<string, number>; medianFirstResponseMinutes?: number; escalations: number };
  polls: { question: string; options: string[]; counts: number[]; voted: number; households: number }[];
}

/** The school's leadership as the features' read use cases expect it (report reads only). */
const schoolReader = (schoolId: string): { identityId: string; roles: Roles } => ({
  identityId: "",
  roles: { guardianOf: [], board: [], staff: [{ role: "principal", schoolId, classGroupId: "", className: "", staffName: "" }] },
});

type Scoped = { scope: string; classGroupId: string; grade?: number };
const reaches = (d: Scoped, c: { _id: string; grade: number }) =>
  d.scope === "school" || (d.scope === "grade" && d.grade === c.grade) || (d.scope === "class" && d.classGroupId === c._id);

/** The session's classes with their figures (a homeroom teacher's session: their class only). */
export async function classReports(deps: ReportDeps, s: ConsoleSession): Promise<ClassReport[]> {
  const overview = await classOverview(deps.models, s);
  const classes = await deps.models.ClassGroup.find({ _id: { $in: overview.map((c) => c.id) } }).lean();
  const pupils = await deps.models.Student.find({ classGroupId: { $in: overview.map((c) => c.id) }, leftAt: null }).lean();
  const actor = schoolReader(s.schoolId);
  const read = { models: deps.models, clock: deps.clock };
  const sent = await deps.notices.Notice.find({ schoolId: s.schoolId, status: "sent" }).lean();
  const notices = await Promise.all(sent.map((n) => noticeReport({ ...read, notices: deps.notices } as NoticeDeps, actor, n._id)));
  const held = await deps.meetings.Meeting.find({ schoolId: s.schoolId, status: { $in: ["published", "held"] } }).lean();
  const meetings = await Promise.all(held.map((m) => attendanceSheet({ ...read, meetings: deps.meetings } as MeetingDeps, actor, m._id)));
  const pollDocs = (await deps.polls.Poll.find({ schoolId: s.schoolId }).lean()) as PollDoc[];
  const tallies = await Promise.all(pollDocs.map((p) => tallyOf({ ...read, polls: deps.polls } as PollDeps, p)));
  const tickets = await deps.concerns.Concern.find({ schoolId: s.schoolId, classGroupId: { $in: overview.map((c) => c.id) } }).lean();
  return overview.map((o) => {
    const c = classes.find((x) => x._id === o.id)!;
    const mine = new Set(pupils.filter((p) => p.classGroupId === o.id).map((p) => p._id));
    const nRows = notices.flatMap((r, i) => (r && reaches(sent[i]!, c) ? [r.rows.filter((x) => mine.has(x.studentId))] : []));
    const mRows = meetings.flatMap((r, i) => (r && reaches(held[i]!, c) ? [r.students.filter((x) => mine.has(x.studentId))] : []));
    const ts = tickets.filter((t) => t.classGroupId === o.id);
    const byCategory: Record<string, number> = {};
    for (const t of ts) byCategory[t.category] = (byCategory[t.category] ?? 0) + 1;
    const m = median(ts.filter((t) => t.firstResponseAt).map((t) => (t.firstResponseAt!.getTime() - t.createdAt.getTime()) / 60_000));
    return {
      id: o.id, name: o.name,
      households: { linked: o.linked, pupils: o.pupils },
      notices: { notices: nRows.length, households: nRows.flat().length, reached: nRows.flat().filter((x) => x.reach === "reached").length, confirmed: nRows.flat().filter((x) => x.confirmed).length },
      meetings: { meetings: mRows.length, invited: mRows.flat().length, attending: mRows.flat().filter((x) => x.answer === "yes").length, attended: mRows.flat().filter((x) => x.present === true).length },
      concerns: { total: ts.length, byCategory, escalations: ts.reduce((n, t) => n + (t.escalations ?? 0), 0), ...(m === undefined ? {} : { medianFirstResponseMinutes: Math.round(m) }) },
      polls: pollDocs.flatMap((p, i) => (p.studentIds.some((id) => mine.has(id)) ? [{ question: p.question, options: p.options, counts: tallies[i]!.counts, voted: tallies[i]!.voted, households: tallies[i]!.households }] : [])),
    };
  });
}

/** The report's sections as tables (header row first), shared by the XLSX and the CSV exports. */
export function reportTables(rows: ClassReport[]): { name: string; rows: (string | number)[][] }[] {
  return [
    { name: "Liên kết", rows: [["Lớp", "Học sinh", "Gia đình đã liên kết"], ...rows.map((r) => [r.name, r.households.pupils, r.households.linked])] },
    { name: "Thông báo", rows: [["Lớp", "Thông báo", "Lượt gia đình", "Đã nhận", "Đã xác nhận"], ...rows.map((r) => [r.name, r.notices.notices, r.notices.households, r.notices.reached, r.notices.confirmed])] },
    { name: "Họp", rows: [["Lớp", "Cuộc họp", "Được mời", "Sẽ dự", "Đã dự"], ...rows.map((r) => [r.name, r.meetings.meetings, r.meetings.invited, r.meetings.attending, r.meetings.attended])] },
    { name: "Phản ánh", rows: [["Lớp", "Loại", "Số phản ánh", "Phản hồi đầu tiên (trung vị, phút)", "Chuyển cấp"], ...rows.flatMap((r) => [
      [r.name, "Tất cả", r.concerns.total, r.concerns.medianFirstResponseMinutes ?? "", r.concerns.escalations],
      ...Object.entries(r.concerns.byCategory).map(([k, n]) => [r.name, k, n, "", ""]),
    ])] },
    { name: "Khảo sát", rows: [["Lớp", "Câu hỏi", "Lựa chọn", "Số phiếu", "Đã trả lời", "Số gia đình"], ...rows.flatMap((r) => r.polls.flatMap((p) =>
      p.options.map((opt, i) => [r.name, p.question, opt, p.counts[i] ?? 0, p.voted, p.households])))] },
  ];
}

export async function reportXlsx(rows: ClassReport[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  for (const t of reportTables(rows)) {
    const ws = wb.addWorksheet(t.name);
    ws.addRows(t.rows);
    ws.getRow(1).font = { bold: true };
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** One CSV of all sections (a "Phần" column names the section), UTF-8 with BOM so Excel shows Vietnamese. */
export function reportCsv(rows: ClassReport[]): string {
  return stringify(reportTables(rows).flatMap((t) => [[t.name, ...t.rows[0]!], ...t.rows.slice(1).map((r) => [t.name, ...r])]), { bom: true });
}
