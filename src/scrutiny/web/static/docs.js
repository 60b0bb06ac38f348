// The API documentation at /docs: Swagger UI (served by the app itself) on the app's own /openapi.json.
window.addEventListener("load", function () {
  const root = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({
    url: "/openapi.json",
    dom_id: "#swagger-ui",
    deepLinking: false, // its deep links are links inside the operations' buttons: a control inside a control
    validatorUrl: null, // no badge fetched from a validator elsewhere
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
    tryItOutEnabled: true,
  });

  // What Swagger UI renders that the page's accessibility rules (docs/accessibility.md) need
  // changed, applied again whenever it renders more: its <main> elements sit inside the page's
  // own main, so they become named regions; its headings follow on from the page's h1; a code
  // box that scrolls can be reached by keyboard.
  let boxes = 0;
  function level(selector, n) {
    root.querySelectorAll(selector + ":not([aria-level])").forEach((h) => {
      h.setAttribute("role", "heading");
      h.setAttribute("aria-level", String(n));
    });
  }
  function conform() {
    root.querySelectorAll("main:not([role])").forEach((m) => {
      m.setAttribute("role", "region");
      if (!m.hasAttribute("aria-label")) m.setAttribute("aria-label", "Operations");
    });
    level("h3.opblock-tag", 2);
    level(".models > h4", 2);
    level("h4.opblock-title, .opblock-section-header h4", 3);
    root.querySelectorAll("pre.microlight:not([tabindex])").forEach((p) => {
      p.setAttribute("tabindex", "0");
      p.setAttribute("role", "region");
      p.setAttribute("aria-label", "Code example " + ++boxes);
    });
  }
  new MutationObserver(conform).observe(root, { childList: true, subtree: true });
});
