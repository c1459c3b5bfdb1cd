-- The service hall (办事大厅): guides to common company affairs, each with where to go (a
-- place on the resource map, whose page lists its guides). The admin edits them (audited).
CREATE TABLE guides (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    category_id bigint NOT NULL REFERENCES request_categories (id),
    title       text NOT NULL CHECK (char_length(title) BETWEEN 2 AND 60),
    summary     text NOT NULL DEFAULT '' CHECK (char_length(summary) <= 300),
    -- In order, one a line as the admin typed them.
    steps       text[] NOT NULL CHECK (cardinality(steps) BETWEEN 1 AND 20),
    materials   text[] NOT NULL DEFAULT '{}' CHECK (cardinality(materials) <= 30),
    place_id    bigint REFERENCES places (id),
    hours       text NOT NULL DEFAULT '' CHECK (char_length(hours) <= 200),
    fees        text NOT NULL DEFAULT '' CHECK (char_length(fees) <= 200),
    time_limit  text NOT NULL DEFAULT '' CHECK (char_length(time_limit) <= 200),
    online_url  text NOT NULL DEFAULT '' CHECK (online_url = '' OR online_url ~ '^https://'),
    contact     text NOT NULL DEFAULT '' CHECK (char_length(contact) <= 200),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    updated_by  bigint REFERENCES users (id) ON DELETE SET NULL,
    is_demo     boolean NOT NULL DEFAULT false
);
CREATE INDEX guides_place_idx ON guides (place_id);
CREATE INDEX guides_category_idx ON guides (category_id, id);
