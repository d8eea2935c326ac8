/**
 * The school calendar of the concern clocks, per school and school year: a document
 * `<schoolId>#<yearName>` (`school_calendars`), falling back to a school-wide one (`_id` =
 * schoolId, the older form) and then to the defaults (Mon–Fri 07:00–17:00, no holidays,
 * 8 school hours to the first response, 3 school days to resolution, escalations to the
 * principal). A ticket belongs to the year of its pupil's class. Edited with the admin CLI
 * `concerns calendar` (src/features/concerns/calendar-command.ts).
 */
import type { Models } from "./models.js";
import type { ConcernModels } from "./concern-models.js";

export interface StoredCalendar {
  schoolDays: number[];
  dayStart: number;
  dayEnd: number;
  holidays: string[];
  quietStart: number;
  quietEnd: number;
  quietSundays: boolean;
  firstResponseHours: number;
  resolutionDays: number;
  /** The staff member (a vice-principal) the school designates for escalations; "" = the principal. */
  escalationStaffId: string;
  /** Older form of the designation (an identity); still honoured. */
  escalationIdentityId: string;
}

export type CalendarSource = "year" | "school" | "default";

export const calendarId = (schoolId: string, yearName: string) => (yearName ? `${schoolId}#${yearName}` : schoolId);

const FIELDS = ["schoolDays", "dayStart", "dayEnd", "holidays", "quietStart", "quietEnd", "quietSundays", "firstResponseHours", "resolutionDays",
  "escalationStaffId", "escalationIdentityId"] as const;

const pick = (doc: Record<string, unknown>): StoredCalendar => Object.fromEntries(FIELDS.map((f) => [f, doc[f]])) as unknown as StoredCalendar;

/** The calendar in force for a school and year, and where it came from. */
export async function readCalendar(C: ConcernModels, schoolId: string, yearName: string): Promise<{ calendar: StoredCalendar; source: CalendarSource }> {
  const defaults = new C.SchoolCalendar({ _id: "defaults" }).toObject() as Record<string, unknown>;
  if (yearName) {
    const own = await C.SchoolCalendar.findById(calendarId(schoolId, yearName)).lean();
    if (own) return { calendar: pick({ ...defaults, ...own }), source: "year" };
  }
  const school = await C.SchoolCalendar.findById(schoolId).lean();
  if (school) return { calendar: pick({ ...defaults, ...school }), source: "school" };
  return { calendar: pick(defaults), source: "default" };
}

/** The school year a class belongs to ("" when unknown). */
export async function yearNameOfClass(models: Models, classGroupId: string): Promise<string> {
  const cls = await models.ClassGroup.findById(classGroupId).lean();
  const year = cls ? await models.SchoolYear.findById(cls.yearId).lean() : null;
  return year?.name ?? "";
}

/** The school's current year: the one whose dates contain `now`, else the latest one not archived ("" when it has none). */
export async function currentYearName(models: Models, schoolId: string, now = new Date()): Promise<string> {
  const years = await models.SchoolYear.find({ schoolId, archived: { $ne: true } }).lean();
  const dated = years.find((y) => y.startsOn && y.endsOn && y.startsOn <= now && now <= y.endsOn);
  return dated?.name ?? years.map((y) => y.name).sort().at(-1) ?? "";
}

/** The identity escalations of this calendar go to, when the school designated someone who is linked. */
export async function designatedIdentity(models: Models, schoolId: string, c: StoredCalendar): Promise<string | undefined> {
  const lead = { schoolId, role: { $in: ["principal", "vice-principal"] } };
  if (c.escalationStaffId) {
    const role = await models.StaffRole.findOne({ ...lead, staffId: c.escalationStaffId }).lean();
    if (role) return role.identityId;
  }
  if (c.escalationIdentityId && (await models.StaffRole.countDocuments({ ...lead, identityId: c.escalationIdentityId })) > 0) return c.escalationIdentityId;
  return undefined;
}
