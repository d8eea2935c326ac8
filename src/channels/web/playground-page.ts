/**
 * The playground page: pick a demo person, chat with the same engine and flows, buttons
 * included. One self-contained HTML document (no build step, no external assets).
 * It calls `GET /playground/api/people`, `POST /playground/api/send` and
 * `GET /playground/api/messages?person=…&after=…` (polled for messages the outbox pushes).
 * Choosing a person whose chat is empty opens their /menu at once; a guide beside the chat says
 * who is who and what to try; below 640 px wide (phones) the people and guide fold above the chat.
 */
export function renderPlaygroundPage(): string {
  return `<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sổ liên lạc — playground</title>
<style>
  :root { font-family: system-ui, "Segoe UI", Roboto, sans-serif; color: #1f2933; }
  body { margin: 0; display: grid; grid-template-columns: 300px 1fr; height: 100vh; }
  aside { background: #f4f6f8; padding: 16px; overflow: auto; border-right: 1px solid #d9dee3; }
  aside h1 { font-size: 18px; margin: 0 0 4px; }
  aside p { font-size: 13px; color: #52606d; }
  .person { display: block; width: 100%; text-align: left; margin: 6px 0; padding: 10px; border: 1px solid #cbd2d9;
            border-radius: 8px; background: white; cursor: pointer; font-size: 14px; }
  .person.active { border-color: #2680c2; box-shadow: 0 0 0 2px #bae3ff; }
  .person small { display: block; color: #7b8794; }
  code { background: #e4e7eb; padding: 1px 4px; border-radius: 4px; font-size: 12px; cursor: pointer; }
  main { display: flex; flex-direction: column; height: 100vh; }
  #log { flex: 1; overflow: auto; padding: 16px; background: #e9eef2; }
  .msg { max-width: 70%; margin: 6px 0; padding: 8px 12px; border-radius: 12px; white-space: pre-wrap; line-height: 1.4; }
  .bot { background: white; }
  .me { background: #d9f2d0; margin-left: auto; }
  .buttons { display: flex; flex-wrap: wrap; gap: 6px; margin-top: 8px; }
  .buttons button { border: 1px solid #2680c2; color: #2680c2; background: white; border-radius: 6px; padding: 4px 10px; cursor: pointer; }
  form { display: flex; gap: 8px; padding: 12px; border-top: 1px solid #d9dee3; }
  input { flex: 1; padding: 10px; border: 1px solid #cbd2d9; border-radius: 8px; font-size: 15px; }
  form button { padding: 10px 16px; border: 0; border-radius: 8px; background: #2680c2; color: white; }
  details.guide { font-size: 13px; color: #3e4c59; background: white; border: 1px solid #d9dee3; border-radius: 8px; padding: 8px 10px; margin: 8px 0; }
  details.guide summary { cursor: pointer; font-weight: 600; }
  details.guide ol { padding-left: 18px; margin: 6px 0; }
  @media (max-width: 640px) {
    body { grid-template-columns: 1fr; grid-template-rows: auto 1fr; height: 100dvh; }
    aside { border-right: 0; border-bottom: 1px solid #d9dee3; max-height: 42dvh; padding: 10px; }
    #people { display: flex; gap: 6px; overflow-x: auto; }
    .person { flex: 0 0 auto; width: auto; max-width: 170px; margin: 0; padding: 6px 8px; font-size: 13px; }
    main { height: auto; min-height: 0; }
    .msg { max-width: 88%; }
    input { font-size: 16px; min-width: 0; }
  }
</style>
</head>
<body>
<aside>
  <h1>Sổ liên lạc</h1>
  <p>Trường demo của riêng trình duyệt này: chọn một người và trò chuyện với bot.</p>
  <div id="people"></div>
  <details class="guide" id="guide" open>
    <summary>Gợi ý thử (hướng dẫn demo)</summary>
    <ol>
      <li><b>Cô Nguyễn Thị Lan</b> (GVCN 6A1): /hop → tạo cuộc họp phụ huynh, ví dụ "thứ 7 tuần sau 19h30".</li>
      <li><b>Phụ huynh em Trần Thị Bình</b> (Trưởng ban): đồng ý nội dung cuộc họp.</li>
      <li><b>Phụ huynh em Nguyễn Văn An</b>: nhận thư mời và bấm <i>Tham dự</i>; thử /phananh để gửi phản ánh.</li>
      <li><b>Thầy Trần Văn Minh</b> (Hiệu trưởng): /thongbao gửi thông báo toàn trường.</li>
      <li><b>Phụ huynh mới</b>: bấm một mã bên dưới để liên kết với con.</li>
    </ol>
  </details>
  <p id="codes"></p>
</aside>
<main>
  <div id="log" aria-live="polite"></div>
  <form id="form"><input id="text" autocomplete="off" placeholder="Nhập tin nhắn… (/menu, /trogiup)"><button>Gửi</button></form>
</main>
<script>
const state = { person: null, after: 0, people: [] };
const log = document.getElementById("log");
const guestId = "guest";
// On a phone the guide starts folded, so the chat keeps the screen.
if (window.matchMedia("(max-width: 640px)").matches) document.getElementById("guide").open = false;

function bubble(cls, text, buttons) {
  const div = document.createElement("div");
  div.className = "msg " + cls;
  div.textContent = text;
  if (buttons && buttons.length) {
    const row = document.createElement("div");
    row.className = "buttons";
    for (const b of buttons.flat()) {
      const btn = document.createElement("button");
      btn.textContent = b.label;
      btn.onclick = () => send({ payload: b.payload }, b.label);
      row.appendChild(btn);
    }
    div.appendChild(row);
  }
  log.appendChild(div);
  log.scrollTop = log.scrollHeight;
}
function show(messages) {
  for (const m of messages) {
    if (m.seq <= state.after) continue;
    state.after = m.seq;
    const o = m.outbound;
    bubble("bot", o.kind === "text" ? o.text : "[" + o.media + "] " + (o.caption || o.fileName || ""), o.buttons);
  }
}
// An answer that arrives after another person was chosen belongs to the previous chat: dropped
// (it would otherwise show in the wrong chat and hide the new person's first messages).
async function send(body, echo) {
  const person = state.person;
  if (!person) return;
  bubble("me", echo);
  const res = await fetch("/playground/api/send", { method: "POST", headers: { "content-type": "application/json" },
    body: JSON.stringify({ person, ...body }) });
  const data = await res.json().catch(() => ({}));
  if (state.person !== person) return;
  if (!res.ok) bubble("bot", data.error || ("HTTP " + res.status));
  else show(data.messages || []);
}
async function poll() {
  const person = state.person;
  if (person) {
    const res = await fetch("/playground/api/messages?person=" + encodeURIComponent(person) + "&after=" + state.after);
    const data = res.ok ? await res.json() : {};
    if (state.person === person) show(data.messages || []);
  }
  setTimeout(poll, 1500);
}
async function choose(id) {
  state.person = id; state.after = 0; log.innerHTML = "";
  document.querySelectorAll(".person").forEach((el) => el.classList.toggle("active", el.dataset.id === id));
  const res = await fetch("/playground/api/messages?person=" + encodeURIComponent(id) + "&after=0");
  const messages = res.ok ? ((await res.json()).messages || []) : [];
  if (state.person !== id) return;
  show(messages);
  // An empty chat starts with the person's menu (a guest, not linked yet, with the welcome).
  if (messages.length === 0) await send({ text: id === guestId ? "/start" : "/menu" }, id === guestId ? "/start" : "/menu");
}
async function load() {
  const res = await fetch("/playground/api/people");
  const data = await res.json();
  if (!res.ok) { bubble("bot", data.error || ("HTTP " + res.status)); return; }
  state.people = data.people;
  const box = document.getElementById("people");
  for (const p of state.people) {
    const b = document.createElement("button");
    b.className = "person"; b.dataset.id = p.id;
    b.innerHTML = "";
    b.append(p.label);
    const small = document.createElement("small"); small.textContent = p.hint || ""; b.appendChild(small);
    b.onclick = () => choose(p.id);
    box.appendChild(b);
  }
  const codes = document.getElementById("codes");
  if (data.guardianCodes && data.guardianCodes.length) {
    codes.append("Mã liên kết phụ huynh (bấm để gửi): ");
    for (const c of data.guardianCodes) {
      const el = document.createElement("div");
      const code = document.createElement("code"); code.textContent = c.code;
      code.onclick = () => { if (state.person !== guestId) choose(guestId).then(() => send({ text: "/start " + c.code }, "/start " + c.code)); else send({ text: "/start " + c.code }, "/start " + c.code); };
      el.append(c.student + " (" + c.className + "): "); el.appendChild(code);
      codes.appendChild(el);
    }
  }
  choose(state.people[0].id);
  poll();
}
document.getElementById("form").onsubmit = (e) => {
  e.preventDefault();
  const input = document.getElementById("text");
  const text = input.value.trim();
  if (!text) return;
  input.value = "";
  send({ text }, text);
};
load();
</script>
</body>
</html>`;
}
