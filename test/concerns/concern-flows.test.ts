import { describe, it, expect } from "vitest";
import { useConcernEngine } from "./support/concern-engine.js";

const an = { studentId: "s-an", studentName: "Nguyễn Văn An", classGroupId: "c1", className: "6A1", schoolId: "sch1" };
const khoa = { studentId: "s-khoa", studentName: "Hoàng Anh Khoa", classGroupId: "c2", className: "6A2", schoolId: "sch1" };

describe("/phananh flows", () => {
  const e = useConcernEngine("1001");
  const { as, say, press } = e;
  const photo = async (sizeBytes: number, caption?: string) =>
    e.t.texts(await e.t.engine.handle(e.t.event({ kind: "attachment", media: "photo", fileRef: "AgACAgIAAxkBAAIB", sizeBytes, ...(caption ? { caption } : {}) }))).join("\n");

  it("asks an unlinked person to link first", async () => {
    expect(await say("/phananh")).toMatch(/liên kết với con trước/);
  });

  it("with one child goes straight to the category buttons; a category is pressed or typed (its number, its words), a longer text is the concern", async () => {
    as("1001", { guardianOf: [an] });
    const prompt = await e.t.send("/phananh");
    expect(e.t.texts(prompt).join()).toMatch(/chọn loại phản ánh/);
    const buttons = prompt.status === "handled" ? prompt.outbound.at(-1)!.buttons!.flat().map((b) => b.label) : [];
    expect(buttons).toEqual(["Học tập", "Sức khỏe", "Bạn bè / bắt nạt", "An toàn trường học", "Thu chi / khoản thu", "Về giáo viên", "Khác", "✖ Hủy"]);
    expect(await press("c-study")).toMatch(/viết nội dung phản ánh/);
    for (const [typed, category] of [["1", "Học tập"], ["Học tập", "Học tập"], ["an toan truong hoc", "An toàn trường học"], ["ban be a", "Bạn bè \\/ bắt nạt"], ["fees", "Thu chi"]] as const) {
      await say("/huy");
      await say("/phananh");
      expect(await say(typed)).toMatch(/viết nội dung phản ánh/);
      expect(await say("Con về nhà kể chuyện ở lớp ạ.")).toMatch(new RegExp(`Loại: ${category}`));
    }
    await say("/huy");
    await say("/phananh");
    // Words shared by two categories («học»), and a concern that starts with a category's words, are no category.
    expect(await say("hoc")).toMatch(/chưa nhận ra lựa chọn/);
    expect(await say("Sức khỏe của con dạo này không tốt, nhờ cô để ý giúp ạ.")).toMatch(/đã ghi lại nội dung phản ánh/);
  });

  it("with several children asks which child first", async () => {
    as("1001", { guardianOf: [an, khoa] });
    expect(await say("/phananh")).toMatch(/về con nào/);
    expect(await press("c-s-khoa")).toMatch(/chọn loại phản ánh/);
  });

  it("refuses an empty, too short or too long concern with a clear answer", async () => {
    as("1001", { guardianOf: [an] });
    await say("/phananh");
    await press("c-health");
    expect(await say("   ")).toMatch(/chưa nhận được nội dung/);
    expect(await say("đau")).toMatch(/hơi ngắn/);
    expect(await say("x".repeat(2001))).toMatch(/dài 2\.001 ký tự, vượt quá giới hạn 2\.000/);
    expect(e.concerns.created).toEqual([]);
  });

  it("takes a photo (refusing one that is too large), then the text, confirms and sends with the platform file ref", async () => {
    as("1001", { guardianOf: [an] });
    await say("/phananh");
    await press("c-safety");
    expect(await photo(25 * 1024 * 1024)).toMatch(/ảnh quá lớn \(tối đa 10 MB\)/);
    expect(await photo(300_000)).toMatch(/đã nhận ảnh[\s\S]*viết thêm nội dung/);
    const review = await say("Lan can tầng 3 dãy B bị gãy, các con hay đứng đó giờ ra chơi.");
    expect(review).toMatch(/Loại: An toàn trường học/);
    expect(review).toMatch(/Ảnh đính kèm: có/);
    e.concerns.next = { urgent: true };
    expect(await press("c-send")).toMatch(/chuyển ngay phản ánh PA-0042/);
    expect(e.concerns.created[0]!.input).toEqual({ studentId: "s-an", category: "safety", text: "Lan can tầng 3 dãy B bị gãy, các con hay đứng đó giờ ra chơi.", photoRef: "AgACAgIAAxkBAAIB" });
  });

  it("during quiet hours tells the guardian when the teacher will receive it and when to expect an answer", async () => {
    as("1001", { guardianOf: [an] });
    await say("/phananh");
    await press("c-study");
    await say("Con chưa được phát sách giáo khoa môn Tiếng Anh ạ.");
    e.concerns.next = { deliverAt: new Date("2026-09-14T23:30:00Z") };
    const reply = await press("c-send");
    expect(reply).toMatch(/giáo viên chủ nhiệm sẽ nhận được phản ánh vào Thứ Ba, 15\/09\/2026 lúc 06:30/);
    expect(reply).toMatch(/đã gửi phản ánh PA-0042.*chậm nhất Thứ Ba, 15\/09\/2026 lúc 15:00/);
  });

  it("a concern about a teacher is announced as going to the principal only", async () => {
    as("1001", { guardianOf: [an] });
    await say("/phananh");
    expect(await press("c-teacher")).toMatch(/chỉ được gửi tới Ban giám hiệu/);
  });

  it("a reply button opens a message step for that ticket; /huy leaves it without sending", async () => {
    as("1001", { guardianOf: [an] });
    e.concerns.tickets.push({ id: "tabc123456", number: "PA-0042", category: "study", status: "in-progress", urgent: false, studentName: "Nguyễn Văn An", className: "6A1", createdAt: new Date() });
    e.concerns.view = async () => ({ ...e.concerns.tickets[0]!, viewer: "guardian" as const, messages: [], confirmed: false });
    expect(await press("pa-add-tabc123456")).toMatch(/nhập tin nhắn cho phản ánh PA-0042/);
    expect(await say("/huy")).toMatch(/hủy|Hủy/);
    expect(await press("pa-add-tabc123456")).toMatch(/PA-0042/);
    expect(await say("Dạ con đã khỏe rồi ạ.")).toMatch(/đã chuyển tin nhắn/);
    expect(e.concerns.messages).toEqual([{ id: "tabc123456", text: "Dạ con đã khỏe rồi ạ." }]);
  });

  it("a forged or unknown concern button is refused without detail", async () => {
    as("1001", { guardianOf: [an] });
    expect(await press("pa-ack-tzzzzzzzzz")).toMatch(/không tìm thấy phản ánh/);
    expect(await press("pa-zz")).toMatch(/hết hiệu lực/);
  });
});
