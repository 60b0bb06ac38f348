"""End to end in a real browser (Debian's chromium driven by Playwright) on the sample letters."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from browser import ARGS, CHROMIUM, need_chromium, serving, sign_in
from conftest import ROOT, corpus_files
from documents import make_pdf, statement
from office import REPORT_ID, TITLE, add_recent_report
from signin import user

from scrutiny.oversight.ingest import ingest_paths
from scrutiny.read import read_path
from scrutiny.settings import Settings
from scrutiny.store import Store
from scrutiny.web import create_app

need_chromium()

from playwright.sync_api import expect, sync_playwright  # noqa: E402


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The app on a store holding four of the five sample letters (the fifth is uploaded), a
    report published ten days ago, and the office's people."""
    folder = tmp_path_factory.mktemp("web")
    store = Store(f"sqlite:///{folder / 'web.db'}")
    list(ingest_paths(store, corpus_files()[:4]))
    add_recent_report(store, dt.date.today() - dt.timedelta(days=10))
    for name, role, force in (("alex", "analyst", None), ("sam", "staff", "Warwickshire Police"),
                              ("ann", "approver", "Warwickshire Police"), ("vic", "viewer", None)):
        user(store, name, role, force)
    with serving(create_app(store, Settings(secret_key="e2e-" + "k" * 40))) as base:
        yield base, folder


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1366, "height": 820})
    yield context.new_page()
    context.close()


def upload(page, base: str, *files: Path) -> None:
    page.goto(base + "/upload")
    page.set_input_files("input[name=files]", [str(f) for f in files])
    page.get_by_role("button", name="Upload").click()


def test_overview_report_and_evidence(server, page):
    base, _ = server
    page.goto(base + "/")
    expect(page.locator("#reports")).to_contain_text("National Child Protection Inspections: 2019 thematic report")
    page.get_by_role("link", name="National Child Protection Inspections: 2019 thematic report").click()
    expect(page.locator("#matrix")).to_contain_text("Warwickshire Police")
    cell = page.get_by_role("link", name="Warwickshire Police, recommendation 2: accepted")
    cell.click()
    expect(page).to_have_url(f"{base}/documents/2#rec-2")
    active = page.locator("mark.ev.active")
    expect(active.first).to_be_visible()
    expect(active.first).to_contain_text("We recommend that chief constables should review performance management")
    page.get_by_role("button", name="Signatory Philip Seccombe").click()
    expect(page.locator("mark.ev.active").first).to_have_text("Philip Seccombe")


def test_search_finds_practice_elsewhere(server, page):
    base, folder = server
    pdf = folder / "west-yorkshire.pdf"
    pdf.write_bytes(make_pdf(read_path(corpus_files()[4]).text))
    page.goto(base + "/upload")
    expect(page.locator("main")).to_contain_text("Sign in as an analyst to add letters")
    sign_in(page, base, "alex")
    upload(page, base, pdf)
    expect(page.locator("#outcomes")).to_contain_text("stored")
    page.goto(base + "/reports/ncpi-2019-thematic")
    expect(page.locator("#matrix")).to_contain_text("West Yorkshire Police")
    page.goto(base + "/search")
    page.get_by_label("Words").fill("Chance to Change")
    page.get_by_label("Words").press("Enter")
    hits = page.locator("#hits li")
    expect(hits).to_have_count(1)
    expect(hits.first).to_contain_text("West Yorkshire Police")
    expect(hits.first.locator("mark").first).to_have_text("Chance")


