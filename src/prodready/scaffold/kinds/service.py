"""A web service: FastAPI with pydantic-settings, JSON logs and a container image."""

from prodready.scaffold.kinds import DEV, PYDANTIC_TYPING, KindSpec, register

register(
    KindSpec(
        "service",
        "a web service",
        ["fastapi>=0.110", "pydantic>=2.6", "pydantic-settings>=2.2", "uvicorn[standard]>=0.29"],
        {},
        [*DEV, "httpx2>=2.0"],  # the ASGI test client of starlette 1.x
        {
            **PYDANTIC_TYPING,
            "runtime_bases": ["pydantic.BaseModel", "pydantic_settings.BaseSettings"],
        },
        checked_as="service",
        lock="service-requirements.txt",  # from scripts/service_lock.py
    )
)
