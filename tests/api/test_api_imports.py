"""Imports through the API: every format, a preview that writes nothing, commit once,
and export → import giving identical words."""

from __future__ import annotations

import io
import json
import sqlite3
import zipfile
from pathlib import Path
from typing import Any

import genanki  # type: ignore[import-untyped]
import pytest
import zstandard
from werkzeug.datastructures import FileStorage

from tests.helpers import body_of, expect_error, get, total_items

HOSTILE = "<script>alert(1)</script>"


async def upload(
    client, data: bytes | None, filename: str = "words.csv", status: int = 201, **fields: Any
):
    files = {"file": FileStorage(io.BytesIO(data), filename=filename)} if data is not None else None
    form = {k: (json.dumps(v) if isinstance(v, dict) else str(v)) for k, v in fields.items()}
    response = await client.post("/api/imports", form=form, files=files)
    body = await body_of(response)
    assert response.status_code == status, body
    return body


async def commit(client, preview_id: int, status: int = 200) -> dict[str, Any]:
    response = await client.post(f"/api/imports/{preview_id}/commit")
    body = await body_of(response)
    assert response.status_code == status, body
    return body


async def content_counts(conn) -> tuple[int, ...]:
    row = await conn.fetch_one(
        "SELECT (SELECT COUNT(*) FROM words) AS w, (SELECT COUNT(*) FROM groups) AS g,"
        " (SELECT COUNT(*) FROM words_groups) AS l, (SELECT COUNT(*) FROM study_sessions) AS s,"
        " (SELECT COUNT(*) FROM learners) AS p"
    )
    return tuple(int(v) for v in row.values())


def by_line(preview: dict[str, Any]) -> dict[int, dict[str, Any]]:
    return {item["line"]: item for item in preview["items"]}


CSV_TEXT = (
    "japanese;romaji;english\r\n"
    "狐;kitsune;fox\r\n"
    "\r\n"
    "食べる;taberu;to eat\r\n"  # line 4: in the seed: linked, not copied
    ";;no japanese\r\n"  # line 5: error
    f"たぬき;;{HOSTILE}\r\n"  # line 6
    "狐;kitsune;fox\r\n"  # line 7: repeats line 2
    '"ひとばん";;"one night; overnight"\r\n'  # line 8: quoted separators
)


async def test_csv_preview_writes_nothing_then_commit_imports_the_good_rows(client, conn):
    before = await content_counts(conn)
    preview = await upload(client, "\ufeff".encode() + CSV_TEXT.encode(), group_name="Week 3: food")
    assert await content_counts(conn) == before
    assert (preview["format"], preview["delimiter"], preview["encoding"], preview["bom"]) == (
        "csv",
        "semicolon",
        "utf-8",
        True,
    )
    assert preview["status"] == "preview" and preview["target"]["new_group"] is True
    assert preview["mapping"] == {
        "japanese": 1,
        "kana": None,
        "romaji": 2,
        "english": 3,
        "parts": None,
    }
    assert preview["summary"] == {
        "rows": 6,
        "add": 3,
        "link": 1,
        "update": 0,
        "skip": 1,
        "error": 1,
    }
    lines = by_line(preview)
    assert lines[4]["action"] == "link" and lines[4]["word_id"]
    assert lines[7]["action"] == "skip" and "line 2" in lines[7]["reason"]
    assert lines[6]["word"] == {
        "japanese": "たぬき",
        "kana": "たぬき",
        "romaji": "tanuki",
        "english": HOSTILE,
        "parts": [],
    }
    assert lines[8]["word"]["english"] == "one night; overnight"
    assert preview["errors"] == [
        {
            "line": 5,
            "field": "japanese",
            "error": "japanese is required",
            "raw": preview["errors"][0]["raw"],
        }
    ]
    assert await get(client, f"/api/imports/{preview['id']}") == preview
    assert await content_counts(conn) == before

    words_before = await total_items(client, "/api/words")
    done = await commit(client, preview["id"])
    assert done["status"] == "committed" and done["group"]["name"] == "Week 3: food"
    assert done["group"]["word_count"] == 4
    assert await total_items(client, "/api/words") == words_before + 3
    group_words = (await get(client, f"/api/groups/{done['group']['id']}/words"))["items"]
    assert {w["japanese"] for w in group_words} == {"狐", "食べる", "たぬき", "ひとばん"}
    again = await commit(client, preview["id"], status=409)
    assert "already committed" in again["error"]
    assert await total_items(client, "/api/words") == words_before + 3
    await expect_error(
        client, "PATCH", f"/api/imports/{preview['id']}", 409, json={"on_duplicate": "create"}
    )


