"""Reporting a child missing with the keyboard alone: Tab, Shift+Tab, Enter, Space, arrow keys and typing.

After signing in (set-up), not one click: from the home page find the child, open the report form from their
record, submit it too early (the GOV.UK error summary takes focus), fill it in and submit it, and see the
confirmation. Every element reached has a visible focus indicator (GOV.UK's yellow focus state).
"""

import pytest
from django.conf import settings
from playwright.sync_api import expect

from casework.models import User
from missing_episodes.models import MissingEpisode
from tests.factories.children import child_in_care

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
expect.set_options(timeout=10_000)

MAX_TABS = 80
GOVUK_FOCUS_YELLOW = "rgb(255, 221, 0)"

# The focused element, described for matching, and whether its focus can be seen: GOV.UK focus states paint
# the element (or, for radios and checkboxes, the label's ::before box) yellow or outline it.
ACTIVE = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  const box = el.getBoundingClientRect();
  let indicator = [style.backgroundColor, style.outlineStyle !== 'none' ? style.outlineColor : '', style.boxShadow];
  if (el.matches('.govuk-radios__input, .govuk-checkboxes__input')) {
    const label = el.parentElement.querySelector('label');
    indicator.push(getComputedStyle(label, '::after').boxShadow, getComputedStyle(label, '::before').boxShadow);
  }
  return {
    tag: el.tagName.toLowerCase(),
    id: el.id,
    classes: el.className || '',
    text: (el.innerText || el.value || '').trim().slice(0, 80),
    type: el.type || '',
    name: el.name || '',
    checked: !!el.checked,
    visible: box.width > 0 && box.height > 0,
    indicator: indicator.join(' | '),
  };
}"""


def focused(page) -> dict:
    return page.evaluate(ACTIVE)


def assert_focus_visible(page) -> dict:
    element = focused(page)
    assert element is not None, "nothing has focus"
    assert element["visible"], f"focused element is not visible: {element}"
    indicator = element["indicator"]
    assert GOVUK_FOCUS_YELLOW in indicator or "rgb(11, 12, 12)" in indicator, f"no visible focus state: {element}"
    return element


def tab_until(page, matches, *, key="Tab", what="") -> dict:
    for _ in range(MAX_TABS):
        page.keyboard.press(key)
        element = focused(page)
        if element and matches(element):
            return assert_focus_visible(page)
    pytest.fail(f"{key} never reached {what or matches}: last focus {focused(page)}")


@pytest.fixture
def trafficked_child(demo_users):
    worker = User.objects.get(username="social.worker")
    return child_in_care(
        by=worker,
        team=worker.team,
        allocated_social_worker=worker,
        first_name="Arben",
        last_name="Hoxha",
        trafficking_status="suspected",
    )


def test_report_a_child_missing_with_the_keyboard_only(live_server, signed_in_page, trafficked_child, console_errors):
    page = signed_in_page("social.worker", settings.DEMO_PASSWORD)
    page.goto(live_server.url + "/")  # the home page, freshly loaded: focus starts at the top
    expect(page.get_by_role("heading", level=1)).to_be_visible()

    # The first Tab lands on the skip link, which shows itself.
    page.keyboard.press("Tab")
    skip = assert_focus_visible(page)
    assert "govuk-skip-link" in skip["classes"] and skip["text"] == "Skip to main content"
    # Enter on it moves focus to <main>; the next Tab is inside the page's content, past header and navigation.
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()

    # Find the child from the home page's search box.
    tab_until(page, lambda e: e["id"] == "home-child-search", what="the Find a child box")
    page.keyboard.type("Hoxha")
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_contain_text("Search results")

    # Open their record: the link in the results.
    tab_until(page, lambda e: e["tag"] == "a" and "Arben Hoxha" in e["text"], what="the child's link")
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_contain_text("Arben Hoxha")

    # Their record's "Report missing" button (a link styled as a button: Space works too, as for a button).
    tab_until(page, lambda e: e["text"] == "Report missing", what="Report missing")
    page.keyboard.press("Space")
    expect(page.get_by_role("heading", level=1)).to_have_text("Report a child missing")
    expect(page.locator("#report-child")).to_contain_text("Arben Hoxha")

    # Submit before answering: the error summary receives focus.
    tab_until(page, lambda e: e["tag"] == "button" and e["text"] == "Report missing", what="the submit button")
    page.keyboard.press("Enter")
    page.wait_for_load_state("load")
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    assert page.title().startswith("Error:")
    # Its first link takes focus to the question that needs an answer.
    tab_until(
        page,
        lambda e: e["tag"] == "a" and "govuk-error-summary" in (e["classes"] + page_classes(page)),
        what="an error link",
    )
    page.keyboard.press("Enter")
    expect(page.locator("#id_kind_0")).to_be_focused()  # the first radio of "Missing or away"

    # Missing or away: the first radio of the group is "Missing"; Space chooses it.
    page.keyboard.press("Shift+Tab")
    kind = tab_until(page, lambda e: e["name"] == "kind", what="the missing or away radios")
    page.keyboard.press("Space")
    assert focused(page)["checked"], kind
    expect(page.get_by_label("Missing", exact=True)).to_be_checked()

    # Last seen: type into the text box.
    tab_until(page, lambda e: e["name"] == "last_seen_location", what="where they were last seen")
    page.keyboard.type("Northbridge bus station")

    # Reported to the police? Arrow keys move through the radio group and choose: "No, not yet".
    police = tab_until(page, lambda e: e["name"] == "reported_to_police", what="the police radios")
    for _ in range(4):
        if page.get_by_label("No, not yet").is_checked():
            break
        page.keyboard.press("ArrowRight")
    expect(page.get_by_label("No, not yet")).to_be_checked()
    assert police["name"] == "reported_to_police"

    # Submit, and see the confirmation.
    tab_until(page, lambda e: e["tag"] == "button" and e["text"] == "Report missing", what="the submit button")
    page.keyboard.press("Enter")
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Arben Hoxha is recorded as missing. Alerts are being sent"
    )
    episode = MissingEpisode.objects.get(child=trafficked_child)
    assert episode.last_seen_location == "Northbridge bus station"
    assert episode.kind == "M"
    # The too-early submission answers 400 on purpose (the form with its errors): nothing else may fail.
    assert not [e for e in console_errors if "status of 400" not in e], console_errors


def page_classes(page) -> str:
    """The classes of the focused element's ancestors (an error summary link sits inside the summary)."""
    script = "() => { let c = ''; for (let n = document.activeElement; n; n = n.parentElement) c += ' ' + n.className;"
    return page.evaluate(script + " return c; }")
