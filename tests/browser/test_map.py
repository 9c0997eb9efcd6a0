"""The interactive map (`sigmap map PETITION -o map.html`) in a real browser.

Headless Chromium (Debian's `chromium` and `chromium-driver`) driven by selenium. Run by
tests/browser/run.sh, which builds the binary and sets:

- SIGMAP_MAP: the page, written by `sigmap map ... --to 2024 -o map.html`
- SIGMAP_AREAS_CSV: areas.csv of `sigmap report` on the same petition and options
- SIGMAP_SCREENSHOTS (optional): a directory for screenshots at 1280 and 375 px
"""

import csv
import json
import os
import pathlib
import time

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.actions.action_builder import ActionBuilder
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select

MAP = pathlib.Path(os.environ["SIGMAP_MAP"]).resolve()
AREAS_CSV = pathlib.Path(os.environ["SIGMAP_AREAS_CSV"])
URL = MAP.as_uri()
GEO = "svg[data-view=geo]"
HEX = "svg[data-view=hex]"


# -- the page's number formats, as map.js writes them ----------------------------------
def integer(v):
    return f"{int(v):,}"


def dec(v):
    v = float(v)
    a = abs(v)
    return f"{v:.{0 if a >= 100 else 1 if a >= 10 else 2}f}"


@pytest.fixture(scope="module")
def rows():
    with open(AREAS_CSV, newline="", encoding="utf-8") as f:
        return {r["code"]: r for r in csv.DictReader(f)}


def load(driver, width=1280, height=900):
    driver.set_window_size(width, height)
    driver.get(URL)
    assert driver.execute_script("return document.readyState") == "complete"
    # the script marks each map it has wired
    assert driver.execute_script("return !!document.querySelector('[data-sigmap-map][data-ready]')")


def viewbox(driver, sel=GEO):
    return [float(x) for x in driver.find_element(By.CSS_SELECTOR, sel).get_dom_attribute("viewBox").split()]


def point_inside(driver, code, sel=GEO):
    """A point (client coordinates) where the seat's shape, and nothing else, is hit."""
    return driver.execute_script(
        """
        const p = document.querySelector(arguments[1] + ' path[data-code="' + arguments[0] + '"]');
        p.closest('.sm-stage').scrollIntoView({block: 'nearest'});
        const r = p.getBoundingClientRect();
        for (let i = 1; i < 12; i++) for (let j = 1; j < 12; j++) {
          const x = Math.round(r.left + r.width * i / 12), y = Math.round(r.top + r.height * j / 12);
          if (document.elementFromPoint(x, y) === p) return [x, y];
        }
        return null;
        """,
        code,
        sel,
    )


def hover(driver, x, y):
    actions = ActionBuilder(driver)
    actions.pointer_action.move_to_location(int(x), int(y))
    actions.perform()


def tip(driver):
    t = driver.find_element(By.CSS_SELECTOR, ".sm-tip")
    return t if t.is_displayed() else None


def expected_facts(row):
    return [
        row["name"],
        integer(row["signatures"]),
        f"{dec(row['per_1k_voters'])} (95% interval {dec(row['ci95_low_per_1k_voters'])}–{dec(row['ci95_high_per_1k_voters'])})",
        f"{dec(row['per_1k_electors'])} (95% interval {dec(row['ci95_low_per_1k_electors'])}–{dec(row['ci95_high_per_1k_electors'])})",
        f"Rank per 1,000 voters: {row['rank_per_1k_voters']} of 650",
    ]


# map.js's words for the cluster labels of areas.csv
LISA = {
    "High-High": "High-High: a hot spot",
    "Low-Low": "Low-Low: a cold spot",
    "High-Low": "High-Low: high among low",
    "Low-High": "Low-High: low among high",
    "Not significant": "Not significant",
    "Isolated": "No neighbours (not tested)",
}


def plausible(row):
    lo, hi = row["rank_best_per_1k_voters"], row["rank_worst_per_1k_voters"]
    return f"plausibly {lo}" if lo == hi else f"plausibly {lo}–{hi}"