async def test_change_mapping_and_duplicate_rule_without_uploading_again(client, conn):
    text = "word,reading,meaning,note\n食べる,たべる,to devour,x\n狸,たぬき,raccoon dog,y\n"
    preview = await upload(client, text.encode(), group_name="Remapped")
    assert preview["mapping"]["japanese"] == 1 and preview["mapping"]["kana"] == 2
    assert by_line(preview)[2]["action"] == "link"
    changed = await client.patch(
        f"/api/imports/{preview['id']}",
        json={"on_duplicate": "update", "mapping": {"english": "note"}},
    )
    body = await body_of(changed)
    assert changed.status_code == 200, body
    assert body["on_duplicate"] == "update" and body["mapping"]["english"] == 4
    assert by_line(body)[2]["action"] == "update" and by_line(body)[2]["word"]["english"] == "x"
    for bad in (
        {"mapping": {"english": 9}},
        {"mapping": {"japanese": None}},
        {"mapping": {"english": "nope"}},
        {"on_duplicate": "merge"},
    ):
        response = await client.patch(f"/api/imports/{preview['id']}", json=bad)
        assert response.status_code == 422, bad
    done = await commit(client, preview["id"])
    word = (await get(client, f"/api/groups/{done['group']['id']}/words"))["items"][0]
    assert word["japanese"] == "食べる" and word["english"] == "x"


async def test_cp932_csv_from_japanese_excel(client):
    text = "japanese,kana,english\r\n猫舌,ねこじた,sensitive to hot food\r\n"
    preview = await upload(client, text.encode("cp932"), group_name="Excel")
    assert preview["encoding"] == "cp932" and preview["bom"] is False
    item = preview["items"][0]
    assert item["word"]["japanese"] == "猫舌" and item["word"]["romaji"] == "nekojita"


async def test_pasted_tab_separated_cells(client):
    response = await client.post(
        "/api/imports",
        form={"text": "狸\tたぬき\traccoon dog\n鼬\tいたち\tweasel\n", "group_name": "Pasted"},
    )
    body = await body_of(response)
    assert response.status_code == 201, body
    assert body["delimiter"] == "tab" and body["summary"]["add"] == 2
    assert body["mapping"] == {
        "japanese": 1,
        "kana": 2,
        "romaji": None,
        "english": 3,
        "parts": None,
    }


ANKI_TEXT = (
    "#separator:tab\n#html:true\n#guid column:1\n#notetype column:2\n"
    "a1\tJapanese\t<b>世[よ]の 中[なか]</b>[sound:yo.mp3]\t\tthe world &amp; society<br>\n"
    'b2\tJapanese\t 食[た]べる\t\t"to eat <img src=""x.jpg"">"\n'
    "c3\tJapanese\t\t\tno expression\n"
)


async def test_anki_plain_text_export_is_cleaned(client):
    preview = await upload(client, ANKI_TEXT.encode(), filename="deck.txt", group_name="Anki text")
    assert preview["format"] == "anki-text" and preview["delimiter"] == "tab"
    assert preview["mapping"]["japanese"] == 3 and preview["mapping"]["english"] == 5
    lines = by_line(preview)
    assert lines[5]["word"]["japanese"] == "世の中" and lines[5]["word"]["kana"] == "よのなか"
    assert lines[5]["word"]["english"] == "the world & society"
    assert lines[6]["word"]["japanese"] == "食べる" and lines[6]["word"]["english"] == "to eat"
    assert lines[6]["action"] == "link"
    assert lines[7]["action"] == "error"


