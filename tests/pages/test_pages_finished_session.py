"""A learner session's page: "Continue studying" while flashcards remain, and
not once the session is finished (the flashcards show their end summary)."""

from __future__ import annotations

from typing import Any

from tests.helpers import all_items, flashcards_id, group_id_by_name, launch, review, seed_facts

CONTINUE = "Continue studying"


async def _page(client: Any, path: str) -> str:
    response = await client.get(path)
    assert response.status_code == 200, path
    return await response.get_data(as_text=True)


async def test_a_finished_session_no_longer_offers_to_continue(client) -> None:
    # the smallest seeded group: a new learner's session takes its words in id order,
    # up to the daily allowance of 10 new words
    sizes = {name: len(keys) for name, keys in seed_facts().group_words.items()}
    name = min(sizes, key=lambda n: sizes[n])
    group = await group_id_by_name(client, name)
    session = await launch(client, group, await flashcards_id(client))
    path = f"/study_sessions/{session['id']}"
    words = await all_items(client, f"/api/groups/{group}/words")
    cards = words[: min(10, len(words))]

    assert CONTINUE in await _page(client, path), "a new session offers to continue"
    for word in cards[:-1]:
        await review(client, session["id"], word["id"], True)
    assert CONTINUE in await _page(client, path), "one card left: still offered"

    await review(client, session["id"], cards[-1]["id"], False)
    assert CONTINUE in await _page(client, path), "the missed word comes back at the end"
    await review(client, session["id"], cards[-1]["id"], True)
    assert "✗ 1 wrong" in await _page(client, f"{path}/flashcards"), "the summary shows"
    html = await _page(client, path)
    assert CONTINUE not in html
    assert "Finished" in html
    assert (
        f'href="/study_activities/{session["study_activity_id"]}/launch?group_id={group}"' in html
    )
