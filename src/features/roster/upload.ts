/**
 * A roster file (.xlsx or .csv) sent to the bot by a principal, vice-principal or school admin:
 * downloaded through the channel, read and dry-run exactly as the console does
 * (read-table.ts, import-roster.ts), kept for an hour as an upload, and applied once when
 * the person presses "apply" (the same `upload:<id>#applied` fact as the console's apply).
 * Guardians and teachers get a kind refusal; nothing is written for them.
 */
import { randomBytes } from "node:crypto";
import type { ChannelName } from "../../engine/messages.js";
import type { Clock } from "../../engine/ports.js";
import type { Roles } from "../../domain/roles.js";
import { decideTransition } from "../../store/facts.js";
import type { Models } from "../../store/models.js";
import { importRoster, NotARosterError } from "./import-roster.js";
import { MAX_ROSTER_BYTES, readRosterFile, RosterFileError } from "./read-table.js";
import type { RosterFile, RosterUploadApplied, RosterUploadPreview } from "./port.js";

const UPLOAD_TTL_MS = 3_600_000;

export interface RosterUploadDeps {
  models: Models;
  clock: Clock;
  /** The file's bytes from its channel; throws when it is larger than `maxBytes` or cannot be fetched. */
  download(channel: ChannelName, fileRef: string, maxBytes: number): Promise<Buffer>;
}

/** The school whose roster a person may import: as its principal, vice-principal or admin. */
export function rosterSchoolOf(roles: Roles): string | undefined {
  return roles.staff.find((s) => s.role === "principal" || s.role === "vice-principal" || s.role === "admin")?.schoolId;
}

const uploader = (identityId: string) => `bot:${identityId}`;

/** Reads the file or says why not. */
async function recordsOf(deps: RosterUploadDeps, file: RosterFile): Promise<string[][] | Extract<RosterUploadPreview, { status: "bad-file" }>> {
  if (!/\.(xlsx|csv)$/i.test(file.fileName)) return { status: "bad-file", reason: "type", detail: file.fileName };
  if (file.sizeBytes > MAX_ROSTER_BYTES) return { status: "bad-file", reason: "size", detail: String(MAX_ROSTER_BYTES / 1024 / 1024) };
  let data: Buffer;
  try {
    data = await deps.download(file.channel, file.fileRef, MAX_ROSTER_BYTES);
  } catch {
    return { status: "bad-file", reason: "download", detail: "" };
  }
  try {
    return await readRosterFile(data, file.fileName);
  } catch (err) {
    if (err instanceof RosterFileError) return { status: "bad-file", reason: "unreadable", detail: err.message };
    throw err;
  }
}

/** Downloads, reads and dry-runs a roster file into the school's latest open year. */
export async function previewRosterUpload(deps: RosterUploadDeps, person: { identityId?: string; roles: Roles }, file: RosterFile): Promise<RosterUploadPreview> {
  const schoolId = rosterSchoolOf(person.roles);
  if (!schoolId || !person.identityId) return { status: "not-allowed" };
  const years = await deps.models.SchoolYear.find({ schoolId, archived: { $ne: true } }).lean();
  const year = years.sort((a, b) => a.name.localeCompare(b.name)).at(-1);
  if (!year) return { status: "no-year" };
  const records = await recordsOf(deps, file);
  if (!Array.isArray(records)) return records;
  let report;
  try {
    report = await importRoster(deps.models, { schoolId, yearId: year._id, records, dryRun: true });
  } catch (err) {
    if (err instanceof NotARosterError) return { status: "bad-file", reason: "unreadable", detail: err.message };
    throw err;
  }
  const uploadId = randomBytes(12).toString("hex"), now = deps.clock.now();
  await deps.models.ConsoleUpload.create({ _id: uploadId, sessionId: uploader(person.identityId), schoolId, yearId: year._id, fileName: file.fileName, records: JSON.stringify(records), createdAt: now });
  const rejected = report.rows.filter((r) => r.status === "error" || r.status === "ambiguous");
  return {
    status: "ok", uploadId, fileName: file.fileName, yearName: year.name, created: report.created, updated: report.updated,
    unchanged: report.rows.filter((r) => r.status === "exists").length, rejected: rejected.length, missing: report.missing.length,
    rejectedLines: rejected.slice(0, 5).map((r) => `${r.line}: ${r.studentName || "—"} (${r.error ?? r.status})`).join("\n") || "—",
  };
}

/** Applies a previewed upload once (the console's fact: one apply per upload). */
export async function applyRosterUpload(deps: RosterUploadDeps, person: { identityId?: string; roles: Roles }, uploadId: string): Promise<RosterUploadApplied> {
  const now = deps.clock.now();
  const up = await deps.models.ConsoleUpload.findById(uploadId).lean();
  if (!up || !person.identityId || up.sessionId !== uploader(person.identityId) || rosterSchoolOf(person.roles) !== up.schoolId
    || now.getTime() - up.createdAt.getTime() > UPLOAD_TTL_MS) return { status: "gone" };
  if (!(await decideTransition(deps.models, { entity: `upload:${uploadId}`, slot: "applied", kind: "applied", actor: person.identityId, at: now })).won) return { status: "gone" };
  await deps.models.ConsoleUpload.deleteOne({ _id: uploadId });
  const report = await importRoster(deps.models, { schoolId: up.schoolId, yearId: up.yearId, records: JSON.parse(up.records) as string[][], dryRun: false });
  return { status: "applied", created: report.created, updated: report.updated, rejected: report.errors };
}
