import { describe, it, expect } from "vitest";
import { createTestEngine } from "../support/fakes.js";
import type { PollActor, PollDraft, PollsPort, PollView, VoteResult } from "../../src/features/polls/port.js";
import { NO_ROLES, type Roles } from "../../src/domain/roles.js";
import { addressKey } from "../../src/engine/messages.js";
import type { OpinionsPort } from "../../src/features/opinions/port.js";

const poll: PollView = {
  id: "p0000000001", question: "Chọn ngày dã ngoại", options: ["Thứ Bảy", "Chủ Nhật"], multiple: false, anonymity: "anonymous",
  scope: "class", scopeName: "6A1", closesAt: new Date("2026-09-20T10:00:00Z"), status: "open",
};

/** A fake of the polls port that records what the flows asked for. */
function fakePolls() {
  const created: PollDraft[] = [];
  const votes: { actor: PollActor; args: unknown[] }[] = [];
  let voteResult: VoteResult = { status: "recorded", poll, student: { idx: 0, studentName: "Nguyễn Văn An", chosen: [1] } };
  const port = {
    createPoll: async (_a: PollActor, d: PollDraft) => {
      created.push(d);
      return { status: "created", poll: { ...poll, question: d.question }, households: 40, reached: 38 };
    },
    vote: async (actor: PollActor, ...args: unknown[]) => {
      votes.push({ actor, args });
      return voteResult;
    },
    ballots: async () => [{ poll, students: [{ idx: 3, studentName: "Nguyễn Văn An", chosen: [] }] }],
  } as unknown as PollsPort & OpinionsPort;
  return { port, created, votes, setVote: (r: VoteResult) => { voteResult = r; } };
}

const board: Roles = { ...NO_ROLES, board: [{ scope: "class", position: "head", schoolId: "sch1", classGroupId: "c1", className: "6A1" }] };
const guardian: Roles = { ...NO_ROLES, guardianOf: [{ studentId: "s1", studentName: "Nguyễn Văn An", classGroupId: "c1", className: "6A1", schoolId: "sch1" }] };

function setup() {
  const polls = fakePolls();
  const t = createTestEngine({ polls: polls.port });
  const as = (userId: string, roles: Roles) => t.directory.people.set(addressKey(t.address(userId)), { identityId: `id-${userId}`, roles, locale: "vi" });
  return { t, polls, as };
}

const text = async (p: Promise<unknown>, t: ReturnType<typeof createTestEngine>) => t.texts((await p) as never).join("\n");

describe("/bieuquyet for a class-board member", () => {
  it("creates a poll step by step and shows the money reminder when the question mentions money", async () => {
    const { t, polls, as } = setup();
    as("b", board);
    expect(await text(t.send("/bieuquyet", "b"), t)).toMatch(/muốn làm gì/);
    expect(await text(t.send("1", "b"), t)).toMatch(/câu hỏi/);
    const afterQuestion = await text(t.send("Đóng quỹ lớp 200.000đ cho học kỳ II?", "b"), t);
    expect(afterQuestion).toMatch(/Thông tư 55\/2011, Điều 10/);
    expect(afterQuestion).toMatch(/mỗi dòng một phương án/);
    expect(await text(t.send("Đồng ý\nKhông đồng ý\ndong y", "b"), t)).toMatch(/"dong y" bị trùng/);
    const eleven = Array.from({ length: 11 }, (_, i) => `PA ${i + 1}`).join("\n");
    expect(await text(t.send(eleven, "b"), t)).toMatch(/11 phương án, vượt quá 10/);
    expect(await text(t.send("Đồng ý\nKhông đồng ý", "b"), t)).toMatch(/một hay nhiều/);
    expect(await text(t.send("chon mot phuong an", "b"), t)).toMatch(/ẩn danh/);
    expect(await text(t.send("an danh hoan toan", "b"), t)).toMatch(/hạn chót/i);
    expect(await text(t.send("01/09/2026 8h", "b"), t)).toMatch(/đã qua/);
    const preview = await text(t.send("20/9 17h", "b"), t);
    expect(preview).toMatch(/Chủ Nhật, 20\/09\/2026 lúc 17:00/);
    expect(preview).toMatch(/Điều 10/);
    expect(await text(t.send("gui", "b"), t)).toMatch(/38\/40 hộ/);
    expect(polls.created).toEqual([{
      scope: { kind: "class", schoolId: "sch1", classGroupId: "c1", className: "6A1" }, question: "Đóng quỹ lớp 200.000đ cho học kỳ II?",
      options: ["Đồng ý", "Không đồng ý"], multiple: false, anonymity: "anonymous", closesAt: new Date("2026-09-20T10:00:00Z"),
    }]);
  });

  it("shows no money reminder for an ordinary question", async () => {
    const { t, as } = setup();
    as("b", board);
    await t.send("/bieuquyet", "b");
    await t.send("1", "b");
    expect(await text(t.send("Quý phụ huynh chọn ngày dã ngoại nào?", "b"), t)).not.toMatch(/Điều 10/);
  });
});

describe("/bieuquyet for a guardian", () => {
  it("shows a guardian the open ballot of each child, with short vote buttons and no create menu", async () => {
    const { t, as } = setup();
    as("g", guardian);
    const shown = await text(t.send("/bieuquyet", "g"), t);
    expect(shown).toMatch(/Kính gửi Quý phụ huynh em Nguyễn Văn An/);
    expect(shown).not.toMatch(/Tạo biểu quyết mới/);
    const r = await t.engine.handle(t.event({ kind: "command", command: "bieuquyet", args: "", addressedToBot: true }, "g"));
    expect(r.status === "handled" && r.outbound[0]!.kind === "text" && r.outbound[0]!.buttons?.flat().map((b) => b.payload)).toEqual(["pv-p0000000001-3-0", "pv-p0000000001-3-1"]);
  });

  it("a vote button records the choice; after the deadline it is refused politely", async () => {
    const { t, polls, as } = setup();
    as("g", guardian);
    expect(await text(t.press("pv-p0000000001-3-1", "g"), t)).toMatch(/đã ghi nhận lựa chọn cho em Nguyễn Văn An: Chủ Nhật/);
    expect(polls.votes[0]).toMatchObject({ actor: { identityId: "id-g" }, args: ["p0000000001", 3, 1, false] });
    polls.setVote({ status: "closed", poll: { ...poll, status: "closed" } });
    expect(await text(t.press("pv-p0000000001-3-0", "g"), t)).toMatch(/đã kết thúc .* không ghi nhận thêm/);
  });

  it("a vote button from an unlinked person is not recorded", async () => {
    const { t, polls } = setup();
    expect(await text(t.press("pv-p0000000001-3-1", "stranger"), t)).toMatch(/không tìm thấy biểu quyết/);
    expect(polls.votes).toHaveLength(0);
  });
});
