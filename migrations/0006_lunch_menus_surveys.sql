-- Menu management and the lunch survey: a meal's photo, and surveys the subdistrict admin
-- writes for workers, answered once per person.

-- A meal photo, re-encoded like request photos. Copying a day's menu shares the photo
-- instead of copying its bytes.
CREATE TABLE lunch_photos (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    jpeg        bytea NOT NULL,
    thumb       bytea NOT NULL,
    width       integer NOT NULL CHECK (width > 0),
    height      integer NOT NULL CHECK (height > 0),
    uploaded_by bigint REFERENCES users (id) ON DELETE SET NULL,
    uploaded_at timestamptz NOT NULL DEFAULT now()
);
ALTER TABLE meals ADD COLUMN photo_id bigint REFERENCES lunch_photos (id);

-- A survey (午餐调查). Open surveys are shown to signed-in workers; closing one keeps its
-- answers and results.
CREATE TABLE lunch_surveys (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    title      text NOT NULL CHECK (char_length(title) BETWEEN 2 AND 60),
    intro      text NOT NULL DEFAULT '' CHECK (char_length(intro) <= 300),
    is_open    boolean NOT NULL DEFAULT true,
    created_by bigint REFERENCES users (id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    is_demo    boolean NOT NULL DEFAULT false
);

CREATE TABLE lunch_survey_questions (
    id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    survey_id bigint NOT NULL REFERENCES lunch_surveys (id) ON DELETE CASCADE,
    position  smallint NOT NULL CHECK (position BETWEEN 1 AND 20),
    kind      text NOT NULL CHECK (kind IN ('single', 'multiple', 'text')),
    prompt    text NOT NULL CHECK (char_length(prompt) BETWEEN 2 AND 120),
    options   text[] NOT NULL DEFAULT '{}',
    CHECK ((kind = 'text') = (cardinality(options) = 0)),
    CHECK (cardinality(options) <= 10),
    UNIQUE (survey_id, position)
);

-- One response per person per survey: the primary key refuses a second, whatever the
-- concurrency.
CREATE TABLE lunch_survey_responses (
    survey_id    bigint NOT NULL REFERENCES lunch_surveys (id) ON DELETE CASCADE,
    user_id      bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    submitted_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT lunch_survey_responses_pkey PRIMARY KEY (survey_id, user_id)
);

-- An answer: the chosen options (0-based indexes into the question's options) or a text.
CREATE TABLE lunch_survey_answers (
    survey_id   bigint NOT NULL,
    user_id     bigint NOT NULL,
    question_id bigint NOT NULL REFERENCES lunch_survey_questions (id) ON DELETE CASCADE,
    choices     smallint[] NOT NULL DEFAULT '{}',
    text        text NOT NULL DEFAULT '' CHECK (char_length(text) <= 500),
    PRIMARY KEY (survey_id, user_id, question_id),
    FOREIGN KEY (survey_id, user_id) REFERENCES lunch_survey_responses ON DELETE CASCADE
);
