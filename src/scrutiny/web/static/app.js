// Letter page: selecting a value highlights the words it came from and scrolls to them.
(function () {
  const text = document.getElementById("letter-text");
  if (!text) return;
  const buttons = document.querySelectorAll("button.value");

  function show(key) {
    text.querySelectorAll("mark.ev.active").forEach((m) => m.classList.remove("active"));
    buttons.forEach((b) => b.setAttribute("aria-pressed", String(b.dataset.key === key)));
    const marks = Array.from(text.querySelectorAll("mark.ev")).filter((m) => m.dataset.keys.split(" ").includes(key));
    marks.forEach((m) => m.classList.add("active"));
    if (marks.length) marks[0].scrollIntoView({ block: "center" });
  }

  buttons.forEach((b) => b.addEventListener("click", () => {
    history.replaceState(null, "", "#" + b.dataset.key);
    show(b.dataset.key);
  }));
  const key = decodeURIComponent(location.hash.slice(1));
  if (key && document.getElementById("v-" + key)) {
    show(key);
    document.getElementById("v-" + key).focus({ preventScroll: true });
  }
})();
