"""Hand-written SQL: one async function per statement, connection first.

Functions return plain dicts (or lists of them, or a scalar) in the shapes the
API and the pages use, so neither needs to know which database answered.
"""
