"""What both browser tests share: one headless Chromium per test module (Debian's
`chromium` and `chromium-driver`; CHROMIUM and CHROMEDRIVER override their paths), and
screenshots when SIGMAP_SCREENSHOTS names a directory."""

import os
import pathlib

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

SHOTS = os.environ.get("SIGMAP_SCREENSHOTS")


@pytest.fixture(scope="module")
def driver():
    options = webdriver.ChromeOptions()
    options.binary_location = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--hide-scrollbars",
        "--window-size=1280,900",
        "--force-device-scale-factor=1",
    ):
        options.add_argument(arg)
    # the console and the network log: the tests assert on errors and requests
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    service = Service(os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver"))
    d = webdriver.Chrome(service=service, options=options)
    d.set_window_size(1280, 900)
    yield d
    d.quit()


@pytest.fixture(scope="session")
def shot():
    """`shot(driver, name)`: a screenshot named `name` in SIGMAP_SCREENSHOTS, if set."""

    def take(driver, name):
        if SHOTS:
            pathlib.Path(SHOTS).mkdir(parents=True, exist_ok=True)
            driver.save_screenshot(str(pathlib.Path(SHOTS) / name))

    return take