def test_correcting_a_date_changes_compliance(server, page):
    base, _ = server
    sign_in(page, base, "alex")
    page.goto(base + "/documents/1")
    expect(page.locator("#c-days")).to_have_text("131")
    expect(page.locator("#c-ontime")).to_have_text("no")
    page.select_option("#correct-field", "letter_date")
    page.fill("#correct-value", "2020-04-01")
    page.get_by_role("button", name="Save correction").click()
    expect(page.locator("#c-days")).to_have_text("34")
    expect(page.locator("#c-ontime")).to_have_text("yes")
    expect(page.locator(".history")).to_contain_text("alex set letter_date from 2020-07-07 to 2020-04-01")
    expect(page.locator("#v-letter_date")).to_contain_text("human-verified")
    page.goto(base + "/reports/ncpi-2019-thematic?on_time=no")
    expect(page.locator("#matrix")).not_to_contain_text("West Mercia Police")


def test_pages_are_keyboard_navigable(server, page):
    base, _ = server
    page.goto(base + "/reports/ncpi-2019-thematic")
    page.keyboard.press("Tab")
    expect(page.locator(":focus")).to_have_text("Skip to content")
    for _ in range(80):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.closest('#matrix td.cell') !== null"):
            break
    else:
        pytest.fail("no matrix cell reachable by keyboard")
    page.keyboard.press("Enter")
    expect(page.locator("mark.ev.active").first).to_be_visible()


def test_the_overview_leads_with_what_is_known(server, page):
    base, _ = server
    page.goto(base + "/?today=2020-06-01")
    expect(page.locator("section").first).to_have_id("coverage")  # coverage first: found, checked, not collected
    expect(page.locator("#coverage")).to_contain_text("in scope")
    expect(page.locator("#overdue")).to_contain_text("Nothing is overdue")  # no body's publications were checked
    page.locator("#reports").get_by_role("link", name="National Child Protection Inspections: 2019 thematic report").click()
    row = page.locator("#no-response tr", has_text="Avon and Somerset Police")
    expect(row).to_contain_text("not collected")
    expect(row).to_contain_text("nothing is known")


