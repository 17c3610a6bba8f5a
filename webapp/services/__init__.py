"""Operations of several statements, each in one transaction (compose queries.*)."""

DEFAULT_LEARNER_ID = 1
