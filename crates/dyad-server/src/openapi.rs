//! The OpenAPI 3 document served at `/openapi.json`. A test checks that its
//! paths and methods are exactly the router's ([`crate::routes`]).

use serde_json::{json, Value};

fn qp(name: &str, schema: Value, description: &str) -> Value {
    json!({"name": name, "in": "query", "required": false, "schema": schema, "description": description})
}

fn pp(name: &str, description: &str) -> Value {
    json!({"name": name, "in": "path", "required": true, "schema": {"type": "string"}, "description": description})
}

fn s() -> Value {
    json!({"type": "string"})
}

fn error_ref(description: &str) -> Value {
    json!({"description": description, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}})
}

fn ok_json(description: &str, schema: Value) -> Value {
    json!({"200": {"description": description, "content": {"application/json": {"schema": schema}}}})
}

/// The OpenAPI 3.0 document.
pub fn document() -> Value {
    let period = vec![
        qp(
            "from",
            s(),
            "First date, inclusive: YYYY, YYYY-MM or YYYY-MM-DD",
        ),
        qp(
            "to",
            s(),
            "Last date, inclusive; a month or year covers all of it",
        ),
    ];
    let role =
        json!({"type": "string", "enum": ["source", "target", "either"], "default": "either"});
    let mut event_params = vec![
        qp("actor", s(), "Actor code prefix (IRQ matches IRQGOV)"),
        qp("actor_role", role.clone(), "Side for actor"),
        qp(
            "country",
            s(),
            "Country code of an actor (first three letters of its code)",
        ),
        qp("country_role", role, "Side for country"),
        qp(
            "dyad",
            s(),
            "A,B: source A and target B (three letters = country, longer = actor-code prefix)",
        ),
        qp(
            "both",
            json!({"type": "boolean"}),
            "With dyad: also B acting on A",
        ),
        qp("cameo", s(), "CAMEO code prefix (04 = the whole root)"),
        qp("root", s(), "CAMEO root, exactly"),
        qp(
            "quad_class",
            json!({"type": "integer", "minimum": 1, "maximum": 4}),
            "QuadClass",
        ),
        qp(
            "location_country",
            s(),
            "ISO3 country of the event location",
        ),
        qp(
            "located",
            json!({"type": "boolean"}),
            "Only events with coordinates",
        ),
        qp("q", s(), "SQLite FTS5 full-text query over sentences"),
        qp("doc_id", s(), "Only events of this document"),
        qp(
            "limit",
            json!({"type": "integer", "minimum": 1, "maximum": 1000, "default": 100}),
            "Page size",
        ),
        qp("cursor", s(), "next_cursor of the previous page"),
    ];
    event_params.extend(period.clone());
    let mut actor_params = vec![
        qp(
            "by",
            json!({"type": "string", "enum": ["country", "actor"], "default": "country"}),
            "Group by country or full actor code",
        ),
        qp(
            "limit",
            json!({"type": "integer", "minimum": 1}),
            "How many",
        ),
    ];
    actor_params.extend(period.clone());
    let mut timeline_params = vec![
        pp("a", "First side: country code or actor-code prefix"),
        pp("b", "Second side"),
        qp(
            "interval",
            json!({"type": "string", "enum": ["day", "week", "month"], "default": "month"}),
            "Bucket width (weeks start on Monday)",
        ),
    ];
    timeline_params.extend(period);
    let html = json!({"200": {"description": "HTML", "content": {"text/html": {"schema": {"type": "string"}}}}});
    json!({
        "openapi": "3.0.3",
        "info": {
            "title": "dyad event API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Coded political events (CAMEO/PLOVER) stored by dyad: ingest documents, query events, dyad timelines, actors."
        },
        "paths": {
            "/": {"get": {"summary": "The dashboard", "operationId": "dashboard", "responses": html}},
            "/assets/{name}": {"get": {
                "summary": "An embedded dashboard asset", "operationId": "asset",
                "parameters": [pp("name", "Asset file name")],
                "responses": {"200": {"description": "The file"}, "404": error_ref("No such asset")}
            }},
            "/openapi.json": {"get": {"summary": "This document", "operationId": "openapi",
                "responses": ok_json("OpenAPI 3 document", json!({"type": "object"}))}},
            "/v1/health": {"get": {"summary": "Liveness and row counts", "operationId": "health",
                "responses": ok_json("Healthy", json!({"$ref": "#/components/schemas/Health"}))}},
            "/v1/documents": {"post": {
                "summary": "Code documents and store them (replacing any with the same doc_id); returns their events",
                "operationId": "postDocuments",
                "security": [{"bearer": []}],
                "parameters": [
                    qp("doc_id", s(), "text/plain only: document id (default: a hash of the text)"),
                    qp("published", s(), "text/plain only: publication date"),
                    qp("source", s(), "text/plain only: outlet"),
                    qp("title", s(), "text/plain only: headline")
                ],
                "requestBody": {"required": true, "content": {
                    "application/json": {"schema": {"oneOf": [
                        {"$ref": "#/components/schemas/IncomingDocument"},
                        {"type": "array", "items": {"$ref": "#/components/schemas/IncomingDocument"}},
                        {"type": "object", "required": ["documents"], "properties": {"documents": {"type": "array", "items": {"$ref": "#/components/schemas/IncomingDocument"}}}}
                    ]}},
                    "text/plain": {"schema": {"type": "string"}}
                }},
                "responses": {
                    "200": {"description": "Stored", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/PostResponse"}}}},
                    "400": error_ref("Malformed body"),
                    "401": error_ref("Missing or wrong bearer token"),
                    "403": error_ref("Server started without a token: writes disabled"),
                    "413": error_ref("Body larger than the limit"),
                    "422": error_ref("The coder rejected a document")
                }
            }},
            "/v1/events": {"get": {
                "summary": "Events matching the filters, newest first, cursor-paginated",
                "operationId": "getEvents", "parameters": event_params,
                "responses": {
                    "200": {"description": "A page", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Page"}}}},
                    "400": error_ref("Bad filter")
                }
            }},
            "/v1/dyads/{a}/{b}/timeline": {"get": {
                "summary": "QuadClass counts and summed/mean Goldstein per interval, both directions",
                "operationId": "getTimeline", "parameters": timeline_params,
                "responses": {
                    "200": {"description": "The timeline", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Timeline"}}}},
                    "400": error_ref("Bad interval or date")
                }
            }},
            "/v1/actors": {"get": {
                "summary": "Top actors (or countries) in a period",
                "operationId": "getActors", "parameters": actor_params.clone(),
                "responses": {
                    "200": {"description": "Actors by event count", "content": {"application/json": {"schema": {
                        "type": "object", "properties": {"actors": {"type": "array", "items": {"$ref": "#/components/schemas/ActorCount"}}}}}}},
                    "400": error_ref("Bad parameter")
                }
            }},
            "/v1/network": {"get": {
                "summary": "Heaviest directed actor (or country) pairs in a period",
                "operationId": "getNetwork", "parameters": actor_params,
                "responses": {
                    "200": {"description": "Edges", "content": {"application/json": {"schema": {
                        "type": "object", "properties": {"edges": {"type": "array", "items": {"$ref": "#/components/schemas/Edge"}}}}}}},
                    "400": error_ref("Bad parameter")
                }
            }}
        },
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": {
                "Error": {"type": "object", "required": ["error"], "properties": {"error": {"type": "string"}}},
                "Health": {"type": "object", "properties": {
                    "status": s(), "version": s(),
                    "documents": {"type": "integer"}, "sentences": {"type": "integer"}, "events": {"type": "integer"}}},
                "IncomingDocument": {"type": "object", "required": ["text"], "properties": {
                    "text": s(), "doc_id": s(), "published": s(), "source": s(), "title": s()}},
                "Event": {"type": "object", "description": "dyad's JSONL event record (see dyad_core::event), plus sentence_start: the sentence's character offset in its document",
                    "required": ["doc_id", "sentence_id", "sentence", "date", "source", "target", "event", "issues", "evidence"],
                    "properties": {
                        "doc_id": s(), "sentence_id": s(), "sentence": s(),
                        "date": {"type": "string", "nullable": true},
                        "source": {"type": "object", "nullable": true},
                        "target": {"type": "object", "nullable": true},
                        "event": {"type": "object", "properties": {
                            "cameo": s(), "root": s(), "quad_class": {"type": "integer"},
                            "goldstein": {"type": "number"}, "plover": {"type": "object", "nullable": true}}},
                        "issues": {"type": "array", "items": s()},
                        "evidence": {"type": "object"},
                        "location": {"type": "object"},
                        "sentence_start": {"type": "integer", "nullable": true}
                    }},
                "Page": {"type": "object", "properties": {
                    "events": {"type": "array", "items": {"$ref": "#/components/schemas/Event"}},
                    "next_cursor": {"type": "string", "nullable": true}}},
                "PostResponse": {"type": "object", "properties": {
                    "events": {"type": "integer", "description": "Events in all documents"},
                    "documents": {"type": "array", "items": {"type": "object", "properties": {
                        "doc_id": s(), "replaced": {"type": "boolean"}, "sentences": {"type": "integer"},
                        "events": {"type": "array", "items": {"$ref": "#/components/schemas/Event"}}}}}}},
                "DirectionStats": {"type": "object", "properties": {
                    "count": {"type": "integer"},
                    "quad_counts": {"type": "array", "items": {"type": "integer"}, "minItems": 4, "maxItems": 4,
                        "description": "Index 0 = QuadClass 1 (verbal cooperation) ... 3 = QuadClass 4 (material conflict)"},
                    "goldstein_sum": {"type": "number"},
                    "goldstein_mean": {"type": "number", "nullable": true},
                    "roots": {"type": "object", "additionalProperties": {"type": "integer"}}}},
                "Bucket": {"type": "object", "properties": {
                    "period": s(),
                    "a_to_b": {"$ref": "#/components/schemas/DirectionStats"},
                    "b_to_a": {"$ref": "#/components/schemas/DirectionStats"}}},
                "Timeline": {"type": "object", "properties": {
                    "a": s(), "b": s(), "interval": s(),
                    "buckets": {"type": "array", "items": {"$ref": "#/components/schemas/Bucket"}},
                    "unplaced": {"$ref": "#/components/schemas/Bucket"},
                    "totals": {"$ref": "#/components/schemas/Bucket"}}},
                "ActorCount": {"type": "object", "properties": {
                    "actor": s(), "as_source": {"type": "integer"}, "as_target": {"type": "integer"}, "total": {"type": "integer"}}},
                "Edge": {"type": "object", "properties": {
                    "source": s(), "target": s(), "count": {"type": "integer"}, "goldstein_mean": {"type": "number"}}}
            }
        }
    })
}
