-- Uploaded files (claim check): the bytes are stored once, keyed by their SHA-256, and the
-- document job carries only this key, so no Kafka record grows with the file.
CREATE TABLE document_uploads (
    content_ref  text PRIMARY KEY,
    file_name    text        NOT NULL,
    content_type text,
    size_bytes   bigint      NOT NULL,
    content      bytea       NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now()
);

-- Text extracted from a document (claim check between the pipeline's steps), keyed by document id.
CREATE TABLE document_texts (
    document_id text PRIMARY KEY,
    text        text        NOT NULL,
    media_type  text,
    metadata    jsonb       NOT NULL DEFAULT '{}'::jsonb,
    updated_at  timestamptz NOT NULL DEFAULT now()
);

-- One row per ingested document (the document id is its job id); re-ingestion replaces it.
CREATE TABLE documents (
    document_id  text PRIMARY KEY,
    file_name    text        NOT NULL,
    media_type   text,
    characters   integer     NOT NULL,
    label        text        NOT NULL,
    label_score  double precision NOT NULL,
    scores       jsonb       NOT NULL DEFAULT '{}'::jsonb,
    chunk_count  integer     NOT NULL,
    ingested_at  timestamptz NOT NULL DEFAULT now()
);

-- Named entities across documents: one row per type and surface text.
CREATE TABLE entities (
    entity_id   bigserial PRIMARY KEY,
    entity_type text NOT NULL,
    name        text NOT NULL,
    UNIQUE (entity_type, name)
);

-- Every mention of an entity in a document, with its character offsets in the extracted text.
CREATE TABLE document_entity_mentions (
    document_id  text    NOT NULL REFERENCES documents (document_id) ON DELETE CASCADE,
    entity_id    bigint  NOT NULL REFERENCES entities (entity_id),
    start_offset integer NOT NULL,
    end_offset   integer NOT NULL,
    PRIMARY KEY (document_id, start_offset, end_offset)
);

CREATE INDEX document_entity_mentions_entity ON document_entity_mentions (entity_id);
