-- Seed 003: API documentation generated from a page's screenshot, one row per endpoint found.
-- A resource's id is {curl job id}:{n}; re-running a curl job replaces its rows in one transaction.
CREATE TABLE api_resources (
    resource_id  text PRIMARY KEY,
    job_id       text             NOT NULL,
    page_url     text             NOT NULL,
    page_title   text,
    method       text             NOT NULL,
    endpoint     text             NOT NULL,
    headers      jsonb            NOT NULL DEFAULT '{}'::jsonb,
    body         text,
    curl         text             NOT NULL,
    markdown     text             NOT NULL,
    description  text,
    provider     text             NOT NULL,
    confidence   double precision,
    content_ref  text             NOT NULL,
    created_at   timestamptz      NOT NULL DEFAULT now()
);

CREATE INDEX api_resources_job_id ON api_resources (job_id);
CREATE INDEX api_resources_page_url ON api_resources (page_url);
