"""`python -m webapp import-words` and `export-group`, as an operator runs them."""

from __future__ import annotations

import json

from tests.helpers import assert_clear_failure, connect


async def group_words(database_url: str, name: str) -> list[dict]:
    async with connect(database_url) as conn:
        return await conn.fetch_all(
            "SELECT w.japanese, w.kana, w.romaji, w.english, w.parts FROM words w"
            " JOIN words_groups wg ON wg.word_id = w.id JOIN groups g ON g.id = wg.group_id"
            " WHERE g.name = :name ORDER BY w.id",
            {"name": name},
        )


async def test_import_words_then_export_group_round_trip(cli, database_url, tmp_path):
    source = tmp_path / "week3.csv"
    source.write_bytes(
        "\ufeffjapanese;kana;english\n狸;たぬき;raccoon dog\n鼬;いたち;-weasel\n;;bad\n".encode()
    )
    run = cli("import-words", str(source), "--group", "Week 3", "--yes")
    assert run.code == 0, run.err
    assert "2 to add" in run.out and "1 errors" in run.out and "line 4" in run.out
    assert "✓ imported into 'Week 3'" in run.out
    words = await group_words(database_url, "Week 3")
    assert [w["japanese"] for w in words] == ["狸", "鼬"]
    assert words[1]["english"] == "-weasel" and words[0]["romaji"] == "tanuki"

    async with connect(database_url) as conn:
        group_id = await conn.fetch_val("SELECT id FROM groups WHERE name = 'Week 3'")
    for fmt, name in (("csv", "out.csv"), ("json", "out.json")):
        target = tmp_path / name
        run = cli("export-group", str(group_id), str(target), "--format", fmt)
        assert run.code == 0, run.err
        assert "exported 2 words" in run.out
        again = cli(
            "import-words",
            str(target),
            "--group",
            f"Copy {fmt}",
            "--on-duplicate",
            "create",
            "--yes",
        )
        assert again.code == 0, again.err
        assert await group_words(database_url, f"Copy {fmt}") == words
    exported = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    assert exported[1] == {
        "kanji": "鼬",
        "kana": "いたち",
        "romaji": "itachi",
        "english": "-weasel",
        "parts": [],
    }
    assert (
        (tmp_path / "out.csv")
        .read_bytes()
        .startswith(b"\xef\xbb\xbfjapanese,kana,romaji,english,parts\r\n")
    )


async def test_import_into_an_existing_group_reuses_words(cli, database_url, tmp_path):
    source = tmp_path / "again.tsv"
    source.write_text("食べる\tたべる\tto eat\n", encoding="utf-8")
    run = cli("import-words", str(source), "--group", "core verbs", "--yes")
    assert run.code == 0, run.err
    assert "existing group 'core verbs'" in run.out and "1 skipped" in run.out  # already a member


def test_import_words_fails_clearly(cli, tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    assert_clear_failure(cli("import-words", str(empty), "--group", "X", "--yes"), "empty")
    assert_clear_failure(
        cli("import-words", str(tmp_path / "missing.csv"), "--group", "X", "--yes"), "missing.csv"
    )
    assert_clear_failure(cli("export-group", "999999", str(tmp_path / "x.csv")), "999999")
