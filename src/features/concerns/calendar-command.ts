/**
 * The admin CLI's `concerns calendar`: shows or sets a school year's concern calendar (school
 * days, hours, holidays, first-response hours, resolution days, the designated vice-principal),
 * refusing bad input with an example.
 */
import type { Models } from "../../store/models.js";
import type { ConcernModels } from "../../store/concern-models.js";
import { calendarId, currentYearName, designatedIdentity, readCalendar, type StoredCalendar } from "../../store/concern-calendar.js";
import {
  CalendarInputError, formatHolidays, formatHours, formatSchoolDays, isYearName, parseBounded, parseHolidays, parseSchoolDays, parseSchoolHours,
} from "../../domain/concern-calendar.js";

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

/** The school year the command is about: --year (checked), else the school's current one. */
async function yearOfCommand(models: Models, o: CalendarCommand): Promise<string> {
  if (!(await models.School.findById(o.school).lean())) throw new CalendarInputError(`no school ${o.school} (see: list schools)`);
  if (o.year === undefined) return currentYearName(models, o.school);
  if (!isYearName(o.year)) throw new CalendarInputError(`--year: a school year like 2026-2027, not "${o.year}"`);
  if (!(await models.SchoolYear.exists({ schoolId: o.school, name: o.year })))
    throw new CalendarInputError(`--year: school ${o.school} has no year ${o.year} (create it first: year create --school ${o.school} --name ${o.year})`);
  return o.year;
}

/** The designated vice-principal of --escalate-to ("" = the principal). */
async function escalationStaffOf(models: Models, school: string, escalateTo: string): Promise<string> {
  if (escalateTo === "principal" || escalateTo === "none") return "";
  const staff = await models.Staff.findOne({ _id: escalateTo, schoolId: school }).lean();
  if (!staff) throw new CalendarInputError(`--escalate-to: no staff ${escalateTo} in school ${school} (see: list staff --school ${school}); --escalate-to principal goes back to the principal`);
  return staff._id;
}

/** The changes the flags ask for, parsed (bad input throws with an example). */
async function changesOf(models: Models, o: CalendarCommand): Promise<Partial<StoredCalendar>> {
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
    change.escalationStaffId = await escalationStaffOf(models, o.school, o.escalateTo);
    change.escalationIdentityId = "";
  }
  return change;
}

/**
 * `concerns calendar`: with no change, shows the calendar in force for the school and year
 * (the current year when --year is absent); with changes, stores them for that year (starting
 * from what is in force) and shows the result. --holiday replaces the year's holidays
 * ("none" clears them). Bad input throws `CalendarInputError` with an example.
 */
export async function calendarCommand(models: Models, C: ConcernModels, o: CalendarCommand): Promise<Record<string, unknown>> {
  const yearName = await yearOfCommand(models, o);
  const change = await changesOf(models, o);
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
