/**
 * The school calendar of the concern clocks, per school and school year: a document
 * `<schoolId>#<yearName>` (`school_calendars`), falling back to a school-wide one (`_id` =
 * schoolId, the older form) and then to the defaults (Mon–Fri 07:00–17:00, no holidays,
 * 8 school hours to the first response, 3 school days to resolution, escalations to the
 * principal). A ticket belongs to the year of its pupil's class. Edited with the admin CLI
 * `concerns calendar` (see `calendarCommand`).
 */
import type { Models } from "./models.js";
import type { ConcernModels } from "./concern-models.js";
import {
  CalendarInputError, formatHolidays, formatHours, formatSchoolDays, isYearName, parseBounded, parseHolidays, parseSchoolDays, parseSchoolHours,
} from "../domain/concern-calendar.js";

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

export interface CalendarCommand {
  school: string;
  year?: string;
  days?: string;
  hours?: string;
  holiday?: string[];
  firstResponseHours?: string;
  resolutionDays?: string;
  escalateTo?: string;
}

/**
 * `concerns calendar`: with no change, shows the calendar in force for the school and year
 * (the current year when --year is absent); with changes, stores them for that year (starting
 * from what is in force) and shows the result. --holiday replaces the year's holidays
 * ("none" clears them). Bad input throws `CalendarInputError` with an example.
 */
export async function calendarCommand(models: Models, C: ConcernModels, o: CalendarCommand): Promise<Record<string, unknown>> {
  const school = await models.School.findById(o.school).lean();
  if (!school) throw new CalendarInputError(`no school ${o.school} (see: list schools)`);
  if (o.year !== undefined && !isYearName(o.year)) throw new CalendarInputError(`--year: a school year like 2026-2027, not "${o.year}"`);
  const yearName = o.year ?? (await currentYearName(models, o.school));
  if (o.year !== undefined && !(await models.SchoolYear.exists({ schoolId: o.school, name: o.year })))
    throw new CalendarInputError(`--year: school ${o.school} has no year ${o.year} (create it first: year create --school ${o.school} --name ${o.year})`);

  const change: Partial<StoredCalendar> = {};
  if (o.days !== undefined) change.schoolDays = parseSchoolDays(o.days);
  if (o.hours !== undefined) {
    const h = parseSchoolHours(o.hours);
    change.dayStart = h.start;
    change.dayEnd = h.end;
  }
  if (o.holiday !== undefined) change.holidays = parseHolidays(o.holiday);
  if (o.firstResponseHours !== undefined) change.firstResponseHours = parseBounded("first-response-hours", o.firstResponseHours, 1, 80, 8);
  if (o.resolutionDays !== undefined) change.resolutionDays = parseBounded("resolution-days", o.resolutionDays, 1, 30, 3);
  if (o.escalateTo !== undefined) {
    if (o.escalateTo === "principal" || o.escalateTo === "none") change.escalationStaffId = "";
    else {
      const staff = await models.Staff.findOne({ _id: o.escalateTo, schoolId: o.school }).lean();
      if (!staff) throw new CalendarInputError(`--escalate-to: no staff ${o.escalateTo} in school ${o.school} (see: list staff --school ${o.school}); --escalate-to principal goes back to the principal`);
      change.escalationStaffId = staff._id;
    }
    change.escalationIdentityId = "";
  }

  if (Object.keys(change).length > 0) {
    const { calendar } = await readCalendar(C, o.school, yearName);
    await C.SchoolCalendar.updateOne({ _id: calendarId(o.school, yearName) }, { $set: { ...calendar, ...change, yearName } }, { upsert: true });
  }
  const { calendar: c, source } = await readCalendar(C, o.school, yearName);
  const escalationStaff = c.escalationStaffId ? await models.Staff.findById(c.escalationStaffId).lean() : null;
  const linked = await designatedIdentity(models, o.school, c);
  return {
    school: o.school, year: yearName || "(all years)", source,
    days: formatSchoolDays(c.schoolDays), hours: formatHours({ start: c.dayStart, end: c.dayEnd }), holidays: formatHolidays(c.holidays),
    firstResponseHours: c.firstResponseHours, resolutionDays: c.resolutionDays,
    escalateTo: escalationStaff ? { staffId: escalationStaff._id, name: escalationStaff.fullName, linked: Boolean(linked) } : c.escalationIdentityId ? { identityId: c.escalationIdentityId } : "principal",
  };
}
