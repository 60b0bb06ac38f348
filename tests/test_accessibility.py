"""Accessibility (WCAG 2.2 AA) in a real browser: axe-core over every page as each role sees it,
failing on any serious or critical violation; every page reflows at 320 px without scrolling
sideways; a keyboard walk of the case page reaches each of its controls with a visible focus ring.

axe-core comes from the npm registry and is loaded into the test browser from
tests/assets/axe-core (an init script: the page's Content-Security-Policy does not apply to
it); the app never serves it. docs/accessibility.md says what the rules are."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from browser import ARGS, CHROMIUM, need_chromium, serving, sign_in
from conftest import ROOT, corpus_files
from office import REPORT_ID, add_recent_report
from signin import user

from scrutiny.office import cases
from scrutiny.oversight.ingest import ingest_bytes, ingest_paths
from scrutiny.settings import Settings
from scrutiny.store import Store
from scrutiny.web import create_app

need_chromium()

from playwright.sync_api import expect, sync_playwright  # noqa: E402

AXE = Path(__file__).parent / "assets" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa", "best-practice"]
FAILING = ("serious", "critical")
NCPI = "ncpi-2019-thematic"
WARWICKSHIRE, DORSET = "Warwickshire Police", "Dorset Police"
PEOPLE = (("vic", "viewer", None), ("alex", "analyst", None), ("sam", "staff", WARWICKSHIRE),
          ("ann", "approver", WARWICKSHIRE), ("dee", "staff", DORSET), ("dan", "approver", DORSET))


def build_site(folder: Path) -> tuple[Store, dict[str, str]]:
    """A store with every sample letter, a document the catalogue cannot place, a file that
    failed, a report published ten days ago, the office's people, and one case in each state:
    Warwickshire's draft, Dorset's awaiting approval, Warwickshire's published (with its steps
    tracked as actions). Returns the store and the ids the page paths name."""
    store = Store(f"sqlite:///{folder / 'a11y.db'}")
    list(ingest_paths(store, corpus_files()))
    ingest_bytes(store, (ROOT / "tests/letters/uncatalogued-peel.txt").read_bytes(), "peel.txt", "upload:peel.txt")
    ingest_bytes(store, b"%PDF-1.7 and then nothing", "broken.pdf", "upload:broken.pdf")
    add_recent_report(store, dt.date.today() - dt.timedelta(days=10))
    people = {name: user(store, name, role, force) for name, role, force in PEOPLE}
    sam, ann, dee = people["sam"], people["ann"], people["dee"]
    draft = cases.open_case(store, sam, WARWICKSHIRE, REPORT_ID)
    cases.set_answer(store, sam, draft, 1, "accepted", "")
    cases.add_step(store, sam, draft, 1, "Add a risk review to every shift handover", "Ch Supt Custody",
                   dt.date.today() + dt.timedelta(days=90))
    awaiting = cases.open_case(store, dee, DORSET, REPORT_ID)
    _answer_all(store, dee, awaiting)
    cases.submit(store, dee, awaiting)
    published = cases.open_case(store, sam, WARWICKSHIRE, NCPI)
    _answer_all(store, sam, published)
    cases.submit(store, sam, published)
    cases.approve(store, ann, published)
    cases.publish(store, ann, published, today=dt.date(2020, 3, 27))
    view = cases.get_case(store, sam, published)
    ids = {"draft": str(draft), "awaiting": str(awaiting), "published": str(published),
           "action": str(view.answers[0].steps[0].id), "letter": "2"}
    return store, ids


def _answer_all(store: Store, account, case_id: int) -> None:
    cases.update_case(store, account, case_id, body_comments="I welcome the inspection.",
                      chief_comments="The force accepts the findings.", body_on_chief="I am assured.")
    for number in (1, 2, 3):
        cases.set_answer(store, account, case_id, number, "accepted", "")
        cases.add_step(store, account, case_id, number, f"Review the practice of recommendation {number}",
                       "Det Supt Khan", dt.date.today() + dt.timedelta(days=120))


def _open_operation(page) -> None:
    page.locator('#swagger-ui [data-path="/api/overview"]').first.click()
    page.locator("#swagger-ui").get_by_role("button", name="Execute").click()
    expect(page.locator("#swagger-ui .responses-wrapper")).to_contain_text('"overdue_total"')


def _refused(page) -> None:
    page.locator("#submit-form input[name=confirm]").check()  # the confirmation asked before sending
    page.get_by_role("button", name="Send for approval").click()
    expect(page.locator("#refusal")).to_be_visible()


def _uploaded(page) -> None:
    page.set_input_files("input[name=files]", [str(corpus_files()[0])])  # stored already: its outcome, no change
    page.get_by_role("button", name="Upload").click()
    expect(page.locator("#outcomes")).to_be_visible()


# Every page, as each role that sees something different on it: (who, path, what shows it is
# ready, what to do first). Who: None is the public (no sign-in); see PEOPLE for the roles.
PAGES = [
    pytest.param(None, "/", "#reports", None, id="overview"),
    pytest.param(None, "/reports", "#reports", None, id="reports"),
    pytest.param(None, f"/reports/{NCPI}", "#matrix", None, id="report"),
    pytest.param(None, f"/reports/{NCPI}/briefing", "table", None, id="briefing"),
    pytest.param(None, "/forces", "#forces", None, id="forces"),
    pytest.param(None, f"/forces/{WARWICKSHIRE}", "#responses", None, id="force"),
    pytest.param(None, "/documents", "#documents", None, id="documents"),
    pytest.param(None, "/documents/{letter}", "#letter-text", None, id="document"),
    pytest.param(None, "/search", "#hits", None, id="search"),
    pytest.param(None, "/search?q=recommendations", "#hits", None, id="search-words"),
    pytest.param(None, "/review", "#failed", None, id="review"),
    pytest.param(None, "/upload", "h1", None, id="upload"),
    pytest.param(None, "/login", "form", None, id="login"),
    pytest.param(None, "/docs", "#swagger-ui .opblock", None, id="api-docs"),
    pytest.param(None, "/docs", "#swagger-ui .opblock", _open_operation, id="api-docs-tried"),
    pytest.param(None, "/accessibility", "h1", None, id="statement"),
    pytest.param(None, "/documents/9999", "#error-message", None, id="error"),
    pytest.param(None, "/cases/{published}/letter", "main.sheet", None, id="published-letter"),
    pytest.param("vic", "/account", "h1", None, id="viewer-account"),
    pytest.param("alex", f"/reports/{NCPI}", "#matrix", None, id="analyst-report"),
    pytest.param("alex", "/documents/{letter}", "form.correct", None, id="analyst-document"),
    pytest.param("alex", "/upload", "form.upload", None, id="analyst-upload"),
    pytest.param("alex", "/upload", "form.upload", _uploaded, id="analyst-uploaded"),
    pytest.param("sam", "/cases", "#cases", None, id="staff-cases"),
    pytest.param("sam", "/cases/{draft}", "#answers", None, id="staff-case"),
    pytest.param("sam", "/cases/{draft}", "#answers", _refused, id="staff-case-refused"),
    pytest.param("sam", "/cases/{draft}/letter", "main.sheet", None, id="staff-draft-letter"),
    pytest.param("sam", "/actions", "#actions", None, id="staff-actions"),
    pytest.param("sam", "/actions/{action}", "#updates", None, id="staff-action"),
    pytest.param("sam", "/due", "#due", None, id="staff-due"),
    pytest.param("sam", f"/accountability/{WARWICKSHIRE}", "main.sheet", None, id="staff-pack"),
    pytest.param("dan", "/cases/{awaiting}", "#answers", None, id="approver-case-awaiting"),
    pytest.param("ann", "/cases/{published}", "#answers", None, id="approver-case-published"),
]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    store, ids = build_site(tmp_path_factory.mktemp("a11y"))
    with serving(create_app(store, Settings(secret_key="a11y-" + "k" * 40))) as base:
        yield base, ids


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def sessions(browser, site):
    """Each role's signed-in cookies, signed in once."""
    base, _ = site
    states = {}
    for name, _role, _force in PEOPLE:
        context = browser.new_context()
        sign_in(context.new_page(), base, name)
        states[name] = context.storage_state()
        context.close()
    return states