# -- the tests -----------------------------------------------------------------------------
def test_loads_without_errors_or_requests(driver):
    driver.get_log("browser")
    driver.get_log("performance")
    load(driver)
    time.sleep(0.3)
    errors = [e for e in driver.get_log("browser") if e["level"] in ("SEVERE", "ERROR", "WARNING")]
    assert errors == [], errors
    requests, failed = [], []
    for entry in driver.get_log("performance"):
        msg = json.loads(entry["message"])["message"]
        if msg["method"] == "Network.requestWillBeSent":
            requests.append(msg["params"]["request"]["url"])
        elif msg["method"] == "Network.loadingFailed":
            failed.append(msg["params"])
    assert failed == []
    # the page itself and nothing else: no script, style, font or image is fetched
    assert requests == [URL], requests
    assert driver.title.endswith("· signatures by constituency")
    assert driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en-GB"


def test_650_seats_on_the_map(driver, shot):
    load(driver)
    n = driver.execute_script(
        "return document.querySelectorAll(arguments[0] + ' .sm-seats path[data-code]').length", GEO
    )
    assert n == 650
    # every seat is drawn with a size, and named for screen readers
    empty = driver.execute_script(
        """return [...document.querySelectorAll(arguments[0] + ' .sm-seats path')]
             .filter(p => { const b = p.getBBox(); return !(b.width > 0 && b.height > 0) || !p.getAttribute('aria-label'); })
             .map(p => p.dataset.code)""",
        GEO,
    )
    assert empty == []
    shot(driver, "map-1280.png")


@pytest.mark.parametrize("code", ["W07000112", "E14001172", "S14000027"])
def test_hover_shows_the_numbers_of_areas_csv(driver, rows, code, shot):
    load(driver)
    row = rows[code]
    at = point_inside(driver, code)
    assert at, f"{code} cannot be hit on the map"
    hover(driver, *at)
    t = tip(driver)
    assert t is not None
    assert t.get_attribute("data-code") == code
    text = t.text
    for fact in expected_facts(row):
        assert fact in text, (fact, text)
    if row["rank_best_per_1k_voters"]:
        assert plausible(row) in text
    if row["lisa_label"]:
        assert LISA[row["lisa_label"]] in text
    if row["unusual"]:
        assert f"Unusually {row['unusual']}" in text
    elif row["obs_exp"]:
        assert "Not unusual" in text
    # the highlight follows the pointer
    hl = driver.find_element(By.CSS_SELECTOR, GEO + " .sm-hl").get_attribute("d")
    seat = driver.find_element(By.CSS_SELECTOR, f'{GEO} path[data-code="{code}"]').get_attribute("d")
    assert hl == seat
    if code == "W07000112":
        shot(driver, "map-1280-tooltip.png")


def test_search_forgives_accents_and_case_and_zooms(driver, rows):
    load(driver)
    before = viewbox(driver)
    q = driver.find_element(By.CSS_SELECTOR, ".sm-q")
    q.send_keys("ynys mon")
    options = driver.find_elements(By.CSS_SELECTOR, ".sm-results [role=option]")
    assert options and options[0].text.startswith("Ynys Môn"), [o.text for o in options]
    assert q.get_attribute("aria-expanded") == "true"
    q.send_keys(Keys.ENTER)
    after = viewbox(driver)
    assert after[2] < before[2] / 3, (before, after)
    active = driver.switch_to.active_element
    assert active.get_attribute("data-code") == "W07000112"
    t = tip(driver)
    assert t is not None and "Ynys Môn" in t.text
    assert integer(rows["W07000112"]["signatures"]) in t.text
    # accents the other way round, and a code
    q.clear()
    q.send_keys("YNYS MÔN")
    assert driver.find_elements(By.CSS_SELECTOR, ".sm-results [role=option]")[0].text.startswith("Ynys Môn")
    q.clear()
    q.send_keys("e14001172")
    assert driver.find_elements(By.CSS_SELECTOR, ".sm-results [role=option]")[0].text.startswith(
        rows["E14001172"]["name"]
    )


def fills(driver, sel=GEO):
    return driver.execute_script(
        "return [...document.querySelectorAll(arguments[0] + ' .sm-seats path')].map(p => p.getAttribute('fill'))",
        sel,
    )


