"""The teacher's pages through the test client: forms without JavaScript, 422
re-renders with the input, confirmations, the htmx fragments, and who sees them."""

from __future__ import annotations

import io
import re
from urllib.parse import quote

from werkzeug.datastructures import FileStorage

HOSTILE = "<script>alert(1)</script>"
PARTIAL = {"HX-Request": "true", "HX-Request-Type": "partial"}
REMOTE = {"client": ("203.0.113.9", 5000)}


def text_of(html: str) -> str:
    return " ".join(html.split())


async def token(client) -> str:
    html = await (await client.get("/settings")).get_data(as_text=True)
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match
    return match.group(1)


async def post_form(client, path: str, status: int, headers=None, **fields):
    response = await client.post(
        path, form={"csrf_token": await token(client), **fields}, headers=headers or {}
    )
    html = await response.get_data(as_text=True)
    assert response.status_code == status, (path, response.status_code, html[:500])
    return response, html


async def test_new_group_form_creates_and_re_renders_errors(client):
    html = await (await client.get("/groups")).get_data(as_text=True)
    assert 'action="/groups"' in html and "New group" in html
    _, page = await post_form(client, "/groups", 422, name="   ")
    assert "name is required" in page and 'aria-invalid="true"' in page
    response, _ = await post_form(client, "/groups", 303, name=HOSTILE)
    location = response.headers["Location"]
    group_page = await (await client.get(location)).get_data(as_text=True)
    assert HOSTILE not in group_page and "&lt;script&gt;" in group_page
    _, taken = await post_form(client, "/groups", 409, name=HOSTILE.upper())
    assert "already exists" in taken and "&lt;SCRIPT&gt;" in taken


async def test_rename_in_place_and_without_javascript(client):
    form = await client.get("/groups/3/rename", headers={**PARTIAL, "HX-Target": "div#group-title"})
    fragment = await form.get_data(as_text=True)
    assert fragment.startswith('<div id="group-title"') and 'name="name"' in fragment
    assert "<html" not in fragment
    full = await (await client.get("/groups/3/rename")).get_data(as_text=True)
    assert full.startswith("<!doctype html>")
    _, again = await post_form(client, "/groups/3/rename", 422, name="")
    assert "name is required" in again
    _, swapped = await post_form(
        client,
        "/groups/3/rename",
        200,
        headers={**PARTIAL, "HX-Target": "div#group-title"},
        name="Renamed group",
    )
    assert "<h1>Renamed group</h1>" in swapped
    response, _ = await post_form(client, "/groups/3/rename", 303, name="Renamed again")
    assert response.headers["Location"] == "/groups/3"


async def test_picker_adds_and_rows_remove(client):
    _, _ = await post_form(client, "/groups", 303, name="Picked")
    groups = await (await client.get("/api/groups?sort=name")).get_json()
    group_id = next(g["id"] for g in groups["items"] if g["name"] == "Picked")
    results = await client.get(
        f"/groups/{group_id}/picker?q=taberu", headers={**PARTIAL, "HX-Target": "div#word-picker"}
    )
    html = await results.get_data(as_text=True)
    assert html.startswith('<div id="word-picker"') and "食べる" in html
    word_id = int(re.search(r'name="word_id" value="(\d+)"', html).group(1))  # type: ignore[union-attr]
    await post_form(client, f"/groups/{group_id}/words", 303, word_id=str(word_id))
    page = await (await client.get(f"/groups/{group_id}")).get_data(as_text=True)
    assert f"/groups/{group_id}/words/{word_id}/remove" in page
    await post_form(client, f"/groups/{group_id}/words/{word_id}/remove", 303)
    assert (await (await client.get(f"/api/groups/{group_id}")).get_json())["word_count"] == 0


async def test_delete_group_confirmation_says_what_stays(client):
    confirm = text_of(await (await client.get("/groups/3/delete")).get_data(as_text=True))
    words = (await (await client.get("/api/groups/3")).get_json())["word_count"]
    assert (
        f"Its {words} words stay in the portal" in confirm
        and "study sessions on it stay" in confirm
    )
    response, _ = await post_form(client, "/groups/3/delete", 303)
    assert response.headers["Location"] == "/groups"
    assert (await client.get("/groups/3")).status_code == 404


