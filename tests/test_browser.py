"""Issue #15 in a real browser (Selenium driving Debian's chromium through chromium-driver): a planner
opens the home page, clicks an example question, follows an answer to the institution's page, and from
one of its quotes to the sentence in the plan reader. Screenshots of each page go to out/browser/.

One `kg serve` (a process on a free loopback port, stopped by PID) and one browser for the module.
Skipped, saying why, only when no browser or driver is installed (scripts/install_system_deps.sh
installs chromium and chromium-driver).
"""

from __future__ import annotations

import os
import shutil

import pytest
from conftest import kg_serve

from kg.paths import REPO_DIR

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")
SHOTS = REPO_DIR / "out" / "browser"
ENV = os.environ | {"PYTHONIOENCODING": "utf-8", "NO_COLOR": "1"}

webdriver = pytest.importorskip("selenium.webdriver", reason="the selenium package is not installed "
                                                              "(pip install -e '.[test]')")
if not (CHROMIUM and DRIVER):
    pytest.skip("no browser: install Debian's chromium and chromium-driver (scripts/install_system_deps.sh)",
                allow_module_level=True)

from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support import expected_conditions as ec  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402


@pytest.fixture(scope="module")
def base(data_dir):
    with kg_serve(data_dir, "--quiet", "--workers", "1") as (_, url):
        yield url.rstrip("/")


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    options = Options()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,1000",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                f"--user-data-dir={tmp_path_factory.mktemp('chromium')}"):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    driver.set_page_load_timeout(60)
    SHOTS.mkdir(parents=True, exist_ok=True)
    try:
        yield driver
    finally:
        driver.quit()


def wait(driver, condition, seconds: float = 60):
    return WebDriverWait(driver, seconds).until(condition)


def no_script_error(driver) -> None:
    assert driver.execute_script("return document.documentElement.dataset.kgError || ''") == ""


def test_from_an_example_question_to_the_institution_and_the_sentence_of_the_plan(base, browser):
    # the home page offers example questions as links
    browser.get(base + "/")
    wait(browser, lambda d: d.execute_script("return document.documentElement.dataset.kgReady") == "1")
    examples = browser.find_elements(By.CSS_SELECTOR, "#examples a")
    assert len(examples) >= 5 and "梧州市有哪些中医医院？" in [a.text for a in examples]
    browser.save_screenshot(str(SHOTS / "1-home.png"))
    next(a for a in examples if a.text == "梧州市有哪些中医医院？").click()

    # the answer names the institutions, each a link to its page, each with its quotes
    wait(browser, lambda d: d.execute_script("return document.documentElement.dataset.kgAnswer") == "answered")
    no_script_error(browser)
    names = [a.text for a in browser.find_elements(By.CSS_SELECTOR, "#answer a.entity")]
    assert {"梧州市中医医院", "岑溪市中医医院", "苍梧县中医医院"} <= set(names), names
    assert browser.find_elements(By.CSS_SELECTOR, "#answer .source a.quote")
    browser.save_screenshot(str(SHOTS / "2-answer.png"))
    browser.find_element(By.LINK_TEXT, "梧州市中医医院").click()

    # the institution's page: its name, kind, place, and quotes that link to the plan
    wait(browser, ec.presence_of_element_located((By.ID, "label")))
    assert "/id/org/450400/" in browser.current_url
    assert browser.find_element(By.ID, "label").text.startswith("梧州市中医医院")
    body = browser.find_element(By.TAG_NAME, "body").text
    assert "中医医院" in body and "梧州市" in body and "《梧州市医疗卫生服务体系“十四五”规划》" in body
    browser.save_screenshot(str(SHOTS / "3-institution.png"))
    quote = browser.find_element(By.CSS_SELECTOR, "#props .source a.quote")
    quoted = quote.find_element(By.TAG_NAME, "q").text.strip("“”\"")
    quote.click()

    # the plan reader, at the quoted sentence: highlighted, with the facts read from it
    wait(browser, lambda d: d.execute_script("return document.documentElement.dataset.kgSentence"))
    assert "/plan/001_bd047ee8077cb387.txt#s" in browser.current_url
    current = browser.find_element(By.CSS_SELECTOR, ".sentence.current")
    assert quoted[:15] in current.text
    facts = browser.find_element(By.ID, "f" + current.get_attribute("data-start"))
    assert facts.is_displayed() and "梧州市中医医院" in facts.text
    no_script_error(browser)
    browser.save_screenshot(str(SHOTS / "4-plan.png"))


def test_a_failed_question_offers_questions_to_click(base, browser):
    browser.get(base + "/?q=" + "梧州市有几家?")
    wait(browser, lambda d: d.execute_script("return document.documentElement.dataset.kgAnswer"))
    links = browser.find_elements(By.CSS_SELECTOR, "#answer .suggestions a")
    assert links and all(a.get_attribute("href").startswith(base + "/?q=") for a in links)
    assert any("梧州市" in a.text for a in links)  # suggestions about the question's own city


def test_result_tables_have_chinese_headers_sort_page_and_keep_their_url(base, browser):
    browser.get(base + "/?example=institutions_by_city&city=钦州市")
    wait(browser, lambda d: d.execute_script("return document.documentElement.dataset.kgReady") == "1")
    no_script_error(browser)
    # the URL's value, not the example's own (梧州市), was bound
    assert browser.find_element(By.CSS_SELECTOR, 'input[data-param="city"]').get_attribute("value") == "钦州市"
    headers = [th.text.split()[0] for th in browser.find_elements(By.CSS_SELECTOR, "#result-table th")]
    assert headers[:3] == ["城市", "名称", "机构类别"], headers
    cities = {td.text for td in browser.find_elements(By.CSS_SELECTOR, "#result-table tbody td:first-child")}
    assert cities == {"钦州市"}
    assert len(cities) == 1 and "钦州市第一人民医院" in browser.find_element(By.ID, "result-table").text

    def names() -> list[str]:
        return [td.text for td in browser.find_elements(By.CSS_SELECTOR, "#result-table tbody td:nth-child(2)")]

    assert len(names()) > 20  # every 钦州 institution: the example's other values (kind, level) are not bound
    # sort by name (the browser's Chinese collation), then the other way on a second click
    browser.find_elements(By.CSS_SELECTOR, "#result-table th")[1].click()
    ascending = names()
    browser.find_elements(By.CSS_SELECTOR, "#result-table th")[1].click()
    assert names() == ascending[::-1] and ascending != ascending[::-1]
    assert "example=institutions_by_city" in browser.current_url and "city=" in browser.current_url
    browser.save_screenshot(str(SHOTS / "5-table.png"))


def test_long_results_come_in_pages(base, browser):
    browser.get(base + "/?sparql=" + "SELECT ?s WHERE { ?s a hk:TextSpan } LIMIT 120")
    wait(browser, lambda d: d.execute_script("return document.documentElement.dataset.kgRows") == "120")
    assert len(browser.find_elements(By.CSS_SELECTOR, "#result-table tbody tr")) == 50
    browser.find_element(By.ID, "next-page").click()
    assert "第 2 / 3 页" in browser.find_element(By.CSS_SELECTOR, ".pager").text
