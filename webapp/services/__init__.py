"""Operations of several statements, each in one transaction (compose queries.*)."""

DEFAULT_LEARNER_ID = 1
# Matches no learner's rows: content shown with every count zero (a visitor, the admin).
NO_LEARNER_ID = 0
