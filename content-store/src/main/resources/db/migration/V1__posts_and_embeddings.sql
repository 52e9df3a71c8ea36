CREATE EXTENSION IF NOT EXISTS vector;

-- Scraped posts as received by the webhook (content.posts is their source of truth; this is the
-- queryable copy the embedding processor keeps).
CREATE TABLE content_posts (
    post_id      text PRIMARY KEY,
    url          text,
    title        text,
    text         text        NOT NULL,
    author       text,
    source       text,
    published_at timestamptz,
    scraped_at   timestamptz,
    ingested_at  timestamptz NOT NULL,
    text_hash    text        NOT NULL,
    metadata     jsonb       NOT NULL DEFAULT '{}'::jsonb
);

-- One row per entity and model, so two models live side by side (backfill with a new model
-- leaves the old vectors in place). The column has no fixed dimension; each model gets a partial
-- HNSW index over its own dimension, created when the model is first stored.
CREATE TABLE embeddings (
    entity_type  text        NOT NULL,
    entity_id    text        NOT NULL,
    model        text        NOT NULL,
    dimensions   integer     NOT NULL,
    content_hash text        NOT NULL,
    embedding    vector      NOT NULL,
    content      text,
    updated_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (entity_type, entity_id, model)
);

CREATE INDEX embeddings_model_type ON embeddings (model, entity_type);
