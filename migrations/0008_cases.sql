-- The case library (案例查询): resolved requests that staff publish for everyone, with
-- personal data masked first (app/src/knowledge/mask.rs). Only the masked text is stored
-- here; the original stays with its request.

CREATE TABLE cases (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- The request it came from; one case a request. NULL for a case written directly.
    request_id   bigint REFERENCES requests (id) CONSTRAINT cases_request_key UNIQUE,
    category_id  bigint NOT NULL REFERENCES request_categories (id),
    building_id  bigint REFERENCES places (id),
    title        text NOT NULL CHECK (char_length(title) BETWEEN 2 AND 60),
    problem      text NOT NULL CHECK (char_length(problem) BETWEEN 2 AND 2000),
    solution     text NOT NULL CHECK (char_length(solution) BETWEEN 2 AND 2000),
    -- Character bigrams of the title, problem and solution (app/src/requests/similar.rs):
    -- search in Chinese, where words have no spaces between them.
    bigrams      text[] NOT NULL DEFAULT '{}',
    published_by bigint REFERENCES users (id) ON DELETE SET NULL,
    published_at timestamptz NOT NULL DEFAULT now(),
    is_demo      boolean NOT NULL DEFAULT false
);
CREATE INDEX cases_bigrams_idx ON cases USING gin (bigrams);
CREATE INDEX cases_category_idx ON cases (category_id, published_at DESC);

CREATE TABLE case_departments (
    case_id       bigint NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    department_id bigint NOT NULL REFERENCES departments (id),
    PRIMARY KEY (case_id, department_id)
);
CREATE INDEX case_departments_department_idx ON case_departments (department_id);

-- "Was this helpful?": one answer a reader a case, which they may change. "Helped me, no
-- need to ask" (`answered`) counts as a question answered without dispatch (直接答复).
CREATE TABLE case_votes (
    case_id    bigint NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    user_id    bigint NOT NULL REFERENCES users (id),
    helpful    boolean NOT NULL,
    answered   boolean NOT NULL DEFAULT false,
    voted_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (case_id, user_id),
    CHECK (helpful OR NOT answered)
);
CREATE INDEX case_votes_answered_idx ON case_votes (voted_at) WHERE answered;