def page_data(driver):
    return driver.execute_script("return JSON.parse(document.querySelector('.sm-data').textContent)")


def test_metric_switch_recolours(driver):
    load(driver)
    data = page_data(driver)
    codes = data["seats"]["code"]
    order = driver.execute_script(
        "return [...document.querySelectorAll(arguments[0] + ' .sm-seats path')].map(p => p.dataset.code)", GEO
    )
    index = {c: i for i, c in enumerate(codes)}
    seen = {}
    for layer in data["layers"]:
        Select(driver.find_element(By.CSS_SELECTOR, ".sm-metric")).select_by_value(layer["key"])
        got = fills(driver)
        want = [layer["colours"][layer["fill"][index[c]]] for c in order]
        assert got == want, layer["key"]
        legend = driver.find_element(By.CSS_SELECTOR, ".sm-legend-title").text
        assert legend == layer["title"]
        items = driver.find_elements(By.CSS_SELECTOR, ".sm-classes li")
        assert len(items) == len(layer["legend"])
        seen[layer["key"]] = got
    assert seen["per_1k_voters"] != seen["signatures"]
    assert seen["lisa"] != seen["per_1k_voters"]
    assert {"per_1k_voters", "per_1k_electors", "signatures", "lisa"} <= set(seen)


def test_hex_view_shows_650_hexes(driver, rows, shot):
    load(driver)
    Select(driver.find_element(By.CSS_SELECTOR, ".sm-metric")).select_by_value("lisa")
    driver.find_element(By.CSS_SELECTOR, ".sm-view[data-view=hex]").click()
    hexmap = driver.find_element(By.CSS_SELECTOR, HEX)
    assert hexmap.is_displayed()
    assert not driver.find_element(By.CSS_SELECTOR, GEO).is_displayed()
    assert driver.find_element(By.CSS_SELECTOR, ".sm-view[data-view=hex]").get_attribute("aria-pressed") == "true"
    sizes = driver.execute_script(
        "return [...document.querySelectorAll(arguments[0] + ' .sm-seats path[data-code]')].map(p => { const b = p.getBBox(); return [b.width, b.height]; })",
        HEX,
    )
    assert len(sizes) == 650
    assert all(w > 0 and h > 0 for w, h in sizes)
    # hexes share one size: a cartogram, every seat equal
    assert max(w for w, _ in sizes) - min(w for w, _ in sizes) < 0.2
    # the LISA colours carried over, and the tooltip works on hexes too
    code = "W07000112"
    at = point_inside(driver, code, HEX)
    hover(driver, *at)
    t = tip(driver)
    assert t is not None and t.get_attribute("data-code") == code
    assert LISA[rows[code]["lisa_label"]] in t.text
    shot(driver, "hex-1280-lisa.png")


def test_zoom_and_pan(driver):
    load(driver)
    base = viewbox(driver)
    driver.find_element(By.CSS_SELECTOR, "[data-zoom=in]").click()
    zoomed = viewbox(driver)
    assert zoomed[2] < base[2]
    # drag pans
    svg = driver.find_element(By.CSS_SELECTOR, GEO)
    ActionChains(driver).move_to_element(svg).click_and_hold().move_by_offset(60, 40).release().perform()
    panned = viewbox(driver)
    assert panned[2] == pytest.approx(zoomed[2])
    assert panned[0] < zoomed[0] and panned[1] < zoomed[1]
    # the wheel zooms
    ActionChains(driver).scroll_to_element(svg).perform()
    ActionChains(driver).move_to_element(svg).perform()
    from selenium.webdriver.common.actions.wheel_input import ScrollOrigin

    ActionChains(driver).scroll_from_origin(ScrollOrigin.from_element(svg), 0, -300).perform()
    wheeled = viewbox(driver)
    assert wheeled[2] < panned[2]
    driver.find_element(By.CSS_SELECTOR, "[data-zoom=reset]").click()
    assert viewbox(driver) == base


