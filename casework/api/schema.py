"""The OpenAPI schema describes the error responses too (API.md: "including error responses").

Views declare the errors particular to them (403 for a role, 409 for a stale version) with
``extend_schema``. This postprocessing hook adds the ones every operation can give because of how the
API works, and gives every error response its JSON shape:

- 400 for any operation that takes a body or query parameters (malformed JSON, a bad filter or page);
- 401 for any operation that needs signing in;
- 403 for any signed-in write: a role that may not do it, or a browser session without its CSRF token;
- 404 for any operation with an id in its path (outside the caller's scope an object does not exist),
  and for a list's page past the last one.

Also here: the schema extension for our session authentication (``casework.api.authentication``).
"""

from drf_spectacular.authentication import SessionScheme

ERROR_DETAIL = "ErrorDetail"
FIELD_ERRORS = "FieldErrors"
COMPONENTS = {
    ERROR_DETAIL: {
        "type": "object",
        "description": "What went wrong, in a sentence.",
        "properties": {"detail": {"type": "string"}},
        "required": ["detail"],
    },
    FIELD_ERRORS: {
        "type": "object",
        "description": (
            "Messages keyed by the field in error (nested for grouped fields, such as trafficking or uasc); "
            '"non_field_errors" for the rest, or "detail" when the body could not be read at all.'
        ),
        "properties": {
            "detail": {"type": "string"},
            "non_field_errors": {"type": "array", "items": {"type": "string"}},
        },
        "additionalProperties": True,
    },
}
DEFAULT_DESCRIPTIONS = {
    "400": "Invalid input: messages by field; nothing was saved",
    "401": "Not signed in, or the token is not valid",
    "403": "Your role may not do this (or, for a browser session, the CSRF token is missing)",
    "404": "Not found, or outside what you can see",
    "409": "Someone else changed this record, or its state does not allow this: nothing changed",
    "429": "Too many attempts: try again later",
}
WRITES = {"post", "put", "patch", "delete"}
METHODS = WRITES | {"get", "head", "options"}


class CaseworkSessionScheme(SessionScheme):
    target_class = "casework.api.authentication.SessionAuthentication"


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _needs_sign_in(operation: dict) -> bool:
    return any(requirement for requirement in operation.get("security", []))


def add_error_responses(result, generator, request, public):
    """drf-spectacular postprocessing hook: document the errors every operation can give."""
    result.setdefault("components", {}).setdefault("schemas", {}).update(COMPONENTS)
    for path_item in result.get("paths", {}).values():
        for method, operation in path_item.items():
            if method not in METHODS:
                continue
            params = operation.get("parameters", [])
            responses = operation.setdefault("responses", {})
            wanted = set()
            if "requestBody" in operation or any(p.get("in") == "query" for p in params):
                wanted.add("400")
            if _needs_sign_in(operation):
                wanted.add("401")
                if method in WRITES:
                    wanted.add("403")
            if any(p.get("in") == "path" for p in params) or any(p.get("name") == "page" for p in params):
                wanted.add("404")
            for code in wanted:
                responses.setdefault(code, {"description": DEFAULT_DESCRIPTIONS[code]})
            for code, response in responses.items():
                if code.startswith("4") and not response.get("content"):
                    shape = FIELD_ERRORS if code == "400" else ERROR_DETAIL
                    response["content"] = {"application/json": {"schema": _ref(shape)}}
                    response["description"] = response.get("description") or DEFAULT_DESCRIPTIONS.get(code, "")
    return result
