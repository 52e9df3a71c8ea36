-- Who classified a document and who recognized its entities (zero-shot, crf, openai:<model>), so its
-- results can say where they came from. Null for documents ingested before this column existed.
ALTER TABLE documents
    ADD COLUMN classification_provider text,
    ADD COLUMN ner_provider            text;

CREATE INDEX documents_label ON documents (label, ingested_at DESC);
CREATE INDEX entities_lower_name ON entities (lower(name));