def visit(browser, site, sessions, who, path, ready, then, width: int = 1366):
    """A page for `who` at `width` CSS pixels, with axe-core loaded and the page ready."""
    base, ids = site
    context = browser.new_context(viewport={"width": width, "height": 800},
                                  storage_state=sessions[who] if who else None)
    context.add_init_script(path=str(AXE))
    page = context.new_page()
    page.goto(base + path.format(**ids))
    expect(page.locator(ready).first).to_be_attached()
    if then:
        then(page)
    return context, page


def violations(page) -> list[dict]:
    """axe-core's violations on the page as it stands: rule, impact, and each element's selector."""
    return page.evaluate("""async (tags) => {
        const result = await axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]});
        return result.violations.map(v => ({rule: v.id, impact: v.impact, help: v.help,
                                            nodes: v.nodes.map(n => n.target.join(" "))}));
    }""", TAGS)


def page_rules(page) -> list[str]:
    """What axe does not check of the rules every page keeps (docs/accessibility.md): one h1 shown,
    one main landmark, a skip link that leads to it, and the statement linked from the footer."""
    return page.evaluate("""() => {
        const problems = [];
        const h1 = Array.from(document.querySelectorAll("h1")).filter(e => e.checkVisibility()).length;
        if (h1 !== 1) problems.push(h1 + " h1 elements");
        const mains = document.querySelectorAll("main:not([role]), [role=main]");
        if (mains.length !== 1) problems.push(mains.length + " main landmarks");
        const skip = document.querySelector("a.skip");
        if (skip && !document.getElementById(skip.getAttribute("href").slice(1))) problems.push("the skip link leads nowhere");
        if (!document.querySelector("footer a[href='/accessibility']")) problems.push("no footer link to /accessibility");
        return problems;
    }""")