def test_keyboard(driver):
    load(driver)
    base = viewbox(driver)
    # tab from the last control into the map: one tab stop, a seat
    driver.execute_script("document.querySelector('[data-zoom=reset]').focus()")
    ActionChains(driver).send_keys(Keys.TAB).perform()
    first = driver.switch_to.active_element
    code = first.get_attribute("data-code")
    assert code, "Tab does not reach a seat"
    t = tip(driver)
    assert t is not None and t.get_attribute("data-code") == code
    # arrows move between seats, +/- zoom, Enter zooms to the seat, 0 resets
    ActionChains(driver).send_keys(Keys.ARROW_RIGHT).perform()
    second = driver.switch_to.active_element.get_attribute("data-code")
    assert second and second != code
    assert tip(driver).get_attribute("data-code") == second
    ActionChains(driver).send_keys("+").perform()
    assert viewbox(driver)[2] < base[2]
    ActionChains(driver).send_keys("0").perform()
    assert viewbox(driver) == base
    ActionChains(driver).send_keys(Keys.ENTER).perform()
    assert viewbox(driver)[2] < base[2] / 3
    # one tab stop: the next Tab leaves the map
    ActionChains(driver).send_keys(Keys.TAB).perform()
    assert driver.switch_to.active_element.get_attribute("data-code") is None
    # every control has a name
    unnamed = driver.execute_script(
        """return [...document.querySelectorAll('input, select, button')].filter(e => {
             const l = e.labels && e.labels.length ? e.labels[0].textContent : '';
             return !(l.trim() || e.getAttribute('aria-label') || e.textContent.trim());
           }).map(e => e.outerHTML)"""
    )
    assert unnamed == []


def test_phone_width(driver, rows, shot):
    load(driver, 375, 812)
    assert driver.execute_script("return window.innerWidth") == 375
    # nothing wider than the screen
    assert driver.execute_script("return document.documentElement.scrollWidth") <= 375
    for sel in (".sm-q", ".sm-metric", "[data-zoom=in]", ".sm-view[data-view=hex]", GEO):
        e = driver.find_element(By.CSS_SELECTOR, sel)
        assert e.is_displayed()
        r = driver.execute_script("const r = arguments[0].getBoundingClientRect(); return [r.left, r.right];", e)
        assert r[0] >= 0 and r[1] <= 375, (sel, r)
    shot(driver, "map-375.png")
    # a tap on a seat shows its numbers in the docked tooltip
    q = driver.find_element(By.CSS_SELECTOR, ".sm-q")
    q.send_keys("ynys mon", Keys.ENTER)
    t = tip(driver)
    assert t is not None and "Ynys Môn" in t.text
    tr = driver.execute_script("const r = arguments[0].getBoundingClientRect(); return [r.left, r.right];", t)
    assert tr[0] >= 0 and tr[1] <= 375
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", driver.find_element(By.CSS_SELECTOR, GEO))
    shot(driver, "map-375-search.png")
    q.clear()
    code = "E14001172"
    driver.execute_script("document.activeElement.blur()")
    driver.find_element(By.CSS_SELECTOR, "[data-zoom=reset]").click()
    at = point_inside(driver, code)
    assert at
    actions = ActionBuilder(driver)
    actions.pointer_action.move_to_location(int(at[0]), int(at[1])).click()
    actions.perform()
    t = tip(driver)
    assert t is not None and t.get_attribute("data-code") == code
    assert integer(rows[code]["signatures"]) in t.text


def test_tables_are_the_text_alternative(driver, rows):
    load(driver)
    top = driver.find_elements(By.CSS_SELECTOR, "section[id$=-tables] > .sm-table tbody tr")
    assert len(top) == 20
    first = top[0].find_elements(By.CSS_SELECTOR, "td, th")
    best = min(rows.values(), key=lambda r: (int(r["rank_per_1k_voters"]), r["name"]))
    assert first[2].text == best["name"]
    assert first[3].text == integer(best["signatures"])
    assert first[4].text == dec(best["per_1k_voters"])
    # a seat's name in the table finds it on the map
    top[0].find_element(By.CSS_SELECTOR, "button").click()
    t = tip(driver)
    assert t is not None and t.get_attribute("data-code") == best["code"]