def test_a_force_page_shows_its_responses_and_office_holders(server, page):
    base, _ = server
    page.goto(base + "/forces?today=2024-03-01")
    page.get_by_role("link", name="Warwickshire Police", exact=True).click()
    expect(page.locator("h1")).to_have_text("Warwickshire Police")
    expect(page.locator("#office-holders")).to_contain_text("Philip Seccombe")
    expect(page.locator(".pager").first).to_contain_text("page 1 of")  # every report it is expected to answer
    page.locator(".facets").get_by_role("link", name="on time", exact=True).click()
    row = page.locator("#responses tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("National Child Protection Inspections")
    expect(row).to_contain_text("2020-03-27")
    expect(row.locator("td").nth(4)).to_have_text("day 30 of 56")  # 29 days after publication, day 1
    expect(row.locator("td").nth(5)).to_contain_text("yes")  # complete


def test_a_matrix_row_opens_to_its_documents(server, page):
    base, _ = server
    page.goto(base + "/reports/ncpi-2019-thematic")
    row = page.locator("#matrix tbody tr", has_text="Warwickshire Police")
    documents = row.locator("td.docs details")
    expect(documents.get_by_role("link")).to_be_hidden()
    documents.locator("summary").click()
    letter = documents.get_by_role("link", name="letter 2020-03-27")
    expect(letter).to_be_visible()
    expect(documents).to_contain_text("judged")
    letter.click()
    expect(page.locator("h1")).to_contain_text("Warwickshire Police")
    page.go_back()
    page.get_by_role("link", name="Days", exact=True).click()  # a sortable heading
    expect(page).to_have_url(base + "/reports/ncpi-2019-thematic?sort=days")
    expect(page.locator("#matrix tbody tr th").first).to_have_text("Dorset Police")  # 18 days, the fewest


def test_search_pages_through_its_results(server, page):
    base, _ = server
    page.goto(base + "/search?per_page=2")  # no words: every document, newest first
    pager = page.locator(".pager").first
    expect(pager).to_contain_text("page 1 of")
    first = page.locator("#hits li").all_inner_texts()
    assert len(first) == 2
    pager.get_by_role("link", name="Next →").click()
    expect(page.locator(".pager").first).to_contain_text("page 2 of")
    second = page.locator("#hits li").all_inner_texts()
    assert second and not set(first) & set(second)
    page.get_by_label("Words").fill("recommendations")
    page.get_by_label("Words").press("Enter")
    expect(page.locator(".pager").first).to_contain_text("documents")
    page.locator(".facets").get_by_role("link", name="Dorset Police").click()  # a facet narrows the hits
    expect(page.locator("#hits li")).to_have_count(1)
    expect(page.locator("#hits li").first).to_contain_text("Dorset Police")


def test_a_mixed_upload_gives_each_file_its_outcome_and_the_review_queue_keeps_the_rest(server, page):
    base, folder = server
    good = folder / "letter-v2.txt"
    good.write_bytes(corpus_files()[1].read_bytes().replace(b"27th March 2020", b"30th March 2020"))
    program = folder / "program.exe"
    program.write_bytes(b"MZ\x90\x00")
    broken = folder / "broken.pdf"
    broken.write_bytes(b"%PDF-1.7 and then nothing")
    uncatalogued = folder / "uncatalogued-peel.txt"
    uncatalogued.write_bytes((ROOT / "tests/letters/uncatalogued-peel.txt").read_bytes())
    sign_in(page, base, "alex")
    upload(page, base, good, program, broken, uncatalogued)
    rows = page.locator("#outcomes tbody tr")
    expect(rows).to_have_count(4)
    expect(rows.nth(0)).to_contain_text("stored")
    expect(rows.nth(1)).to_contain_text("unsupported format (.exe)")
    expect(rows.nth(2)).to_contain_text("not a readable PDF")
    expect(rows.nth(3)).to_contain_text("stored")
    expect(page.locator("#upload-summary")).to_contain_text("2 stored, 2 failed")
    page.get_by_role("link", name="review queue").click()
    expect(page.locator("#failed")).to_contain_text("broken.pdf")
    expect(page.locator("#unattached")).to_contain_text("the report is not in the catalogue")
    page.locator("#unattached").get_by_role("link", name="uncatalogued-peel.txt").click()
    expect(page.locator(".lead")).to_contain_text("Not attached to a response")


def test_errors_are_plain_pages_and_the_api_docs_come_from_the_app(server, page):
    base, _ = server
    outside = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(base) else None)
    page.goto(base + "/documents/9999")
    expect(page.locator("h1")).to_have_text("Not found")
    expect(page.locator("#error-message")).to_have_text("no document with id 9999")
    page.goto(base + "/docs")
    expect(page.locator('#swagger-ui [data-path="/api/reports/{report_id}"]')).to_have_count(1)
    page.locator('#swagger-ui [data-path="/api/overview"]').click()
    page.locator("#swagger-ui").get_by_role("button", name="Execute").click()  # a real request, from the page
    expect(page.locator("#swagger-ui .responses-wrapper")).to_contain_text('"overdue_total"')
    assert outside == []


