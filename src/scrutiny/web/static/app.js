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
    // Scroll the letter's own box, not the page: the values panel stays where it is.
    if (marks.length) text.scrollTo({ top: marks[0].offsetTop - text.clientHeight / 3, behavior: "instant" });
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

// A form refused with problems: focus moves to their summary (an element of class "problems",
// with tabindex="-1"), whose links lead to the fields concerned (docs/accessibility.md).
(function () {
  const problems = document.querySelector(".problems");
  if (problems) problems.focus();
})();
