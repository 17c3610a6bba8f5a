"""Who the current request studies as: the one place that answers it.

Every route that reads or writes a learner's history asks `current_learner_id()`
and passes the id down explicitly (queries and services never guess). Until
learner profiles exist every request is the default learner; profiles (tokens,
cookies, DEFAULT_LEARNER) replace the body of `current_learner_id` only.
"""

from __future__ import annotations

from .services import DEFAULT_LEARNER_ID


def current_learner_id() -> int:
    """The learner the current request acts for."""
    return DEFAULT_LEARNER_ID