def legacy_deck(path: Path, notes: list[tuple[str, str, str]]) -> bytes:
    model = genanki.Model(
        1607392319,
        "Japanese (recognition)",
        fields=[{"name": "Expression"}, {"name": "Reading"}, {"name": "Meaning"}],
        templates=[{"name": "Card 1", "qfmt": "{{Expression}}", "afmt": "{{Meaning}}"}],
    )
    deck = genanki.Deck(2059400110, "Week 5")
    for fields in notes:
        deck.add_note(genanki.Note(model=model, fields=list(fields)))
    genanki.Package(deck).write_to_file(str(path))
    return path.read_bytes()


def dummy_legacy_collection() -> bytes:
    """What current Anki puts in collection.anki2 next to the real collection."""
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE col (id INTEGER PRIMARY KEY, models TEXT)")
    db.execute(
        "INSERT INTO col VALUES (1, ?)",
        (
            json.dumps(
                {
                    "1": {
                        "name": "Basic",
                        "flds": [{"name": "Front", "ord": 0}, {"name": "Back", "ord": 1}],
                    }
                }
            ),
        ),
    )
    db.execute(
        "CREATE TABLE notes (id INTEGER PRIMARY KEY, guid TEXT, mid INTEGER, mod INTEGER,"
        " usn INTEGER, tags TEXT, flds TEXT, sfld TEXT, csum INTEGER, flags INTEGER, data TEXT)"
    )
    db.execute(
        "INSERT INTO notes VALUES (1, 'g', 1, 0, 0, '', ?, '', 0, 0, '')",
        (
            "Please update to the latest Anki version, then import the .colpkg/.apkg file"
            " again.\x1f",
        ),
    )
    db.commit()
    return db.serialize()


def latest_deck(notes: list[tuple[str, str, str]], *, with_meta: bool = True) -> bytes:
    """An Anki 2.1.50+ package: meta = version 3, collection.anki21b = zstd SQLite (schema 18)."""
    db = sqlite3.connect(":memory:")
    db.execute(
        "CREATE TABLE notetypes (id INTEGER PRIMARY KEY, name TEXT, mtime_secs INTEGER,"
        " usn INTEGER, config BLOB)"
    )
    db.execute(
        "CREATE TABLE fields (ntid INTEGER, ord INTEGER, name TEXT, config BLOB,"
        " PRIMARY KEY (ntid, ord))"
    )
    db.execute(
        "CREATE TABLE notes (id INTEGER PRIMARY KEY, guid TEXT, mid INTEGER, mod INTEGER,"
        " usn INTEGER, tags TEXT, flds TEXT, sfld TEXT, csum INTEGER, flags INTEGER, data TEXT)"
    )
    db.executemany(
        "INSERT INTO notetypes VALUES (?, ?, 0, 0, x'')", [(1, "Basic"), (77, "Core 2k")]
    )
    db.executemany(
        "INSERT INTO fields VALUES (?, ?, ?, x'')",
        [
            (1, 0, "Front"),
            (1, 1, "Back"),
            (77, 0, "Vocabulary-Kanji"),
            (77, 1, "Vocabulary-Kana"),
            (77, 2, "Vocabulary-English"),
        ],
    )
    for i, fields in enumerate(notes, start=1):
        db.execute(
            "INSERT INTO notes VALUES (?, ?, 77, 0, 0, ' core ', ?, '', 0, 0, '')",
            (1000 + i, f"guid{i}", "\x1f".join(fields)),
        )
    db.execute("INSERT INTO notes VALUES (5000, 'b', 1, 0, 0, '', ?, '', 0, 0, '')", ("犬\x1fdog",))
    db.commit()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("collection.anki2", dummy_legacy_collection())
        archive.writestr("collection.anki21b", zstandard.ZstdCompressor().compress(db.serialize()))
        if with_meta:
            archive.writestr("meta", b"\x08\x03")
        archive.writestr("media", zstandard.ZstdCompressor().compress(b""))
    return buffer.getvalue()


