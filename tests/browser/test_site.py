"""The static site (`sigmap site PETITION... --out DIR`) in a real browser.

Headless Chromium (Debian's `chromium` and `chromium-driver`) driven by selenium. Run by
tests/browser/run.sh, which builds the binary and sets:

- SIGMAP_SITE: the site's folder, written by `sigmap site ... --to 2024 --out DIR`
- SIGMAP_SITE_PETITION: the number of a petition of the site
- SIGMAP_SCREENSHOTS (optional): a directory for screenshots at 1280 and 375 px
"""

import json
import os
import pathlib
import time
import urllib.parse
import urllib.request

import pytest
from selenium.webdriver.common.by import By

SITE = pathlib.Path(os.environ["SIGMAP_SITE"]).resolve()
PETITION = os.environ["SIGMAP_SITE_PETITION"]
SEAT = "E14001149"
PAGES = {
    "index": SITE / "index.html",
    "petition": SITE / "petitions" / f"{PETITION}.html",
    "seat": SITE / "seats" / f"{SEAT}.html",
}


def load(driver, kind, width=1280, height=900):
    driver.set_window_size(width, height)
    driver.get(PAGES[kind].as_uri())
    assert driver.execute_script("return document.readyState") == "complete"
    # lazy images below the fold: bring them in so that their requests are checked too
    driver.execute_script("document.querySelectorAll('img[loading=lazy]').forEach(i => i.loading = 'eager')")
    time.sleep(0.3)


def local_file(url):
    """The file a file:// URL names (fragment dropped), or None for any other URL."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme != "file":
        return None
    return pathlib.Path(urllib.request.url2pathname(parts.path))


@pytest.mark.parametrize("kind", list(PAGES))
def test_loads_without_errors_or_failed_requests(driver, kind):
    driver.get_log("browser")
    driver.get_log("performance")
    load(driver, kind)
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
    # only files of the site: no CDN, no web font, nothing outside the folder
    for url in requests:
        path = local_file(url)
        assert path is not None and SITE in path.parents and path.is_file(), url
    html = driver.find_element(By.TAG_NAME, "html")
    assert html.get_attribute("lang") == "en-GB"
    assert driver.title.strip()
    # the shared style sheet applied
    assert driver.execute_script("return document.styleSheets.length") >= 1
    assert driver.execute_script("return getComputedStyle(document.body).margin") == "0px"


@pytest.mark.parametrize("kind", list(PAGES))
def test_every_link_resolves(driver, kind):
    load(driver, kind)
    links = driver.execute_script(
        """
        const out = [];
        for (const e of document.querySelectorAll('[href], [src]')) {
          const v = e.getAttribute('href') ?? e.getAttribute('src');
          out.push([e.tagName, v, new URL(v, document.baseURI).href]);
        }
        return out;
        """
    )
    assert len(links) > 5
    for tag, raw, url in links:
        if raw.startswith("#"):
            continue
        assert ":" not in raw and not raw.startswith("/"), (tag, raw)
        path = local_file(url)
        assert path is not None and path.is_file(), (tag, raw)
        assert SITE in path.parents, (tag, raw)


def test_index_lists_the_petitions_with_thumbnails(driver, shot):
    load(driver, "index")
    cards = driver.find_elements(By.CSS_SELECTOR, ".st-card")
    assert len(cards) == int(os.environ.get("SIGMAP_SITE_PETITIONS", "5"))
    sizes = driver.execute_script(
        "return [...document.querySelectorAll('.st-card img')].map(i => [i.complete, i.naturalWidth])"
    )
    assert sizes and all(done and w > 0 for done, w in sizes), sizes
    shot(driver, "site-index-1280.png")
    load(driver, "index", 375, 812)
    assert driver.execute_script("return document.documentElement.scrollWidth") <= 375
    shot(driver, "site-index-375.png")


def test_petition_page_map_has_650_seats_and_links_to_seats(driver, shot):
    load(driver, "petition")
    assert driver.execute_script("return !!document.querySelector('[data-sigmap-map][data-ready]')")
    n = driver.execute_script("return document.querySelectorAll('svg[data-view=geo] .sm-seats path[data-code]').length")
    assert n == 650
    assert driver.find_elements(By.CSS_SELECTOR, "#top + p + .sm-table tbody tr")
    # every control is labelled
    for e in driver.find_elements(By.CSS_SELECTOR, "input, select"):
        i = e.get_attribute("id")
        assert driver.find_elements(By.CSS_SELECTOR, f"label[for='{i}']"), i
    shot(driver, "site-petition-1280.png")
    load(driver, "petition", 375, 812)
    assert driver.execute_script("return document.documentElement.scrollWidth") <= 375
    shot(driver, "site-petition-375.png")
    # a seat in the top table opens its page
    load(driver, "petition")
    a = driver.find_element(By.CSS_SELECTOR, "#top ~ .sm-table tbody th a")
    name = a.text
    a.click()
    assert driver.current_url.startswith((SITE / "seats").as_uri())
    assert driver.find_element(By.TAG_NAME, "h1").text.startswith(name)


def test_seat_page_shows_the_seat_its_neighbours_and_the_petitions(driver, shot):
    load(driver, "seat")
    assert driver.find_element(By.CSS_SELECTOR, "svg.st-locator .st-seat").is_displayed()
    neighbours = driver.find_elements(By.CSS_SELECTOR, "svg.st-locator .st-neighbours a")
    assert len(neighbours) >= 2
    rows = driver.find_elements(By.CSS_SELECTOR, "#petitions ~ .sm-table tbody tr")
    assert len(rows) == int(os.environ.get("SIGMAP_SITE_PETITIONS", "5"))
    shot(driver, "site-seat-1280.png")
    load(driver, "seat", 375, 812)
    assert driver.execute_script("return document.documentElement.scrollWidth") <= 375
    shot(driver, "site-seat-375.png")