def test_a_case_from_opening_to_publishing(server, page):
    """Staff draft in the one form, are refused with the one unanswered recommendation named,
    complete it; another approver approves, then publishes; the letter is on the report's
    matrix, on time."""
    base, _ = server
    sign_in(page, base, "sam")
    page.goto(base + "/cases")
    page.get_by_label("Report expecting Warwickshire Police's response").select_option(REPORT_ID)
    page.get_by_role("button", name="Open case").click()
    expect(page.locator("#state")).to_have_text("draft")
    expect(page.locator("#days-left")).to_have_text("45")  # published ten days ago: day 11 of 56
    page.get_by_label("Chief constable's comments requested by").fill(
        (dt.date.today() + dt.timedelta(days=14)).isoformat())
    page.get_by_label("1. The local policing body's comments").fill(
        "I welcome this inspection. Detainees are among the most vulnerable people the police deal with.")
    page.get_by_label("2. The chief constable's comments").fill(
        "The force accepts the findings and has begun work on each recommendation.")
    page.get_by_label("3. The body's comments on the chief constable's comments").fill(
        "I will hold the Chief Constable to account for this work at my performance meetings.")

    def answer(number: int, stance: str, explanation: str = "") -> None:
        page.get_by_label(f"Stance on recommendation {number}", exact=True).select_option(stance)
        page.get_by_label(f"Explanation for recommendation {number}").fill(explanation)

    def step(number: int, description: str, owner: str, due: str) -> None:
        page.get_by_label(f"Step 1 for recommendation {number}", exact=True).fill(description)
        page.get_by_label(f"Owner of step 1 for recommendation {number}", exact=True).fill(owner)
        page.get_by_label(f"Due date of step 1 for recommendation {number}", exact=True).fill(due)

    def save() -> None:
        page.get_by_role("button", name="Save the draft").click()
        expect(page.locator("#save-status")).to_contain_text("Saved at")

    answer(1, "accepted")
    step(1, "Add a risk review to every custody shift handover", "Ch Supt Custody", "2030-03-31")
    answer(2, "not accepted", "Children are not strip-searched in this force's custody suites: the policy forbids it.")
    save()
    page.get_by_label("I have checked the draft: send it for approval").check()
    page.get_by_role("button", name="Send for approval").click()
    refusal = page.locator("#refusal")
    expect(refusal).to_be_visible()
    expect(refusal.locator("li")).to_have_count(1)
    expect(refusal.locator("li")).to_have_text("Recommendation 3 has no stance")
    expect(page.locator("#state")).to_have_text("draft")
    # Each recommendation's card in its stance's colour: green accepted, red not accepted, grey unanswered.
    expect(page.locator("#rec-1")).to_have_css("border-left-color", "rgb(19, 94, 43)")
    expect(page.locator("#rec-2")).to_have_css("border-left-color", "rgb(138, 28, 20)")
    expect(page.locator("#rec-3")).to_have_css("border-left-color", "rgb(154, 163, 173)")

    answer(3, "partially accepted", "A nurse on call covers the smaller suites.")
    step(3, "Recruit two custody nurses for the central suite", "Head of Custody", "2030-09-30")
    save()
    page.get_by_label("I have checked the draft: send it for approval").check()
    page.get_by_role("button", name="Send for approval").click()
    expect(page.locator("#state")).to_have_text("awaiting approval")
    expect(page.get_by_role("button", name="Approve")).to_have_count(0)  # staff cannot

    page.get_by_role("button", name="Sign out").click()
    sign_in(page, base, "ann")
    page.goto(base + "/cases")
    page.get_by_role("link", name=TITLE).first.click()
    page.get_by_role("button", name="Approve", exact=True).click()  # without the confirmation: refused, focus there
    expect(page.locator("#state")).to_have_text("awaiting approval")
    page.get_by_label("I have read the letter and approve it; I did not write it").check()
    page.get_by_role("button", name="Approve", exact=True).click()
    expect(page.locator("#state")).to_have_text("approved")
    page.get_by_label("Publish the letter now, dated today, and send it to the Home Secretary and HMICFRS").check()
    page.get_by_role("button", name="Publish", exact=True).click()
    letter = page.locator("main.sheet")
    expect(letter).to_contain_text("Dear Home Secretary and Chief Inspector")
    expect(letter).to_contain_text("Recommendation 3: Partially accepted")
    expect(letter).to_contain_text("Yours faithfully")
    expect(letter).to_contain_text(dt.date.today().strftime("%-d %B %Y"))

    page.get_by_role("link", name="The report's responses").click()
    row = page.locator("#matrix tr", has=page.get_by_role("link", name="Warwickshire Police", exact=True))
    expect(row.locator(".status")).to_have_text("on time")
    for number, stance in ((1, "accepted"), (2, "not accepted"), (3, "partially accepted")):
        expect(row.get_by_role("link", name=f"Warwickshire Police, recommendation {number}: {stance}")).to_be_visible()
    row.get_by_role("link", name="Warwickshire Police", exact=True).click()
    expect(page.locator("main")).to_contain_text("Recommendation 1: Accepted")


