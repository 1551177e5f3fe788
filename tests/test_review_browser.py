"""The review app in real headless Chromium (Debian's /usr/bin/chromium driven by Playwright):
log in, accept, edit, reject and add statements with the mouse and the keyboard, check the counts,
reload, and hit the 409 path from a second browser context. Screenshots go to out/review-browser/.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.conftest import PROJECT
from tests.review_support import PASSWORD, review_db, review_server, review_template_db  # noqa: F401

pytestmark = pytest.mark.e2e
SHOTS = PROJECT / "out" / "review-browser"


def _chromium() -> str:
    path = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
    if path:
        return path
    if os.environ.get("CI"):
        pytest.fail("chromium is required in CI (apt-get install -y chromium)")
    pytest.skip("chromium not installed (apt-get update && apt-get install -y chromium)")


def _login(context, base: str, username: str):
    page = context.new_page()
    page.goto(base + "/")
    assert "/login" in page.url
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(base + "/")
    return page


def _counts(page) -> dict[str, int]:
    return {el.get_attribute("data-status"): int(el.inner_text().split(":")[1])
            for el in page.query_selector_all("#counts .count")}


def _ready(page) -> None:
    """The page has loaded and its script has marked the current card (keys work from now on)."""
    page.wait_for_load_state("load")
    page.wait_for_selector("article.item.current")


def _looks_rendered(path: Path) -> None:
    """A screenshot of a rendered queue: not blank, and the highlight colours are on it."""
    from PIL import Image

    image = Image.open(path).convert("RGB")
    colours = set(image.get_flattened_data())
    assert image.width >= 1000 and len(colours) > 50, path
    drug, target, outcome = (205, 232, 255), (255, 217, 179), (213, 245, 213)  # review.css <mark> colours
    assert {drug, target, outcome} <= colours, f"{path}: no evidence highlights visible"


def test_curator_flow_in_chromium(review_server):
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    dialogs: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=_chromium(), args=["--no-sandbox", "--disable-gpu"])
        try:
            alice_ctx = browser.new_context(viewport={"width": 1280, "height": 1600})
            page = _login(alice_ctx, review_server, "alice")
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            row = page.locator("tr", has_text="hostile_review")
            assert row.locator(".c-to_review").inner_text() == "5"
            row.locator("a").click()
            _ready(page)
            doc_url = page.url
            cards = page.locator("section.queue article.item[data-kind=statement]")
            ids = [cards.nth(i).get_attribute("data-id") for i in range(cards.count())]
            assert len(ids) == 5
            # The hostile sentences are on screen as text; nothing ran.
            assert "<script>alert(1)</script>" in page.locator(f"#item-{ids[0]} .evidence").inner_text()
            assert page.locator(f"#item-{ids[0]} mark.drug").inner_text() == "Metformin"
            page.screenshot(path=str(SHOTS / "01-queue.png"), full_page=False)
            _looks_rendered(SHOTS / "01-queue.png")

            # Accept the first with the mouse.
            page.click(f"#item-{ids[0]} form.accept button")
            page.wait_for_selector(f"#item-{ids[0]} .status[data-status=accepted]")
            _ready(page)

            # Keyboard: j moves to the second, a accepts it (through the JSON API).
            page.keyboard.press("j")
            assert "current" in page.locator(f"#item-{ids[1]}").get_attribute("class")
            page.keyboard.press("a")
            page.wait_for_selector(f"#item-{ids[1]} .status[data-status=accepted]")
            _ready(page)

            # r focuses the reason of the current card (the third, after the accept moved on).
            assert "current" in page.locator(f"#item-{ids[2]}").get_attribute("class")
            page.keyboard.press("r")
            page.keyboard.type("rapamycin is named in a hostile sentence")
            page.keyboard.press("Enter")
            page.wait_for_selector(f"#item-{ids[2]} .status[data-status=rejected]")
            _ready(page)

            # e opens the edit form of the fourth (k back from the fifth checks k too).
            page.keyboard.press("j")
            page.keyboard.press("j")
            page.keyboard.press("k")
            assert "current" in page.locator(f"#item-{ids[3]}").get_attribute("class")
            page.keyboard.press("e")
            target = page.locator(f"#item-{ids[3]} details.edit input[name=f_target]")
            assert target.is_visible()
            first = page.locator(f"#item-{ids[3]} details.edit input[name=f_drug]")
            assert first.evaluate("el => el === document.activeElement")
            target.fill("EGFR-mutant")
            page.locator(f"#item-{ids[3]} details.edit input[name=f_target_id]").fill("")
            page.click(f"#item-{ids[3]} details.edit button[type=submit]")
            page.wait_for_selector(f"#item-{ids[3]} .status[data-status=edited]")
            _ready(page)
            assert "EGFR-mutant" in page.locator(f"#item-{ids[3]} .f-target").inner_text()

            # ? shows the help.
            page.keyboard.press("Escape")
            page.keyboard.press("?")
            assert page.locator("#help").is_visible()
            page.screenshot(path=str(SHOTS / "02-help.png"))
            page.keyboard.press("?")
            assert not page.locator("#help").is_visible()

            # Add a statement the extractor missed.
            page.click("details#add summary")
            page.fill("details#add textarea[name=f_evidence]",
                      "Gefitinib inhibited EGFR and reduced tumor growth in lung cancer xenografts.")
            page.fill("details#add input[name=f_drug]", "gefitinib")
            page.fill("details#add input[name=f_target]", "EGFR")
            page.fill("details#add input[name=f_outcome]", "tumor growth")
            page.fill("details#add input[name=f_context]", "lung cancer")
            page.click("details#add button[type=submit]")
            page.wait_for_selector("article.item[data-kind=added]")
            _ready(page)

            expected = {"to_review": 1, "accepted": 2, "rejected": 1, "edited": 1, "added": 1, "merged": 0,
                        "orphaned": 0}
            assert _counts(page) == expected
            page.reload()
            _ready(page)
            assert _counts(page) == expected
            assert page.locator(f"#item-{ids[2]} .reason").inner_text().endswith("hostile sentence")
            page.screenshot(path=str(SHOTS / "03-decided.png"), full_page=True)
            _looks_rendered(SHOTS / "03-decided.png")
            page.goto(review_server + "/")
            row = page.locator("tr", has_text="hostile_review")
            assert [row.locator(f".c-{s}").inner_text() for s in ("to_review", "accepted", "rejected", "edited", "added")] \
                == ["1", "2", "1", "1", "1"]

            # A second curator, in another context, holds a stale version of the last statement.
            bob_ctx = browser.new_context(viewport={"width": 1280, "height": 1200})
            bob = _login(bob_ctx, review_server, "bob")
            bob.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            bob.goto(doc_url)
            _ready(bob)
            page.goto(doc_url)
            _ready(page)
            page.click(f"#item-{ids[4]} form.accept button")
            page.wait_for_selector(f"#item-{ids[4]} .status[data-status=accepted]")
            _ready(page)
            bob.fill(f"#item-{ids[4]} form.reject input[name=reason]", "not a target")
            with bob.expect_response(lambda r: r.request.method == "POST") as answer:
                bob.click(f"#item-{ids[4]} form.reject button")
            assert answer.value.status == 409
            assert "changed by alice" in bob.locator("#message").inner_text()
            assert "changed by alice" in bob.locator(f"#item-{ids[4]} .msg.error").inner_text()
            bob.screenshot(path=str(SHOTS / "04-conflict.png"))
            assert bob.locator(f"#item-{ids[4]} .status").get_attribute("data-status") == "accepted"

            # The keyboard accept path answers 409 in the page too.
            page.goto(doc_url + f"#item-{ids[3]}")
            bob.goto(doc_url + f"#item-{ids[3]}")
            bob.wait_for_selector(f"#item-{ids[3]}.current")
            page.wait_for_selector(f"#item-{ids[3]}.current")
            page.keyboard.press("a")
            page.wait_for_selector(f"#item-{ids[3]} .status[data-status=accepted]")
            _ready(page)
            bob.keyboard.press("a")
            bob.wait_for_selector(f"#item-{ids[3]} .msg.error")
            assert "changed by alice" in bob.locator(f"#item-{ids[3]} .msg").inner_text()
        finally:
            browser.close()
    assert dialogs == []  # no hostile script ever ran
