/**
 * The playground page: pick a demo person, chat with the same engine and flows, buttons
 * included. One self-contained HTML document (no build step, no external assets).
 * It calls `GET /playground/api/people`, `POST /playground/api/send` and
 * `GET /playground/api/messages?person=…&after=…` (polled for messages the outbox pushes).
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
  body { margin: 0; display: grid; grid-template-columns: 290px 1fr; height: 100vh; }
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
</style>
</head>
<body>
<aside>
  <h1>Sổ liên lạc</h1>
  <p>Chọn một người trong trường demo và trò chuyện với bot. Gõ <b>/menu</b> để bắt đầu.</p>
  <div id="people"></div>
  <p id="codes"></p>
</aside>
<main>
  <div id="log" aria-live="polite"></div>
  <form id="form"><input id="text" autocomplete="off" placeholder="Nhập tin nhắn… (/menu, /trogiup)"><button>Gửi</button></form>
</main>
<script>
const state = { person: null, after: 0, people: [] };
const log = document.getElementById("log");
const guestId = localStorage.getItem("sll-guest") || ("guest-" + Math.random().toString(36).slice(2, 10));
localStorage.setItem("sll-guest", guestId);

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
async function send(body, echo) {
  if (!state.person) return;
  bubble("me", echo);
  const res = await fetch("/playground/api/send", { method: "POST", headers: { "content-type": "application/json" },
    body: JSON.stringify({ person: state.person, ...body }) });
  const data = await res.json().catch(() => ({}));
  if (!res.ok) bubble("bot", data.error || ("HTTP " + res.status));
  else show(data.messages || []);
}
async function poll() {
  if (state.person) {
    const res = await fetch("/playground/api/messages?person=" + encodeURIComponent(state.person) + "&after=" + state.after);
    if (res.ok) show((await res.json()).messages || []);
  }
  setTimeout(poll, 1500);
}
async function choose(id) {
  state.person = id; state.after = 0; log.innerHTML = "";
  document.querySelectorAll(".person").forEach((el) => el.classList.toggle("active", el.dataset.id === id));
  const res = await fetch("/playground/api/messages?person=" + encodeURIComponent(id) + "&after=0");
  if (res.ok) show((await res.json()).messages || []);
}
async function load() {
  const res = await fetch("/playground/api/people");
  const data = await res.json();
  state.people = [...data.people, { id: guestId, label: "Phụ huynh mới (chưa liên kết)", hint: "Gửi một mã bên dưới để liên kết" }];
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
