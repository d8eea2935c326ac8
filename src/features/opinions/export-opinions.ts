/** A round's opinions as CSV for the organizer (UTF-8, header row, local time of the school). */
import { stringify } from "csv-stringify/sync";
import { localParts } from "../../domain/time.js";
import type { PollActor } from "../polls/port.js";
import { zoneOf } from "../polls/deps.js";
import { organizedRound, type OpinionDeps } from "./deps.js";
import { listOpinions } from "./list-rounds.js";

const pad = (n: number) => String(n).padStart(2, "0");

/** "21/12/2026 09:00" in the school's zone. */
export function stamp(at: Date, timeZone: string): string {
  const p = localParts(at, timeZone);
  return `${pad(p.day)}/${pad(p.month)}/${p.year} ${pad(p.hour)}:${pad(p.minute)}`;
}

/** The CSV text, or undefined when the round is not the actor's. Anonymous opinions have an empty household column. */
export async function exportOpinionsCsv(deps: OpinionDeps, actor: PollActor, roundId: string): Promise<string | undefined> {
  const d = await organizedRound(deps, actor, roundId);
  if (!d) return undefined;
  const zone = await zoneOf(deps, d.schoolId);
  const rows = (await listOpinions(deps, d)).map((o, i) => [i + 1, stamp(o.at, zone), o.studentName ? `Phụ huynh em ${o.studentName}` : "", o.text]);
  return stringify([["stt", "thoi_gian", "ho_gia_dinh", "y_kien"], ...rows]);
}
