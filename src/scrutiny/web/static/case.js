// The case page's one form: saved whole (PUT /api/cases/{id}/draft) as the user types, a
// moment after they stop, and at once with "Save the draft". A problem is shown beside its
// field with what was typed kept; a save refused because someone else saved first (409)
// offers to merge or to reload, and never throws away what the user typed.
(function () {
  const form = document.getElementById("draft");
  if (!form || form.dataset.editable !== "yes") return;
  const caseId = form.dataset.case;
  const status = document.getElementById("save-status");
  const version = document.getElementById("version");
  const conflict = document.getElementById("conflict");
  const token = document.querySelector('meta[name="csrf-token"]').content;
  let timer = null;
  let saving = false;
  let again = false;
  let base = values(); // the draft as last saved (or loaded): what "my changes" are measured against
  let theirs = null; // the stored case, when a save was refused as stale

  function values() {
    const out = {};
    form.querySelectorAll("input[name], textarea[name], select[name]").forEach((el) => {
      if (el.name !== "csrf_token" && el.name !== "version") out[el.name] = el.value;
    });
    return out;
  }

  function draftOf(v) {
    const answers = [];
    for (let i = 0; ("answers." + i + ".number") in v; i++) {
      const steps = [];
      for (let j = 0; ("answers." + i + ".steps." + j + ".text") in v; j++) {
        const at = "answers." + i + ".steps." + j;
        steps.push({ text: v[at + ".text"], owner: v[at + ".owner"], due: v[at + ".due"] || null });
      }
      answers.push({ number: Number(v["answers." + i + ".number"]), stance: v["answers." + i + ".stance"] || null,
                     explanation: v["answers." + i + ".explanation"], steps: steps });
    }
    return { version: Number(version.value),
             comments: { body: v["comments.body"], chief_constable: v["comments.chief_constable"],
                         response_to_chief: v["comments.response_to_chief"], requested_by: v["requested_by"] || null },
             answers: answers };
  }

  // The stored case in the form's names, to compare with and to fill the form from.
  function valuesOf(c) {
    const out = { "requested_by": c.comments_requested_by || "", "comments.body": c.body_comments,
                  "comments.chief_constable": c.chief_comments, "comments.response_to_chief": c.body_on_chief };
    c.answers.forEach((a, i) => {
      out["answers." + i + ".number"] = String(a.number);
      out["answers." + i + ".stance"] = a.stance || "";
      out["answers." + i + ".explanation"] = a.explanation;
      a.steps.forEach((st, j) => {
        const at = "answers." + i + ".steps." + j;
        out[at + ".text"] = st.description; out[at + ".owner"] = st.owner; out[at + ".due"] = st.due || "";
      });
    });
    return out;
  }

  function fieldOf(name) {
    if (name === "comments.requested_by") name = "requested_by";
    return form.querySelector('[name="' + CSS.escape(name) + '"]');
  }

  function clearErrors() {
    form.querySelectorAll("[aria-invalid]").forEach((el) => el.removeAttribute("aria-invalid"));
    form.querySelectorAll(".field-error").forEach((p) => { p.hidden = true; p.textContent = ""; });
  }

  function showErrors(fields, moveFocus) {
    let first = null;
    Object.entries(fields).forEach(([name, message]) => {
      const el = fieldOf(name);
      const p = document.getElementById("err-" + name) || (el && document.getElementById(el.getAttribute("aria-describedby")));
      if (!el || !p) return;
      el.setAttribute("aria-invalid", "true");
      p.innerHTML = '<span class="error-word">Error:</span> ';
      p.append(message);
      p.hidden = false;
      first = first || el;
    });
    if (first && moveFocus) first.focus();
    return first;
  }

  function say(text) { status.textContent = text; }

  async function save(moveFocus) {
    if (saving) { again = true; return; }
    saving = true;
    const sent = values();
    say("Saving…");
    try {
      const r = await fetch("/api/cases/" + caseId + "/draft", {
        method: "PUT", credentials: "same-origin", body: JSON.stringify(draftOf(sent)),
        headers: { "Content-Type": "application/json", "X-CSRF-Token": token } });
      const body = await r.json();
      if (r.ok) {
        clearErrors();
        version.value = body.version;
        base = sent;
        say("Saved at " + new Date().toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" }) + ".");
      } else if (r.status === 409 && body.case) {
        offer(body.case);
      } else if (r.status === 422 && body.fields) {
        clearErrors();
        showErrors(body.fields, moveFocus);
        say("Not saved: " + Object.keys(body.fields).length + " problem(s), shown beside the fields.");
      } else {
        say("Not saved: " + (body.error || "error " + r.status) + ". Your text is still here.");
      }
    } catch (e) {
      say("Not saved: the server cannot be reached. Your text is still here; it will be saved when you type again.");
    } finally {
      saving = false;
      if (again) { again = false; save(false); }
    }
  }

  function offer(stored) {
    theirs = stored;
    const mine = values();
    const stored_ = valuesOf(stored);
    const both = document.getElementById("conflict-both");
    both.textContent = "";
    Object.keys(mine).forEach((name) => {
      const changedByMe = mine[name] !== base[name];
      const changedByThem = (stored_[name] || "") !== (base[name] || "");
      if (changedByMe && changedByThem && mine[name] !== stored_[name]) {
        const li = document.createElement("li");
        const label = form.querySelector('label[for="' + (fieldOf(name) || {}).id + '"]');
        li.textContent = (label ? label.textContent.trim() : name) + ": you both changed it; merging keeps yours.";
        both.append(li);
      }
    });
    conflict.hidden = false;
    say("Not saved: someone else saved this case first.");
    conflict.focus();
  }

  function keepAside(name, text) {
    const el = fieldOf(name);
    if (!el) return;
    const id = "aside-" + el.id;
    let box = document.getElementById(id);
    if (!box) {
      box = document.createElement("div");
      box.className = "kept-aside";
      box.id = id;
      el.closest(".field").append(box);
    }
    box.textContent = "";
    const label = document.createElement("p");
    label.textContent = "Your text, not saved:";
    const kept = document.createElement("pre");
    kept.textContent = text;
    box.append(label, kept);
  }

  document.getElementById("merge").addEventListener("click", () => {
    const mine = values();
    const stored_ = valuesOf(theirs);
    Object.keys(mine).forEach((name) => { // theirs wherever I changed nothing
      const el = fieldOf(name);
      if (el && mine[name] === base[name] && name in stored_) el.value = stored_[name];
    });
    base = stored_;
    version.value = theirs.version;
    conflict.hidden = true;
    save(true);
  });

  document.getElementById("reload").addEventListener("click", () => {
    const mine = values();
    const stored_ = valuesOf(theirs);
    Object.keys(mine).forEach((name) => {
      const el = fieldOf(name);
      if (!el) return;
      if (mine[name] !== base[name] && mine[name] !== (stored_[name] || "")) keepAside(name, mine[name]);
      el.value = stored_[name] || "";
    });
    base = values();
    version.value = theirs.version;
    conflict.hidden = true;
    say("Showing the saved case. Your own text is kept beside each field you had changed.");
  });

  form.addEventListener("input", () => {
    clearTimeout(timer);
    say("Editing…");
    timer = setTimeout(() => save(false), 1200);
  });
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    clearTimeout(timer);
    save(true);
  });

  // "Add another step": a new empty row, numbered after the last.
  form.querySelectorAll("fieldset.steps").forEach((set) => {
    const button = set.querySelector(".add-step");
    button.hidden = false;
    button.addEventListener("click", () => {
      const rows = set.querySelectorAll(".step-row");
      const last = rows[rows.length - 1];
      const row = last.cloneNode(true);
      const i = set.dataset.answer;
      const j = rows.length;
      row.querySelectorAll("input").forEach((input) => {
        const part = input.name.split(".").pop();
        input.name = "answers." + i + ".steps." + j + "." + part;
        input.id = "f-" + i + "-" + j + "-" + part;
        input.value = "";
        input.removeAttribute("aria-invalid");
        input.setAttribute("aria-describedby", "err-" + input.name);
      });
      row.querySelectorAll("label").forEach((label) => {
        const input = label.parentElement.querySelector("input");
        label.htmlFor = input.id;
        label.textContent = label.textContent.replace(/step \d+/i, (m) => m.split(" ")[0] + " " + (j + 1));
      });
      row.querySelectorAll(".field-error").forEach((p) => {
        p.id = "err-" + p.parentElement.querySelector("input").name; p.hidden = true; p.textContent = "";
      });
      row.querySelectorAll(".kept-aside").forEach((box) => box.remove());
      button.before(row);
      row.querySelector("input").focus();
    });
  });

  // A summary of problems takes the focus (its links lead to each field); else the first field in error.
  const alert = document.querySelector("#refusal, #stale");
  const firstInvalid = form.querySelector('[aria-invalid="true"]');
  if (alert) alert.focus();
  else if (firstInvalid) firstInvalid.focus();
})();
