"""The OpenAPI 3.1 description of the OParl endpoints (for clients and for schemathesis)."""

from __future__ import annotations

from typing import Any

from beirat.core.uploads import ACCEPTED_TYPES
from beirat.oparl.addresses import absolute
from beirat.oparl.queries import MAX_PAGE_SIZE

OBJECT_KINDS = [
    "body",
    "organization",
    "person",
    "membership",
    "meeting",
    "agendaitem",
    "paper",
    "consultation",
    "file",
    "location",
    "legislativeterm",
]
LIST_KINDS = [
    "organization",
    "person",
    "membership",
    "meeting",
    "agendaitem",
    "paper",
    "consultation",
    "file",
    "location",
    "legislativeterm",
]
JSON_OBJECT = {"application/json": {"schema": {"type": "object"}}}
ERROR = {"description": "OParl-Fehlerobjekt", "content": JSON_OBJECT}


def _date_filter(name: str) -> dict[str, Any]:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "schema": {"type": "string", "format": "date-time"},
    }


def document() -> dict[str, Any]:
    filters = [
        _date_filter(name)
        for name in ("created_since", "created_until", "modified_since", "modified_until")
    ]
    filters += [
        {
            "name": "after",
            "in": "query",
            "required": False,
            "schema": {"type": "integer", "minimum": 0},
        },
        {
            "name": "limit",
            "in": "query",
            "required": False,
            "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE},
        },
        {
            "name": "elementsPerPage",
            "in": "query",
            "required": False,
            "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE},
        },
        {"name": "omit_internal", "in": "query", "required": False, "schema": {"type": "boolean"}},
    ]
    ok = {"description": "OParl-Objekt oder -Liste", "content": JSON_OBJECT}
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "beirat OParl 1.1",
            "version": "1.1",
            "description": "Öffentliche Ratsinformation nach OParl 1.1. Erweiterungsfelder "
            "tragen das Präfix beirat: (Beratungsergebnis, Stimmen, Prüfaufträge).",
        },
        "servers": [{"url": absolute("/oparl/v1")}],
        "paths": {
            "/system": {"get": {"operationId": "system", "responses": {"200": ok}}},
            "/bodies": {"get": {"operationId": "bodies", "responses": {"200": ok}}},
            "/body/{body_id}/{kind}": {
                "get": {
                    "operationId": "bodyList",
                    "parameters": [
                        {
                            "name": "body_id",
                            "in": "path",
                            "required": True,
                            # A paper's number, or i<n> / p<n> for a meeting's invitation
                            # and public minutes.
                            "schema": {"type": "string", "maxLength": 40},
                        },
                        {
                            "name": "kind",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "string", "enum": LIST_KINDS},
                        },
                        *filters,
                    ],
                    "responses": {"200": ok, "400": ERROR, "404": ERROR},
                }
            },
            "/{kind}/{key}": {
                "get": {
                    "operationId": "object",
                    "parameters": [
                        {
                            "name": "kind",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "string", "enum": OBJECT_KINDS},
                        },
                        {
                            "name": "key",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "string", "maxLength": 40},
                        },
                    ],
                    "responses": {"200": ok, "404": ERROR},
                }
            },
            "/file/{key}/download": {
                "get": {
                    "operationId": "fileDownload",
                    "parameters": [
                        {
                            "name": "key",
                            "in": "path",
                            "required": True,
                            # "12": the official PDF of paper 12; "a7": attachment 7;
                            # "i3", "p3": meeting 3's invitation and public minutes.
                            "schema": {"type": "string", "maxLength": 40},
                        }
                    ],
                    "responses": {
                        "200": {
                            "description": "Datei: amtliches PDF oder Anlage einer Vorlage",
                            "content": {media_type: {} for media_type in ACCEPTED_TYPES},
                        },
                        "404": ERROR,
                    },
                }
            },
        },
    }