def _open_case(page, base: str, report: str) -> str:
    """A new case of Warwickshire's on `report`, opened from the cases page: its address."""
    page.goto(base + "/cases")
    page.get_by_label("Report expecting Warwickshire Police's response").select_option(report)
    page.get_by_role("button", name="Open case").click()
    expect(page.locator("#state")).to_have_text("draft")
    return page.url


def test_typing_in_two_sections_and_saving_keeps_both(server, page):
    base, _ = server
    sign_in(page, base, "sam")
    url = _open_case(page, base, "serious-youth-violence-2023")
    page.get_by_label("1. The local policing body's comments").fill("Typed in the comments section.")
    page.get_by_label("Explanation for recommendation 2").fill("Typed in the second recommendation.")
    page.get_by_role("button", name="Save the draft").click()
    expect(page.locator("#save-status")).to_contain_text("Saved at")
    page.goto(url)
    expect(page.get_by_label("1. The local policing body's comments")).to_have_value("Typed in the comments section.")
    expect(page.get_by_label("Explanation for recommendation 2")).to_have_value("Typed in the second recommendation.")
    # Typing alone saves the draft, a moment after the user stops.
    page.get_by_label("2. The chief constable's comments").fill("Saved without a click.")
    expect(page.locator("#save-status")).to_contain_text("Saved at")
    page.goto(url)
    expect(page.get_by_label("2. The chief constable's comments")).to_have_value("Saved without a click.")
    # A step with no owner: the problem beside its field, the focus on it, the text kept.
    page.get_by_label("Step 1 for recommendation 1", exact=True).fill("Train every officer in outcome 22")
    owner = page.get_by_label("Owner of step 1 for recommendation 1", exact=True)
    page.get_by_role("button", name="Save the draft").click()
    expect(owner).to_have_attribute("aria-invalid", "true")
    expect(owner).to_be_focused()
    expect(page.locator('[id="err-answers.0.steps.0.owner"]')).to_contain_text("say who will do it")
    expect(page.get_by_label("Step 1 for recommendation 1", exact=True)).to_have_value(
        "Train every officer in outcome 22")


def test_a_conflicting_save_offers_to_merge_without_losing_text(server, browser):
    base, _ = server
    first, second = (browser.new_context(viewport={"width": 1200, "height": 900}).new_page() for _ in range(2))
    sign_in(first, base, "sam")
    url = _open_case(first, base, "ncpi-2019-thematic")
    sign_in(second, base, "sam")
    second.goto(url)  # both have the same version
    first.get_by_label("2. The chief constable's comments").fill("The first person's words.")
    first.get_by_role("button", name="Save the draft").click()
    expect(first.locator("#save-status")).to_contain_text("Saved at")
    second.get_by_label("Explanation for recommendation 1").fill("The second person's words.")
    second.get_by_role("button", name="Save the draft").click()
    conflict = second.locator("#conflict")
    expect(conflict).to_be_visible()
    expect(conflict).to_be_focused()
    expect(second.get_by_label("Explanation for recommendation 1")).to_have_value("The second person's words.")
    second.get_by_role("button", name="Merge my changes with theirs").click()
    expect(second.locator("#save-status")).to_contain_text("Saved at")
    expect(second.get_by_label("2. The chief constable's comments")).to_have_value("The first person's words.")
    first.goto(url)
    expect(first.get_by_label("2. The chief constable's comments")).to_have_value("The first person's words.")
    expect(first.get_by_label("Explanation for recommendation 1")).to_have_value("The second person's words.")
    for p in (first, second):
        p.context.close()


