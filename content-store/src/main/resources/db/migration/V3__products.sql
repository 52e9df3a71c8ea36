-- Seed 004's catalog: the queryable copy of the products topic, kept by catalog-processor.
CREATE TABLE products (
    product_id  text PRIMARY KEY,
    title       text        NOT NULL,
    description text        NOT NULL DEFAULT '',
    brand       text,
    price       bigint      NOT NULL,
    currency    text        NOT NULL,
    is_featured boolean     NOT NULL DEFAULT false,
    tags        text[]      NOT NULL DEFAULT '{}',
    updated_at  timestamptz NOT NULL,
    text_hash   text        NOT NULL
);

CREATE INDEX products_featured_price ON products (is_featured, price);

-- One enrichment per product: version counts the enrichments made, prompt_version and text_hash
-- say what it was made from, so a job finds it current or redoes it.
CREATE TABLE product_enrichments (
    product_id     text PRIMARY KEY,
    version        integer     NOT NULL,
    prompt_version text        NOT NULL,
    text_hash      text        NOT NULL,
    provider       text        NOT NULL,
    category       text        NOT NULL,
    fields         jsonb       NOT NULL,
    updated_at     timestamptz NOT NULL DEFAULT now()
);

-- Curated collections of a surface for a day, in order; a product appears once per (surface, day).
CREATE TABLE curated_collections (
    surface         text        NOT NULL,
    collection_date date        NOT NULL,
    position        integer     NOT NULL,
    title           text        NOT NULL,
    keywords        text[]      NOT NULL,
    product_ids     text[]      NOT NULL,
    provider        text        NOT NULL,
    job_id          text        NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (surface, collection_date, position)
);