async def test_word_form_validation_parts_and_duplicates(client):
    new = await (await client.get("/words/new?group_id=3")).get_data(as_text=True)
    assert 'name="group_ids" value="3" checked' in new and "data-kana-input" in new
    assert "wanakana" in new
    fields = {"japanese": "稲妻", "kana": "", "romaji": "", "english": HOSTILE, "action": "save"}
    _, page = await post_form(client, "/words/new", 422, **fields)
    assert "romaji is required" in page and 'value="稲妻"' in page and "&lt;script&gt;" in page
    _, with_part = await post_form(client, "/words/new", 200, **{**fields, "action": "add_part"})
    assert 'name="part_kanji_0"' in with_part
    _, removed = await post_form(
        client,
        "/words/new",
        200,
        **{**fields, "part_kanji_0": "稲", "part_romaji_0": "ina", "action": "remove_part_0"},
    )
    assert 'name="part_kanji_0"' not in removed
    response, _ = await post_form(
        client,
        "/words/new",
        303,
        **{
            **fields,
            "kana": "いなずま",
            "english": "lightning",
            "part_kanji_0": "稲",
            "part_romaji_0": "ina",
            "group_ids": "3",
        },
    )
    word = await (await client.get(f"/api{response.headers['Location']}")).get_json()
    assert word["romaji"] == "inazuma" and word["parts"] == [{"kanji": "稲", "romaji": ["ina"]}]
    assert word["groups"][0]["id"] == 3
    _, dup = await post_form(
        client, "/words/new", 409, japanese="稲妻", kana="いなずま", english="flash", action="save"
    )
    assert "Already in the portal" in dup and "Create a second copy" in dup
    assert f'value="use_existing_{word["id"]}"' in dup
    copy, _ = await post_form(
        client,
        "/words/new",
        303,
        japanese="稲妻",
        kana="いなずま",
        english="flash",
        action="create_copy",
    )
    assert copy.headers["Location"] != f"/words/{word['id']}"


async def test_romaji_is_suggested_from_the_kana(client):
    response = await client.get(
        "/words/romaji?kana=" + quote("とうきょう"),
        headers={**PARTIAL, "HX-Target": "div#romaji-field"},
    )
    html = await response.get_data(as_text=True)
    assert 'id="romaji-field"' in html and 'placeholder="toukyou"' in html


async def test_inline_row_edit(client):
    form = await client.get(
        "/words/1/row?edit=1", headers={**PARTIAL, "HX-Target": "tr#word-row-1"}
    )
    html = await form.get_data(as_text=True)
    assert html.startswith('<tr id="word-row-1"') and 'form="row-form-1"' in html
    _, bad = await post_form(
        client,
        "/words/1/row",
        422,
        headers=PARTIAL,
        japanese="あ",
        kana="あ",
        romaji="a",
        english="",
    )
    assert bad.startswith('<tr id="word-row-1"') and "english is required" in bad
    _, row = await post_form(
        client,
        "/words/1/row",
        200,
        headers=PARTIAL,
        japanese="あ",
        kana="あ",
        romaji="a",
        english="a (edited)",
    )
    assert row.startswith('<tr id="word-row-1"') and "a (edited)" in row and "<input" not in row


async def test_delete_word_confirmation_counts_answers(client):
    page = text_of(await (await client.get("/words/5/delete")).get_data(as_text=True))
    assert "0 answers by 0 learners will be deleted" in page
    response, _ = await post_form(client, "/words/5/delete", 303)
    assert response.headers["Location"] == "/words"
    assert (await client.get("/words/5")).status_code == 404


async def test_import_wizard_without_javascript(client):
    start = await (await client.get("/imports/new?group_id=3")).get_data(as_text=True)
    assert 'enctype="multipart/form-data"' in start and "Notes in Plain Text" in start
    csrf = await token(client)
    empty = await client.post(
        "/imports", form={"csrf_token": csrf, "target": "new", "group_name": "X"}
    )
    assert empty.status_code == 422
    csv = f"japanese,kana,english\n狸,たぬき,raccoon dog\n鼬,いたち,{HOSTILE}\n,,broken\n".encode()
    response = await client.post(
        "/imports",
        form={
            "csrf_token": csrf,
            "target": "new",
            "group_name": "Imported page",
            "on_duplicate": "reuse",
        },
        files={"file": FileStorage(io.BytesIO(csv), filename="w.csv")},
    )
    assert response.status_code == 303, await response.get_data(as_text=True)
    preview_url = response.headers["Location"]
    preview = text_of(await (await client.get(preview_url)).get_data(as_text=True))
    assert "2 to add" in preview and "1 error" in preview and "Import 2 words" in preview
    assert HOSTILE not in preview and "&lt;script&gt;" in preview
    await post_form(
        client,
        preview_url,
        303,
        map_japanese="1",
        map_kana="2",
        map_english="3",
        map_romaji="",
        map_parts="",
        on_duplicate="create",
        format="csv",
        delimiter="comma",
        encoding="utf-8",
    )
    assert "2 to add" in text_of(await (await client.get(preview_url)).get_data(as_text=True))
    done, _ = await post_form(client, preview_url + "/commit", 303)
    group_page = await (await client.get(done.headers["Location"])).get_data(as_text=True)
    assert "Imported into" in group_page and "狸" in group_page
    _, again = await post_form(client, preview_url + "/commit", 409)
    assert "already committed" in again


async def test_admin_controls_are_hidden_and_refused_for_others(client):
    html = await (await client.get("/groups/3", scope_base=REMOTE)).get_data(as_text=True)
    assert "Export CSV" in html
    for control in ("Delete group", "New word", "/rename", "Add words"):
        assert control not in html, control
    assert 'action="/groups"' not in await (
        await client.get("/groups", scope_base=REMOTE)
    ).get_data(as_text=True)
    for path in ("/words/new", "/groups/3/delete", "/imports/new", "/words/1/edit"):
        assert (await client.get(path, scope_base=REMOTE)).status_code == 403, path
    response = await client.post(
        "/groups", form={"csrf_token": await token(client), "name": "No"}, scope_base=REMOTE
    )
    assert response.status_code == 403
