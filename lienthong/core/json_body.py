"""A request body that pydantic reads straight from its bytes: ``payload: Annotated[DossierIn, JsonBody(...)]``.

ninja's ``Body`` parses the JSON into Python objects, wraps them in a generated model and validates that from
Python. For the busiest endpoint (the dossier intake) reading the bytes with the model's own
``model_validate_json`` does both in one pass in pydantic-core — a few per cent of the request
(bench/README.md, dossier intake). The schema is the same as with ``Body``, and so are the answers to a bad body:
not UTF-8 JSON → 400 naming ``body`` and the rule ``json`` (see :mod:`lienthong.api`); JSON that breaks the
schema → ninja's ``ValidationError``, with the same locations ``Body`` would report (``body``, the parameter's
name, then the field's path). An empty body is not JSON either (400), where ``Body`` reported the parameter
missing (422).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pydantic
from django.http import HttpRequest
from ninja.errors import HttpError, ValidationError
from ninja.params.models import Body, BodyModel
from pydantic_core import ErrorDetails

if TYPE_CHECKING:
    from ninja import NinjaAPI

#: The error pydantic reports for bytes that are not JSON (or not UTF-8).
_NOT_JSON = "json_invalid"


class JsonBodyModel(BodyModel):
    """The model ninja generates for a :class:`JsonBody` parameter; only how it reads the request differs."""

    @classmethod
    def resolve(cls, request: HttpRequest, api: NinjaAPI, path_params: dict[str, Any]) -> dict[str, Any]:  # type: ignore[override]
        name = cls.__read_from_single_attr__
        model = cls.model_fields[name].annotation
        assert isinstance(model, type) and issubclass(model, pydantic.BaseModel), "JsonBody needs one model"
        try:
            return {name: model.model_validate_json(request.body)}
        except pydantic.ValidationError as invalid:
            errors = invalid.errors(include_url=False, include_input=False)
            reason = _json_failure(errors)
            if reason is not None:
                # What ninja raises when its parser fails, with the reader's words as the cause.
                raise HttpError(400, "Cannot parse request body") from ValueError(reason)
            raise ValidationError(_located(errors, name)) from None


def _json_failure(errors: list[ErrorDetails]) -> str | None:
    for error in errors:
        if error["type"] == _NOT_JSON:
            return str(error.get("ctx", {}).get("error", error["msg"]))
    return None


def _located(errors: list[ErrorDetails], name: str) -> list[dict[str, Any]]:
    """pydantic's errors as ninja reports a body's: located from ``body`` and the parameter's name."""
    located = []
    for error in errors:
        problem: dict[str, Any] = {
            "type": error["type"],
            "loc": ("body", name, *error["loc"]),
            "msg": error["msg"],
        }
        if "ctx" in error:
            problem["ctx"] = {key: str(value) for key, value in error["ctx"].items()}
        located.append(problem)
    return located


class JsonBody(Body):  # type: ignore[misc]
    """``Body`` for one pydantic model, validated from the request's bytes (see the module)."""

    _model = JsonBodyModel

    @classmethod
    def _param_source(cls) -> str:
        return "body"