@pytest.mark.parametrize("who, path, ready, then", PAGES)
def test_no_serious_or_critical_violation(browser, site, sessions, who, path, ready, then):
    context, page = visit(browser, site, sessions, who, path, ready, then)
    try:
        found = [v for v in violations(page) if v["impact"] in FAILING]
        rules = page_rules(page)
    finally:
        context.close()
    assert not found, "\n".join(f"{v['impact']} {v['rule']} ({v['help']}): {', '.join(v['nodes'][:6])}"
                                f"{' ...' if len(v['nodes']) > 6 else ''}" for v in found)
    assert not rules, "; ".join(rules)


@pytest.mark.parametrize("who, path, ready, then", PAGES)
def test_reflows_at_320_pixels(browser, site, sessions, who, path, ready, then):
    """WCAG 1.4.10: nothing makes the page scroll sideways at 320 CSS pixels; a wide table
    scrolls in its own box."""
    context, page = visit(browser, site, sessions, who, path, ready, then, width=320)
    try:
        wide = page.evaluate("""() => {
            const root = document.documentElement;
            if (root.scrollWidth <= root.clientWidth) return null;
            const over = Array.from(document.body.querySelectorAll("*")).filter(e =>
                e.getBoundingClientRect().right > root.clientWidth + 1 && !e.closest(".scroll"));
            return {width: root.scrollWidth, culprits: over.slice(0, 5).map(e =>
                e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") + (e.className && typeof e.className === "string"
                ? "." + e.className.trim().split(/\\s+/).join(".") : ""))};
        }""")
    finally:
        context.close()
    assert wide is None, f"{wide['width']} px wide at 320: {', '.join(wide['culprits'])}"


WALKS = [
    pytest.param(None, "/documents/{letter}", "#letter-text", id="document"),
    pytest.param(None, f"/reports/{NCPI}", "#matrix", id="report"),
    pytest.param("sam", "/cases/{draft}", "#answers", id="staff-case"),
    pytest.param("dan", "/cases/{awaiting}", "#answers", id="approver-case-awaiting"),
]


@pytest.mark.parametrize("who, path, ready", WALKS)
def test_a_keyboard_walk_reaches_every_control_with_a_visible_focus_ring(browser, site, sessions, who, path, ready):
    """Tab from the top of the page to its end: every visible control (and scroll box) is reached,
    in the order of the page, and each shows a focus ring."""
    context, page = visit(browser, site, sessions, who, path, ready, None)
    try:
        count = page.evaluate("""() => {
            const all = Array.from(document.querySelectorAll(
                "a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex]:not([tabindex='-1'])"))
                .filter(e => !e.disabled && e.checkVisibility({visibilityProperty: true}));
            all.forEach((e, i) => e.dataset.walk = i);
            return all.length;
        }""")
        order, unringed = [], []
        for _ in range(4 * count + 10):  # a date field takes a Tab for each of its parts
            page.keyboard.press("Tab")
            walk, ring, name = page.evaluate("""() => {
                const e = document.activeElement, style = getComputedStyle(e);
                const ringed = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2;
                return [e.dataset.walk ?? null, ringed, e.outerHTML.slice(0, 80)];
            }""")
            if walk is not None and (not order or order[-1] != int(walk)):
                order.append(int(walk))
                if not ring:
                    unringed.append(name)
            if walk is not None and int(walk) == count - 1:
                break
        missed = page.evaluate("""(reached) => Array.from(document.querySelectorAll("[data-walk]"))
            .filter(e => !reached.includes(+e.dataset.walk)).map(e => e.outerHTML.slice(0, 80))""", order)
    finally:
        context.close()
    assert not missed, f"not reached by Tab: {missed[:5]}"
    assert order == sorted(order), "the tab order is not the order of the page"
    assert not unringed, f"no focus ring on: {unringed[:5]}"


def test_a_refused_sign_in_moves_focus_to_the_problem(browser, site):
    base, _ = site
    context = browser.new_context()
    page = context.new_page()
    try:
        page.goto(base + "/login")
        page.get_by_label("User name").fill("sam")
        page.get_by_label("Password").fill("not the password")
        page.get_by_role("button", name="Sign in").click()
        expect(page.locator("#login-error")).to_be_focused()
    finally:
        context.close()


def test_a_refused_case_moves_focus_to_its_problems_which_link_to_their_fields(browser, site, sessions):
    context, page = visit(browser, site, sessions, "sam", "/cases/{draft}", "#answers", _refused)
    try:
        problems = page.locator(".problems")
        expect(problems).to_be_focused()
        targets = problems.locator("a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
        assert targets and all(page.locator(t).count() == 1 for t in targets), targets
    finally:
        context.close()
