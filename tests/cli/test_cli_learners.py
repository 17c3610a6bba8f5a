"""`python -m webapp` and learner profiles: export/import keep every device signed in,
`export --learner ID` and `reset --learner ID` touch one learner only."""

from __future__ import annotations

import json
from typing import Any

from tests.helpers import api_client, assert_clear_failure, cli_on, flashcards_id, get, post

GROUP = 2


def auth(token: str) -> dict[str, Any]:
    return {"headers": {"X-Learner-Token": token}}


async def _two_learners_studying(database_url: str) -> dict[str, str]:
    """Aiko (2 answers) and Ren (1 answer), each in a session of their own."""
    tokens: dict[str, str] = {}
    async with api_client(database_url) as client:
        activity = await flashcards_id(client)
        words = (await get(client, f"/api/groups/{GROUP}/words"))["items"]
        for name, answers in (("Aiko", [True, False]), ("Ren", [True])):
            token = (await post(client, "/api/learners", {"name": name}, status=201))["token"]
            tokens[name] = token
            session = await post(
                client,
                "/api/study_sessions",
                {"group_id": GROUP, "study_activity_id": activity},
                status=201,
                **auth(token),
            )
            for word, correct in zip(words, answers, strict=False):
                await post(
                    client,
                    f"/api/study_sessions/{session['id']}/words/{word['id']}/review",
                    {"correct": correct},
                    status=201,
                    **auth(token),
                )
    return tokens


async def _own_sessions(database_url: str, token: str) -> list[dict[str, Any]]:
    async with api_client(database_url) as client:
        return (await get(client, "/api/study_sessions", **auth(token)))["items"]


async def test_export_then_import_keeps_profiles_and_their_devices(
    database_url, empty_database_url, tmp_path
):
    tokens = await _two_learners_studying(database_url)
    path = tmp_path / "portal.jsonl"
    exported = cli_on(database_url, "export", str(path))
    assert exported.code == 0, exported.err
    text = path.read_text(encoding="utf-8")
    for token in tokens.values():
        assert token not in text  # only the digests travel
    assert cli_on(empty_database_url, "migrate").code == 0
    imported = cli_on(empty_database_url, "import", str(path))
    assert imported.code == 0, imported.err
    async with api_client(empty_database_url) as client:
        for name, token in tokens.items():
            me = await get(client, "/api/learners/me", **auth(token))
            assert me["name"] == name
    assert len(await _own_sessions(empty_database_url, tokens["Aiko"])) == 1


async def test_export_one_learner(database_url, tmp_path):
    tokens = await _two_learners_studying(database_url)
    async with api_client(database_url) as client:
        ren_id = (await get(client, "/api/learners/me", **auth(tokens["Ren"])))["id"]
    path = tmp_path / "ren.json"
    run = cli_on(database_url, "export", "--learner", str(ren_id), str(path))
    assert run.code == 0, run.err
    assert "Ren" in run.out
    document = json.loads(path.read_text(encoding="utf-8"))
    assert document["learner"]["name"] == "Ren"
    assert len(document["study_sessions"]) == 1 and len(document["reviews"]) == 1
    unknown = cli_on(database_url, "export", "--learner", "999", str(tmp_path / "x.json"))
    assert_clear_failure(unknown, "999")
    assert not (tmp_path / "x.json").exists()


async def test_reset_one_learner_keeps_everyone_else(database_url):
    tokens = await _two_learners_studying(database_url)
    async with api_client(database_url) as client:
        aiko_id = (await get(client, "/api/learners/me", **auth(tokens["Aiko"])))["id"]
    ren_before = await _own_sessions(database_url, tokens["Ren"])
    run = cli_on(database_url, "reset", "--learner", str(aiko_id))
    assert run.code == 0, run.err
    assert "1 sessions and 2 reviews" in run.out
    assert await _own_sessions(database_url, tokens["Aiko"]) == []
    assert await _own_sessions(database_url, tokens["Ren"]) == ren_before
    both = cli_on(database_url, "reset", "--learner", str(aiko_id), "--full")
    assert_clear_failure(both, "--learner")
