/**
 * The school calendar a rollover proposes for a new year, from a small table per year: the
 * first and last day, the days off (Tết by the lunar calendar, the national holidays on school
 * days) and the Tết date itself. These are the Ministry's usual frame (start 05/09, end by
 * 31/05; see shared/reference/domain-vn.md, S23); each province's Sở GD&ĐT sets its own Tết
 * break, so the console shows the proposal in an editable form before it is applied, and this
 * table is meant to be edited as decisions are published. A year missing here gets the frame
 * without Tết, and the preview says so.
 */

export interface YearTemplate {
  startsOn: string;
  endsOn: string;
  /** Mùng 1 Tết (the lunar new year) of this school year. */
  tet?: string;
  /** Days off as "YYYY-MM-DD" or "YYYY-MM-DD..YYYY-MM-DD". */
  holidays: string[];
}

export const YEAR_TABLE: Readonly<Record<string, YearTemplate>> = {
  "2025-2026": {
    startsOn: "2025-09-05", endsOn: "2026-05-31", tet: "2026-02-17",
    // 01/01; Tết Bính Ngọ 14–22/02; Giỗ Tổ Hùng Vương (10/3 âm lịch) 26/04; 30/4–1/5.
    holidays: ["2026-01-01", "2026-02-14..2026-02-22", "2026-04-26", "2026-04-30..2026-05-01"],
  },
  "2026-2027": {
    startsOn: "2026-09-05", endsOn: "2027-05-31", tet: "2027-02-06",
    // 01/01; Tết Đinh Mùi 02–12/02; Giỗ Tổ 16/04; 30/4–1/5.
    holidays: ["2027-01-01", "2027-02-02..2027-02-12", "2027-04-16", "2027-04-30..2027-05-01"],
  },
  "2027-2028": {
    startsOn: "2027-09-05", endsOn: "2028-05-31", tet: "2028-01-26",
    // 01/01; Tết Mậu Thân 22/01–01/02; Giỗ Tổ 04/04; 30/4–1/5.
    holidays: ["2028-01-01", "2028-01-22..2028-02-01", "2028-04-04", "2028-04-30..2028-05-01"],
  },
  "2028-2029": {
    startsOn: "2028-09-05", endsOn: "2029-05-31", tet: "2029-02-13",
    // 01/01; Tết Kỷ Dậu 09–19/02; Giỗ Tổ 23/04; 30/4–1/5.
    holidays: ["2029-01-01", "2029-02-09..2029-02-19", "2029-04-23", "2029-04-30..2029-05-01"],
  },
};

/** The proposal for a year: its row of the table, or the usual frame without Tết (`known: false`). */
export function yearTemplate(yearName: string): YearTemplate & { known: boolean } {
  const row = YEAR_TABLE[yearName];
  if (row) return { ...row, known: true };
  const first = Number(yearName.slice(0, 4)) || new Date().getUTCFullYear();
  return { startsOn: `${first}-09-05`, endsOn: `${first + 1}-05-31`, holidays: [`${first + 1}-01-01`, `${first + 1}-04-30..${first + 1}-05-01`], known: false };
}
