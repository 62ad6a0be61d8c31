"""The building blocks every part's OpenAPI paths share: the error response, times, a query
parameter, a JSON answer and an object schema."""

from __future__ import annotations

from typing import Any

__all__ = ["ERROR", "NULLABLE_TIME", "TIME", "json_answer", "object_schema", "query"]

ERROR = {"$ref": "#/components/responses/Error"}
TIME = {"type": "string", "format": "date-time"}
NULLABLE_TIME = {"type": ["string", "null"], "format": "date-time"}


def query(name: str, description: str, schema: dict[str, Any]) -> dict[str, Any]:
    """An optional query parameter."""
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": schema,
    }


def json_answer(description: str, schema: dict[str, Any]) -> dict[str, Any]:
    """A response with a JSON body of `schema`."""
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def object_schema(properties: dict[str, Any], required: list[str] | None = None) -> dict[str, Any]:
    """An object whose properties are all required unless `required` names fewer."""
    return {"type": "object", "properties": properties, "required": required or list(properties)}