async def test_legacy_apkg_built_by_genanki(client, tmp_path):
    data = legacy_deck(
        tmp_path / "week5.apkg",
        [
            ("狸", "たぬき", "raccoon dog"),
            ("<div>鼬</div>", "いたち", "weasel [sound:w.mp3]"),
            (HOSTILE, "", "hostile"),
        ],
    )
    preview = await upload(client, data, filename="week5.apkg", group_name="Week 5")
    assert preview["format"] == "apkg" and preview["notetype"] == "Japanese (recognition)"
    assert preview["mapping"] == {
        "japanese": 1,
        "kana": 2,
        "romaji": None,
        "english": 3,
        "parts": None,
    }
    lines = by_line(preview)
    assert lines[2]["word"]["japanese"] == "鼬" and lines[2]["word"]["english"] == "weasel"
    assert lines[3]["action"] == "error"  # the tags are removed: no Japanese left
    assert (await commit(client, preview["id"]))["group"]["word_count"] == 2


async def test_current_apkg_reads_the_zstd_collection_not_the_dummy(client):
    data = latest_deck([("狸", "たぬき", "raccoon dog"), ("鼬", "いたち", "weasel")])
    preview = await upload(client, data, filename="core.apkg", group_name="Core")
    assert preview["notetype"] == "Core 2k"
    assert [n["name"] for n in preview["notetypes"]] == ["Core 2k", "Basic"]
    assert [i["word"]["japanese"] for i in preview["items"]] == ["狸", "鼬"]
    assert all("Please update" not in json.dumps(i, ensure_ascii=False) for i in preview["items"])
    other = await client.patch(f"/api/imports/{preview['id']}", json={"notetype": "Basic"})
    body = await body_of(other)
    assert other.status_code == 200, body
    assert body["mapping"]["japanese"] == 1 and body["items"][0]["word"]["english"] == "dog"
    assert body["items"][0]["line"] == 3  # the third note in note-id order
    bad = await client.patch(f"/api/imports/{preview['id']}", json={"notetype": "Cloze"})
    assert bad.status_code == 422 and (await body_of(bad))["field"] == "notetype"


async def test_a_package_with_only_the_dummy_note_is_refused(client):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("collection.anki2", dummy_legacy_collection())
    body = await upload(client, buffer.getvalue(), filename="new.apkg", group_name="X", status=422)
    assert body["field"] == "file" and "Please update" in body["error"]
    newer = io.BytesIO()
    with zipfile.ZipFile(newer, "w") as archive:
        archive.writestr("meta", b"\x08\x09")
    body = await upload(client, newer.getvalue(), filename="new.apkg", group_name="X", status=422)
    assert "newer Anki" in body["error"]


async def test_seed_json(client):
    items = [
        {
            "kanji": "稲妻",
            "kana": "いなずま",
            "romaji": "inazuma",
            "english": "lightning",
            "parts": [{"kanji": "稲", "romaji": ["ina"]}],
        },
        {"kanji": "", "english": "bad"},
    ]
    preview = await upload(
        client,
        json.dumps(items, ensure_ascii=False).encode(),
        filename="s.json",
        group_name="Seedlike",
    )
    assert preview["format"] == "seed-json" and preview["summary"]["add"] == 1
    assert preview["items"][0]["word"]["parts"] == [{"kanji": "稲", "romaji": ["ina"]}]
    assert preview["errors"][0]["line"] == 2


