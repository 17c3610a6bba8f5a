"""Property-based run of the whole JSON API against its OpenAPI description (schemathesis).

The app runs in-process through ASGI (schemathesis drives it on its own event
loop thread, lifespan included).  Every operation gets valid and invalid
requests; no response may be a 5xx, and each must match the description
(status documented, JSON shape, content type).  Deterministic (derandomized),
bounded: about 30 examples per operation and mode on SQLite, a few on PostgreSQL.
"""

from __future__ import annotations

from typing import Any

import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.core.result import Err

from webapp import create_app

EXAMPLES = {"sqlite": 30, "postgresql": 6}


def run_operation(operation: Any, mode: GenerationMode, examples: int) -> int:
    calls = 0

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def check(case: Any) -> None:
        nonlocal calls
        calls += 1
        case.call_and_validate()

    check()
    return calls


def test_no_input_breaks_the_api_or_its_description(backend: str, database_url: str) -> None:
    app = create_app({"DATABASE_URL": database_url, "SECRET_KEY": "test-secret-key"})
    schema = schemathesis.openapi.from_asgi("/api/openapi.json", app)
    failures: list[str] = []
    total = 0
    for result in schema.get_all_operations():
        if isinstance(result, Err):
            failures.append(f"the description does not load: {result.err()}")
            continue
        operation = result.ok()
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            try:
                total += run_operation(operation, mode, EXAMPLES[backend])
            except Unsatisfiable:
                continue  # no parameters or body: nothing can be made invalid
            except (Exception, BaseExceptionGroup) as error:  # collect all, then report
                failures.append(f"{operation.label} [{mode.value}]: {error}")
    print(f"schemathesis: {total} cases on {backend}")
    assert not failures, "\n\n".join(failures)
    assert total >= 40 * EXAMPLES[backend] // 3