def test_reloading_after_a_conflict_shows_theirs_with_my_text_kept_aside(server, browser):
    base, _ = server
    first, second = (browser.new_context(viewport={"width": 1200, "height": 900}).new_page() for _ in range(2))
    sign_in(first, base, "sam")
    url = _open_case(first, base, "asb-spotlight-2024")  # a report no other test here opens
    sign_in(second, base, "sam")
    second.goto(url)
    first.get_by_label("1. The local policing body's comments").fill("Their words, saved first.")
    first.get_by_role("button", name="Save the draft").click()
    expect(first.locator("#save-status")).to_contain_text("Saved at")
    second.get_by_label("1. The local policing body's comments").fill("My words, typed meanwhile.")
    second.get_by_role("button", name="Save the draft").click()
    expect(second.locator("#conflict-both")).to_contain_text("you both changed it")
    second.get_by_role("button", name="Reload theirs, keeping my text aside").click()
    expect(second.get_by_label("1. The local policing body's comments")).to_have_value("Their words, saved first.")
    expect(second.locator(".kept-aside")).to_contain_text("My words, typed meanwhile.")
    for p in (first, second):
        p.context.close()


def test_an_analyst_judges_a_response_on_its_late_statement(server, page):
    """The last test here: it changes Warwickshire's response, then puts it back."""
    base, folder = server
    press = folder / "warwickshire-statement.txt"
    press.write_bytes(statement("1 June 2020"))
    sign_in(page, base, "alex")
    upload(page, base, press)
    expect(page.locator("#outcomes")).to_contain_text("stored")
    page.goto(base + "/reports/ncpi-2019-thematic?today=2020-08-01")
    row = page.locator("#matrix tbody tr", has_text="Warwickshire Police")
    expect(row.locator(".status")).to_have_text("on time")
    row.locator("td.docs summary").click()
    row.get_by_role("button", name="use as the statutory document: Warwickshire Police's statement of 2020-06-01").click()
    row = page.locator("#matrix tbody tr", has_text="Warwickshire Police")
    expect(row.locator(".status")).to_have_text("late")
    expect(row.locator("td.num")).to_have_text("day 96: 40 days late")  # 95 days taken: the 96th day of the period
    row.locator("td.docs summary").click()
    expect(row.locator("td.docs")).to_contain_text("chosen by alex")
    row.get_by_role("button", name="back to the default: judge Warwickshire Police on its earliest letter or page").click()
    expect(page.locator("#matrix tbody tr", has_text="Warwickshire Police").locator(".status")).to_have_text("on time")


def test_the_pages_keep_to_their_content_security_policy(server, page):
    """Every page loads under the policy the app sends (no inline script or style), the
    evidence highlighting and the API docs' Swagger UI included: the browser reports no
    violation."""
    base, _ = server
    violations = []
    page.on("console", lambda m: violations.append(f"{page.url}: {m.text}") if "Content Security Policy" in m.text
            else None)
    page.goto(base + "/")
    expect(page.locator("#reports")).to_contain_text("National Child Protection Inspections")
    page.goto(base + "/reports/ncpi-2019-thematic")
    expect(page.locator("#matrix")).to_contain_text("Warwickshire Police")
    page.goto(base + "/documents")
    page.goto(base + "/documents/2#rec-2")
    expect(page.locator("mark.ev.active").first).to_be_visible()  # app.js ran
    page.goto(base + "/search?q=recommend")
    expect(page.locator("#hits li").first).to_be_visible()
    page.goto(base + "/forces")
    page.goto(base + "/documents/9999")
    page.goto(base + "/docs")
    page.locator('#swagger-ui [data-path="/api/overview"]').click()
    page.locator("#swagger-ui").get_by_role("button", name="Execute").click()
    expect(page.locator("#swagger-ui .responses-wrapper")).to_contain_text('"overdue_total"')
    sign_in(page, base, "sam")
    for path in ("/cases", "/actions", "/due", "/account"):
        page.goto(base + path)
        expect(page.locator("h1")).to_be_visible()
    assert violations == []
