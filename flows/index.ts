/**
 * The flow registry: every flow, every out-of-conversation button handler, and the command
 * names (Vietnamese first, English alias) that start them. DESIGN.md §5 is the contract.
 */
import type { ActionHandler, Flow } from "./kit.js";
import { link } from "./link.js";
import { menu } from "./menu.js";
import { help } from "./help.js";
import { language } from "./language.js";
import { privacy } from "./privacy.js";
import { forget } from "./forget.js";
import { channel } from "./channel.js";
import { idle } from "./idle.js";
import { admin } from "./admin.js";
import { rosterUpload } from "./roster-upload.js";
import { meetingFlows, meetingActions } from "./meeting.js";
import { concernFlows, concernActions } from "./concern.js";
import { noticeFlows, noticeActions } from "./notice.js";
import { pollFlows, pollActions } from "./poll.js";
import { opinionFlows, opinionActions } from "./opinion.js";
import { classBoard, classBoardActions } from "./class-board.js";
import { schoolBoard, schoolBoardActions } from "./school-board.js";

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- flows differ in data and step types
export const flows: Flow<any, any>[] = [
  link, menu, help, language, privacy, forget, idle, admin, rosterUpload, channel,
  ...meetingFlows, ...concernFlows, ...noticeFlows, ...pollFlows, ...opinionFlows, classBoard, schoolBoard,
];

export const actions: ActionHandler[] = [...meetingActions, ...concernActions, ...noticeActions, ...pollActions, ...opinionActions, ...classBoardActions, ...schoolBoardActions];

/** Command (without slash, folded) → flow id. `/huy` and `/cancel` are built into the engine. */
export const commands: Record<string, string> = {
  start: "link",
  lienket: "link",
  link: "link",
  menu: "menu",
  trogiup: "help",
  help: "help",
  ngonngu: "language",
  lang: "language",
  quyenriengtu: "privacy",
  privacy: "privacy",
  xoadulieu: "forget",
  forget: "forget",
  hop: "meeting",
  meeting: "meeting",
  phananh: "concern",
  concern: "concern",
  thongbao: "notice",
  notice: "notice",
  bieuquyet: "poll",
  poll: "poll",
  gopy: "opinion",
  opinion: "opinion",
  quantri: "admin",
  admin: "admin",
  kenh: "channel",
  channel: "channel",
};

export const IDLE_FLOW_ID = idle.id;
/** A file sent with no conversation open: a roster from the school office, else a kind refusal. */
export const ATTACHMENT_FLOW_ID = rosterUpload.id;
