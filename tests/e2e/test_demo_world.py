"""The demo world through the real services, and the hub's dashboard in headless Chromium."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from PIL import Image
from playwright.async_api import async_playwright, expect

from shared.topics import MATCHES, PROFILES, TRAINING_OFFERS, VACANCIES
from tests.e2e.demo_hub import DemoHub, demo_hub
from tests.kafka_tools import caught_up
from tests.stack import StackUrls
from tests.waiting import eventually

pytestmark = pytest.mark.e2e
CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="module")
async def hub(stack: StackUrls) -> AsyncIterator[DemoHub]:
    """The services with the demo world loaded (shared by this module's tests)."""
    async with demo_hub(stack) as running:
        yield running


async def _match(client: httpx.AsyncClient, hub: DemoHub, vacancy: str, profile: str) -> Any:
    poster = next(v.by for v in hub.world.vacancies if v.key == vacancy)
    response = await client.get(
        f"/v1/vacancies/{hub.ids[vacancy]}/matches",
        params={"limit": 100},
        headers={"Authorization": f"Bearer {hub.keys[poster]}"},
    )
    assert response.status_code == 200, response.text
    wanted = hub.ids[profile]
    return next((m for m in response.json()["items"] if m["profile_id"] == wanted), None)


async def _settled(hub: DemoHub) -> bool:
    inputs = [f"{hub.prefix}{t}" for t in (VACANCIES, PROFILES, TRAINING_OFFERS)]
    matched = await caught_up(hub.kafka, f"{hub.prefix}matching", inputs)
    projected = await caught_up(
        hub.kafka, f"{hub.prefix}profiles-matches", [f"{hub.prefix}{MATCHES}"]
    )
    return matched and projected


async def test_the_demo_world_yields_direct_matches_matches_needing_training_and_none(
    hub: DemoHub,
) -> None:
    expected = {(e.vacancy, e.profile): e.outcome for e in hub.world.expect}
    outcomes = set(expected.values())
    assert outcomes == {"direct", "requires_training", "none"}
    positive = {pair: o for pair, o in expected.items() if o != "none"}
    async with httpx.AsyncClient(base_url=hub.api, timeout=10) as client:

        async def all_positive_pairs() -> dict[tuple[str, str], Any]:
            found = {pair: await _match(client, hub, *pair) for pair in positive}
            return found if all(found.values()) else {}

        found = await eventually(all_positive_pairs, timeout=120, what="the demo's matches")
        for pair, match in found.items():
            assert match["requires_training"] is (positive[pair] == "requires_training"), pair
            assert {c["name"] for c in match["components"]} >= {"competence", "region"}
            if match["requires_training"]:
                assert match["gap"], pair
                assert match["offers"], pair
        await eventually(lambda: _settled(hub), timeout=60, what="matcher and projection idle")
        for pair in (p for p, o in expected.items() if o == "none"):
            assert await _match(client, hub, *pair) is None, pair


def _distinct_colours(png: Path) -> int:
    with Image.open(png) as image:
        colours = image.convert("RGB").resize((200, 200)).getcolors(200 * 200)
        return len(colours or [])


async def test_a_hub_signs_in_and_sees_its_region_counts_and_explained_matches(
    hub: DemoHub, tmp_path_factory: pytest.TempPathFactory
) -> None:
    key = hub.keys["hub"]
    requested: list[str] = []
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=["--no-sandbox"]
        )
        try:
            page = await browser.new_page(viewport={"width": 1360, "height": 1000}, locale="de-DE")
            page.on("request", lambda request: requested.append(request.url))
            await page.goto(f"{hub.api}/dashboard")
            await page.get_by_label("API-Schlüssel der Drehscheibe").fill(key)
            await page.get_by_role("button", name="Anmelden").click()
            heading = page.get_by_role("heading", level=1)
            await expect(heading).to_have_text("Drehscheibe Halle/Saalekreis (Schkopau)")
            await expect(page.locator("#karte svg polygon.district")).to_have_count(2)
            assert await page.locator("#karte svg circle.place").count() > 10
            halle = page.locator("#kreise tr", has_text="Halle")
            await expect(halle.locator("td").nth(0)).not_to_have_text("0")
            vacancies = page.locator("#kennzahlen li.vacancies .value")
            assert int(await vacancies.inner_text()) >= 7
            match = page.locator("#matches li.match").first
            await expect(match).to_be_visible(timeout=30_000)
            await expect(match.locator(".components")).to_contain_text("Kompetenzen")
            await expect(match.locator(".components")).to_contain_text("Region")
            training = page.locator("#qualifizierung li.match").first
            await expect(training).to_contain_text("Qualifizierung nötig")
            await expect(training.locator(".offers")).not_to_be_empty()
            assert await page.evaluate("sessionStorage.getItem('drehscheibe.hubKey')") == key
            shot = tmp_path_factory.mktemp("dashboard") / "dashboard.png"
            await page.screenshot(path=str(shot), full_page=True)
        finally:
            await browser.close()
    assert _distinct_colours(shot) > 40, "the screenshot looks blank"
    assert all(url.startswith(hub.api) or url.startswith("data:") for url in requested), requested
    assert not any(key in url for url in requested)