@pytest.mark.parametrize("fmt", ["csv", "json"])
async def test_export_then_import_gives_identical_words(client, fmt):
    group = await body_of(await client.post("/api/groups", json={"name": "Round trip"}))
    words = [
        {
            "japanese": "番",
            "kana": "ばん",
            "english": "-ban (counter)",
            "parts": [{"kanji": "番", "romaji": ["ban"]}],
        },
        {"japanese": "＝", "kana": "いこーる", "romaji": "ikooru", "english": "=SUM(A1)"},
        {"japanese": "引用", "kana": "いんよう", "english": 'quote "this", then; that'},
    ]
    for word in words:
        response = await client.post(
            "/api/words",
            json={**word, "group_ids": [group["id"]], "allow_duplicate": True},  # type: ignore[dict-item]
        )
        assert response.status_code == 201, await body_of(response)
    exported = await client.get(f"/api/groups/{group['id']}/export?format={fmt}")
    assert exported.status_code == 200
    assert "attachment" in exported.headers["Content-Disposition"]
    data = await exported.get_data()
    if fmt == "csv":
        assert exported.headers["Content-Type"] == "text/csv; charset=utf-8"
        assert data.startswith(b"\xef\xbb\xbfjapanese,kana,romaji,english,parts\r\n")
        assert b"'-ban (counter)" in data and b"'=SUM(A1)" in data
    original = (await get(client, f"/api/groups/{group['id']}/words"))["items"]
    preview = await upload(
        client, data, filename=f"g.{fmt}", group_name="Round trip copy", on_duplicate="create"
    )
    assert preview["summary"]["add"] == 3 and preview["summary"]["error"] == 0
    done = await commit(client, preview["id"])
    copied = (await get(client, f"/api/groups/{done['group']['id']}/words"))["items"]
    fields = ("japanese", "kana", "romaji", "english", "parts")
    assert [{k: w[k] for k in fields} for w in copied] == [
        {k: w[k] for k in fields} for w in original
    ]


async def test_bad_uploads_are_refused_naming_the_problem(client):
    assert (await upload(client, b"", group_name="E", status=422))["field"] == "file"
    assert (await upload(client, b"\xff\xfe\x00garbage\x81\xff", group_name="E", status=422))[
        "field"
    ] == "file"
    assert (await upload(client, b"a,b\n", status=422))["field"] == "group_id"
    assert (await upload(client, b"a,b\n", group_id="1", group_name="E", status=422))[
        "field"
    ] == "group_id"
    assert await upload(client, b"a,b\n", group_id="999999", status=404)
    taken = await upload(client, b"a,b\n", group_name="hiragana", status=409)
    assert taken["field"] == "group_name" and taken["existing_id"]
    assert (await upload(client, b"a,b\n", group_name="E", format="xls", status=422))[
        "field"
    ] == "format"
    bad_mapping = await upload(
        client, b"japanese,english\nx,y\n", group_name="E", mapping={"kana": 7}, status=422
    )
    assert bad_mapping["field"] == "mapping"
    assert (await upload(client, b"not a zip", filename="d.apkg", group_name="E", status=422))[
        "field"
    ] == "file"
    both = await client.post(
        "/api/imports",
        form={"text": "a,b", "group_name": "E"},
        files={"file": FileStorage(io.BytesIO(b"x,y"), filename="a.csv")},
    )
    assert both.status_code == 422
    await expect_error(client, "GET", "/api/imports/999999", 404)
    await expect_error(client, "POST", "/api/imports/999999/commit", 404)


async def test_an_upload_over_8_mb_is_413(client):
    big = b"japanese,english\n" + b"x" * (8 * 1024 * 1024 + 100_000)
    response = await client.post(
        "/api/imports",
        form={"group_name": "Big"},
        files={"file": FileStorage(io.BytesIO(big), filename="big.csv")},
    )
    assert response.status_code == 413
    assert "8 MB" in (await body_of(response))["error"]


async def test_a_preview_can_be_discarded(client, conn):
    preview = await upload(client, b"japanese,english\n\xe7\x8b\x90,fox\n", group_name="Gone")
    response = await client.delete(f"/api/imports/{preview['id']}")
    assert response.status_code == 200 and (await body_of(response)) == {"success": True}
    await expect_error(client, "GET", f"/api/imports/{preview['id']}", 404)
    assert await conn.fetch_val("SELECT COUNT(*) FROM import_previews") == 0
