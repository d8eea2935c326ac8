/** Parent boards as flows see them: the homeroom teacher (or BGH) records the class board in the bot, BGH the school board. */
import type { Roles } from "../../domain/roles.js";
import type { BoardResult, BoardSeat } from "./boards.js";

/** Who acts: the person's identity and the roles of this turn. */
export interface BoardActor {
  identityId?: string;
  roles: Roles;
}

/** A class whose board the person may record, in its current (not archived) school year. */
export interface BoardClass {
  classGroupId: string;
  className: string;
  yearName: string;
}

/**
 * One guardian who may sit on the board, shown by the pupil's name only (never a phone number
 * or a messenger handle). `nth` tells two linked guardians of one pupil apart (1, 2, …; 0 when
 * the pupil has one).
 */
export interface BoardHousehold {
  identityId: string;
  studentId: string;
  studentName: string;
  nth: number;
  /** Tells two pupils of one name apart: the date of birth, else the school's pupil code ("" when the name is unique). */
  apart: string;
}

export interface ClassBoardChoice {
  board: BoardClass;
  /** The board version this list was read at (the recording competes for the next one). */
  version: number;
  households: BoardHousehold[];
}

export interface BoardsPort {
  /** The classes whose board this person may record: their homeroom classes, or every class of the school for BGH. */
  classesFor(actor: BoardActor): Promise<BoardClass[]>;
  /** The class's guardians to choose from; undefined when the person may not record this class's board. */
  classChoice(actor: BoardActor, classGroupId: string): Promise<ClassBoardChoice | undefined>;
  /** Records the class board through the console's use case (`recordClassBoard`); "not-allowed" for anybody else. */
  recordClass(actor: BoardActor, input: { classGroupId: string; seats: BoardSeat[]; seen: number }): Promise<BoardResult | { status: "not-allowed" }>;
  /** The schools whose board this person may record: the schools they lead (principal or vice-principal). */
  schoolsFor(actor: BoardActor): Promise<BoardSchool[]>;
  /** The class heads and deputies to choose from; undefined when the person may not record this school's board. */
  schoolChoice(actor: BoardActor, schoolId: string): Promise<SchoolBoardChoice | undefined>;
  /** Records the school board through the console's use case (`recordSchoolBoard`); "not-allowed" for anybody but BGH. */
  recordSchool(actor: BoardActor, input: { schoolId: string; seats: BoardSeat[]; seen: number }): Promise<BoardResult | { status: "not-allowed" }>;
}

/** A school whose board the person (BGH) may record, in its current (not archived) school year. */
export interface BoardSchool {
  schoolId: string;
  schoolName: string;
  yearName: string;
}

/**
 * One class-board head or deputy who may sit on the school board (Circular 55/2011 Art. 3: the
 * school board is elected by the class heads and deputies), shown by the pupil's name and class
 * only. One person may appear twice (a head in two classes); they hold one seat.
 */
export interface SchoolBoardRow {
  identityId: string;
  studentId: string;
  studentName: string;
  className: string;
}

export interface SchoolBoardChoice {
  board: BoardSchool;
  /** The board version this list was read at (the recording competes for the next one). */
  version: number;
  rows: SchoolBoardRow[];
}

/** The button that opens the class-board flow for one class (under a start-of-year meeting's menu). */
export const BOARD_PAYLOAD_PREFIX = "bd-";
export const boardPayload = (classGroupId: string): string => `${BOARD_PAYLOAD_PREFIX}${classGroupId}`;

/** The button that opens the school-board flow for one school (the /menu entry of a principal or vice-principal, and a school-wide start-of-year meeting's menu). */
export const SCHOOL_BOARD_PAYLOAD_PREFIX = "bs-";
export const schoolBoardPayload = (schoolId: string): string => `${SCHOOL_BOARD_PAYLOAD_PREFIX}${schoolId}`;
