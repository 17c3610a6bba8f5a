"""The pages of learner profiles through the test client, as a visitor from another
machine: the share-link start card, "What's your name?", moving a profile, Settings."""

from __future__ import annotations

import re
from typing import Any

ELSEWHERE = {"client": ("203.0.113.20", 41000)}


class Visitor:
    """One browser on another machine: its own cookies, always from the same address."""

    def __init__(self, app: Any) -> None:
        self.client = app.test_client()

    async def get(self, url: str, **kwargs: Any) -> Any:
        return await self.client.get(url, scope_base=ELSEWHERE, **kwargs)

    async def post(self, url: str, form: dict[str, str], **kwargs: Any) -> Any:
        return await self.client.post(
            url, form={"csrf_token": await self.csrf(), **form}, scope_base=ELSEWHERE, **kwargs
        )

    async def csrf(self) -> str:
        html = await (await self.get("/groups")).get_data(as_text=True)
        match = re.search(r'name="csrf-token" content="([^"]+)"', html)
        assert match
        return match.group(1)

    async def text(self, url: str) -> tuple[int, str]:
        response = await self.get(url)
        return response.status_code, await response.get_data(as_text=True)


async def start_on_group(visitor: Visitor, name: str, group_id: int = 3) -> Any:
    return await visitor.post(f"/groups/{group_id}/start", {"name": name})


async def test_a_share_link_shows_the_start_card_to_a_new_visitor(app):
    visitor = Visitor(app)
    status, html = await visitor.text("/groups/3")
    assert status == 200
    assert 'action="/groups/3/start"' in html and "Your name" in html


async def test_start_creates_the_profile_and_lands_on_the_first_card(app):
    visitor = Visitor(app)
    started = await start_on_group(visitor, "Aiko")
    assert started.status_code == 303
    location = started.headers["Location"]
    assert re.fullmatch(r"/study_sessions/\d+/flashcards", location)
    status, html = await visitor.text(location)
    assert status == 200 and "data-flashcard" in html
    # the header names the learner; the group page no longer offers the card
    assert "Aiko" in html
    _, group_html = await visitor.text("/groups/3")
    assert 'action="/groups/3/start"' not in group_html


async def test_a_taken_name_re_renders_the_card_with_the_advice(app):
    await start_on_group(Visitor(app), "Yuki")
    second = Visitor(app)
    refused = await start_on_group(second, "yuki")
    html = await refused.get_data(as_text=True)
    assert refused.status_code == 409
    assert "Someone already uses" in html and "move code" in html
    assert 'value="yuki"' in html


async def test_pages_needing_a_learner_ask_for_a_name_and_return_there(app):
    visitor = Visitor(app)
    for url in ("/dashboard", "/study_sessions?page=1"):
        status, html = await visitor.text(url)
        assert status == 401 and "What's your name?" in html
        assert 'name="next" value="' + url.replace("&", "&amp;") + '"' in html
    created = await visitor.post("/welcome", {"name": "Ren", "next": "/study_sessions?page=1"})
    assert created.status_code == 303
    assert created.headers["Location"] == "/study_sessions?page=1"
    status, html = await visitor.text("/dashboard")
    assert status == 200 and "Ren" in html
    # never a redirect off the site
    other = Visitor(app)
    offsite = await other.post("/welcome", {"name": "Mei", "next": "//evil.example/x"})
    assert offsite.headers["Location"] == "/dashboard"


async def test_a_signed_out_device_is_asked_again_not_given_someone_else(app):
    visitor = Visitor(app)
    await start_on_group(visitor, "Sora")
    phone = Visitor(app)
    issued = await visitor.post("/settings/profile/move_code", {})
    code = re.search(r'aria-label="Move code">([0-9A-Z-]{9})<', await issued.get_data(as_text=True))
    await phone.post("/settings/profile/use_code", {"code": code.group(1)})  # type: ignore[union-attr]
    signed_out = await phone.post("/settings/profile/sign_out_others", {})
    assert signed_out.status_code == 303
    status, html = await visitor.text("/dashboard")
    assert status == 401 and "signed out" in html


async def test_a_move_link_is_not_spent_by_opening_it(app):
    owner = Visitor(app)
    await start_on_group(owner, "Emi")
    issued = await owner.post("/settings/profile/move_code", {})
    html = await issued.get_data(as_text=True)
    code = re.search(r'aria-label="Move code">([0-9A-Z]{4}-[0-9A-Z]{4})<', html).group(1)  # type: ignore[union-attr]
    link = "/move/" + code.replace("-", "")
    phone = Visitor(app)
    for _ in range(2):  # a link preview, then the learner
        status, page = await phone.text(link)
        assert status == 200 and "Emi" in page and "Use it here" in page
    used = await phone.post(link, {})
    assert used.status_code == 303
    _, settings_html = await phone.text("/settings")
    assert 'value="Emi"' in settings_html
    status, page = await Visitor(app).text(link)
    assert status == 404 and "unknown, already used or expired" in page


async def test_delete_my_profile_needs_the_typed_confirmation(app):
    visitor = Visitor(app)
    await start_on_group(visitor, "Kai")
    refused = await visitor.post("/settings/profile/delete", {"confirm": "delete"})
    assert refused.status_code == 422
    deleted = await visitor.post("/settings/profile/delete", {"confirm": "delete me"})
    assert deleted.status_code == 303
    # the name is free and this browser is a new visitor again
    _, html = await visitor.text("/groups/3")
    assert 'action="/groups/3/start"' in html
    assert (await start_on_group(Visitor(app), "Kai")).status_code == 303


async def test_the_teacher_pages_are_refused_to_a_learner_elsewhere(app):
    visitor = Visitor(app)
    await start_on_group(visitor, "Noa")
    for url in ("/learners", "/groups/3/class"):
        response = await visitor.get(url)
        assert response.status_code in (401, 403)
    _, html = await visitor.text("/groups/3")
    assert "/groups/3/class" not in html and 'href="/learners"' not in html


async def test_the_teacher_sees_the_class_and_the_roster(client):
    # the test client is this machine: the admin without a token
    visitor_html = await (await client.get("/groups/3/class")).get_data(as_text=True)
    assert "No learner has studied this group yet" in visitor_html
    roster = await client.get("/learners")
    html = await roster.get_data(as_text=True)
    assert roster.status_code == 200 and "Learner" in html and 'href="/learners"' in html
