"""End to end in-process: the API's postings reach the real matcher, its matches come back."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from services.matching.entrypoints.app import create_app as create_matching
from services.profiles.config import ProfilesSettings
from tests.apps import running
from tests.integration.matching.helpers import settings_for
from tests.integration.profiles import bodies
from tests.integration.profiles.conftest import Tenant
from tests.stack import StackUrls
from tests.waiting import eventually

pytestmark = pytest.mark.integration


async def test_a_posted_pair_is_matched_explained_and_retracted_when_the_vacancy_closes(
    api: httpx.AsyncClient,
    settings: ProfilesSettings,
    stack: StackUrls,
    database_url: str,
    tenants: dict[str, Tenant],
) -> None:
    matching = settings_for(stack.kafka, stack.redis_url, database_url, settings.kafka_topic_prefix)
    firm, agency, hub = tenants["firm"], tenants["agency"], tenants["hub"]
    async with running(create_matching(matching)):
        vacancy = (await api.post("/v1/vacancies", json=bodies.vacancy(), headers=firm.auth)).json()
        profile = (
            await api.post("/v1/profiles", json=bodies.profile(), headers=agency.auth)
        ).json()
        path = f"/v1/vacancies/{vacancy['id']}/matches"

        async def matched() -> list[Any]:
            items: list[Any] = (await api.get(path, headers=firm.auth)).json()["items"]
            return [i for i in items if i["profile_id"] == profile["id"]]

        (match,) = await eventually(matched, timeout=60, what="the matcher's match projected")
        assert 0 < match["score"] <= 1
        assert {c["name"] for c in match["components"]} >= {"competence", "region"}
        assert match["vacancy_organisation_id"] == str(firm.org_id)
        seen_by_hub = await api.get(f"/v1/profiles/{profile['id']}/matches", headers=hub.auth)
        assert vacancy["id"] in {i["vacancy_id"] for i in seen_by_hub.json()["items"]}
        closed = await api.post(
            f"/v1/vacancies/{vacancy['id']}/close",
            json={"reason": "filled"},
            headers={**firm.auth, "If-Match": '"1"'},
        )
        assert closed.status_code == 200

        async def retracted() -> bool:
            return not await matched()

        await eventually(retracted, timeout=60, what="the retraction projected")
