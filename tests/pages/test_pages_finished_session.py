"""A learner session's page: "Continue studying" while flashcards remain, and
not once the session is finished (the flashcards show their end summary)."""

from __future__ import annotations

from typing import Any

from tests.helpers import flashcards_id, group_id_by_name, launch, review, seed_facts

CONTINUE = "Continue studying"


async def _page(client: Any, path: str) -> str:
    response = await client.get(path)
    assert response.status_code == 200, path
    return await response.get_data(as_text=True)


async def test_a_finished_session_no_longer_offers_to_continue(client) -> None:
    sizes = {name: len(keys) for name, keys in seed_facts().group_words.items()}
    name = min(sizes, key=lambda n: sizes[n])
    group = await group_id_by_name(client, name)
    session = await launch(client, group, await flashcards_id(client))
    path = f"/study_sessions/{session['id']}"

    assert CONTINUE in await _page(client, path), "a new session offers to continue"
    answered = 0
    # the session's own queue decides the cards; the first is missed, so it comes back
    while (
        card := await client.get(f"/api/study_sessions/{session['id']}/next")
    ).status_code == 200:
        body = await card.get_json()
        if body["position"] == body["total"]:
            assert CONTINUE in await _page(client, path), "one card left: still offered"
        await review(client, session["id"], body["word"]["id"], answered > 0)
        answered += 1
    assert answered > 1

    assert "✗ 1 wrong" in await _page(client, f"{path}/flashcards"), "the summary shows"
    html = await _page(client, path)
    assert CONTINUE not in html
    assert "Finished" in html
    assert (
        f'href="/study_activities/{session["study_activity_id"]}/launch?group_id={group}"' in html
    )
