"""The published OpenAPI 3.1 description of ``/api/v1/ratings/``."""

from registry.models import Organisation

from . import engine
from .models import BAND_LABELS
from .queries import ALL_KINDS, ORDERS

# Page sizes of /api/v1/ratings/ (?page_size= is clamped to the maximum).
API_PAGE_SIZE = 50
API_MAX_PAGE_SIZE = 200

FIGURE = {
    "type": ["string", "null"],
    "pattern": r"^\d{1,3}\.\d{2}$",
    "description": "Баллы 0–100, две цифры после точки; null — нет данных.",
}


def schema(server_url):
    parameters = [
        ("q", {"type": "string"}, "Поиск по названию, краткому названию, адресу, муниципалитету"),
        ("year", {"type": "integer"}, "Год; по умолчанию последний опубликованный"),
        ("municipality", {"type": "string"}, "Код муниципалитета (slug)"),
        (
            "kind",
            {"type": "string", "enum": [*Organisation.Kind.values, ALL_KINDS]},
            "Тип организации. Каждый тип ранжируется отдельно: rank и municipality_rank — "
            "места среди организаций того же типа. По умолчанию — первый тип, оценённый в этом "
            "году (при поиске q — все типы); all — все типы",
        ),
        ("band", {"type": "string", "enum": [*BAND_LABELS, "none"]}, "Уровень"),
        ("order", {"type": "string", "enum": list(ORDERS)}, "Сортировка"),
        ("page", {"type": "integer", "minimum": 1}, "Страница"),
        (
            "page_size",
            {
                "type": "integer",
                "minimum": 1,
                "maximum": API_MAX_PAGE_SIZE,
                "default": API_PAGE_SIZE,
            },
            "Записей на странице",
        ),
    ]
    result_properties = {
        "code": {"type": "string"},
        "name": {"type": "string"},
        "short_name": {"type": "string"},
        "municipality": {"type": "string"},
        "kind": {"type": "string"},
        "year": {"type": "integer"},
        "status": {"type": "string", "enum": [engine.RATED, engine.INSUFFICIENT_DATA]},
        "respondents": {"type": "integer"},
        "band": {"type": ["string", "null"]},
        "rank": {
            "type": ["integer", "null"],
            "description": "Место в регионе среди организаций того же типа (kind)",
        },
        "municipality_rank": {
            "type": ["integer", "null"],
            "description": "Место в муниципалитете среди организаций того же типа",
        },
        "low_sample": {
            "type": "boolean",
            "description": "Балл присвоен при числе респондентов меньше минимума методики "
            "(правило «оценивать с пометкой»)",
        },
        **dict.fromkeys(engine.FIGURES, FIGURE),
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "НОКО: открытые данные рейтингов",
            "version": "1",
            "description": (
                "Опубликованные результаты независимой оценки качества условий "
                "образовательной деятельности. Черновики не публикуются."
            ),
        },
        "servers": [{"url": server_url.rstrip("/")}],
        "paths": {
            "/api/v1/ratings/": {
                "get": {
                    "summary": "Результаты опубликованного года",
                    "parameters": [
                        {
                            "name": name,
                            "in": "query",
                            "required": False,
                            "schema": s,
                            "description": d,
                        }
                        for name, s, d in parameters
                    ],
                    "responses": {
                        "200": {
                            "description": "Страница результатов",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/RatingsPage"}
                                }
                            },
                        },
                        "400": {"description": "Неверные параметры"},
                        "404": {"description": "Нет такой страницы"},
                    },
                }
            }
        },
        "components": {
            "schemas": {
                "Rating": {"type": "object", "properties": result_properties},
                "RatingsPage": {
                    "type": "object",
                    "properties": {
                        "count": {"type": "integer"},
                        "year": {"type": ["integer", "null"]},
                        "kind": {"type": "string", "description": "Тип организаций в выборке"},
                        "kinds": {
                            "type": "array",
                            "items": {"type": "string"},
                            "description": "Типы организаций, оценённые в этом году",
                        },
                        "page": {"type": "integer"},
                        "pages": {"type": "integer"},
                        "next": {"type": ["string", "null"], "format": "uri"},
                        "previous": {"type": ["string", "null"], "format": "uri"},
                        "results": {
                            "type": "array",
                            "items": {"$ref": "#/components/schemas/Rating"},
                        },
                    },
                },
            }
        },
    }
