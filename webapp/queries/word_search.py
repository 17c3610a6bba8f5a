"""Word search: which words match a query, and how well they match.

The bind values come from `webapp.japanese.search_patterns`. Matching is a
substring test in every script; the rank orders the matches:

0. exact: the word, its kana or its romaji is the query, or the English gloss
   (or one of its `;`-separated meanings, with or without "to ") is;
1. whole word: the query is a whole word of the gloss (`eat` in "eat out");
2. prefix: a script starts with the query, or a word of the gloss does
   (`eat` in "eating");
3. anything else that matched (`eat` in "weather").

Ties break by id, so a page never repeats or skips a word. All of it is plain
SQL in the one statement that lists the page.
"""

from __future__ import annotations

from ..db import Conn

# Gloss punctuation turned into spaces, so a word of the gloss sits between spaces.
_PUNCTUATION = (";", ",", "(", ")", "/", ".", "?", "!", '"')
RELEVANCE = "relevance"  # the sort a search gets when the reader picks none


def _like(conn: Conn) -> str:
    # SQLite's LIKE already ignores ASCII case; PostgreSQL needs ILIKE.
    return "LIKE" if conn.is_sqlite else "ILIKE"


def _spaced_gloss() -> str:
    """`' ' || english || ' '` with punctuation as spaces: `" to eat  a meal "`."""
    expression = "LOWER(words.english)"
    for mark in _PUNCTUATION:
        expression = f"REPLACE({expression}, '{mark}', ' ')"
    return f"(' ' || {expression} || ' ')"


def search_filter(conn: Conn) -> str:
    """The WHERE condition (with a leading AND) of the words a search finds."""
    like = _like(conn)
    return (
        f" AND (words.japanese {like} :s_text ESCAPE '!'"
        f" OR words.english {like} :s_text ESCAPE '!'"
        f" OR words.kana {like} :s_kana ESCAPE '!'"
        f" OR words.romaji {like} :s_romaji ESCAPE '!'"
        f" OR words.romaji {like} :s_romaji_alt ESCAPE '!')"
    )


def search_rank(conn: Conn) -> str:
    """A SQL expression: 0 exact, 1 whole word, 2 prefix, 3 substring (see above)."""
    like = _like(conn)
    gloss = _spaced_gloss()
    meanings = "(';' || REPLACE(LOWER(words.english), '; ', ';') || ';')"
    exact = (
        "words.japanese = :x_text OR words.kana = :x_kana"
        " OR words.romaji = :x_romaji OR words.romaji = :x_romaji_alt"
        " OR LOWER(words.english) = :x_lower"
        f" OR {meanings} {like} :w_item ESCAPE '!' OR {meanings} {like} :w_item_to ESCAPE '!'"
    )
    whole_word = f"{gloss} {like} :w_word ESCAPE '!'"
    prefix = (
        f"words.japanese {like} :p_text ESCAPE '!' OR words.kana {like} :p_kana ESCAPE '!'"
        f" OR words.romaji {like} :p_romaji ESCAPE '!'"
        f" OR words.romaji {like} :p_romaji_alt ESCAPE '!'"
        f" OR {gloss} {like} :w_start ESCAPE '!'"
    )
    return f"CASE WHEN {exact} THEN 0 WHEN {whole_word} THEN 1 WHEN {prefix} THEN 2 ELSE 3 END"
