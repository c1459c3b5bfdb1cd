-- Problems raised to the building manager (楼长点点通): categories with working-time
-- deadlines, the working-day calendar, companies in buildings, requests with their
-- department assignments, the append-only timeline, photos and in-app notifications.
-- The lifecycle rules live in app/src/requests/lifecycle.rs; the database keeps the facts.

-- Days that differ from the default week (Monday to Friday working, weekends off): public
-- holidays and the make-up working days (调休) of the official schedule. The admin adds the
-- next year's rows when the State Council publishes them each November.
CREATE TABLE calendar_days (
    day  date PRIMARY KEY,
    kind text NOT NULL CHECK (kind IN ('off', 'work')),
    note text NOT NULL DEFAULT ''
);

-- 2026: 国务院办公厅关于2026年部分节假日安排的通知.
INSERT INTO calendar_days (day, kind, note)
SELECT d::date, 'off', note
  FROM (VALUES ('2026-01-01', '2026-01-03', '元旦'),
               ('2026-02-15', '2026-02-23', '春节'),
               ('2026-04-04', '2026-04-06', '清明节'),
               ('2026-05-01', '2026-05-05', '劳动节'),
               ('2026-06-19', '2026-06-21', '端午节'),
               ('2026-09-25', '2026-09-27', '中秋节'),
               ('2026-10-01', '2026-10-07', '国庆节')) AS h (first, last, note),
       generate_series(first::date, last::date, interval '1 day') AS d;
INSERT INTO calendar_days (day, kind, note) VALUES
    ('2026-01-04', 'work', '元旦调休'),
    ('2026-02-14', 'work', '春节调休'),
    ('2026-02-28', 'work', '春节调休'),
    ('2026-05-09', 'work', '劳动节调休'),
    ('2026-09-20', 'work', '国庆节调休'),
    ('2026-10-10', 'work', '国庆节调休');

-- What a problem is about. Deadlines count working minutes (09:00–17:00 on working days):
-- the first response (a department claims it) and the resolution.
CREATE TABLE request_categories (
    id                     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code                   text NOT NULL CONSTRAINT request_categories_code_key UNIQUE
                           CHECK (code ~ '^[a-z][a-z_]*$'),
    name_zh                text NOT NULL CHECK (name_zh <> ''),
    name_en                text NOT NULL CHECK (name_en <> ''),
    default_department_id  bigint REFERENCES departments (id) ON DELETE SET NULL,
    first_response_minutes integer NOT NULL CHECK (first_response_minutes > 0),
    resolution_minutes     integer NOT NULL CHECK (resolution_minutes >= first_response_minutes),
    sort_order             integer NOT NULL DEFAULT 0
);

INSERT INTO request_categories
    (code, name_zh, name_en, first_response_minutes, resolution_minutes, sort_order) VALUES
    ('policy', '政策咨询', 'Policy questions', 240, 3 * 480, 1),
    ('business', '企业服务/工商登记', 'Business services and registration', 480, 5 * 480, 2),
    ('property', '物业与楼宇设施', 'Property and building facilities', 240, 3 * 480, 3),
    ('talent', '人才与落户', 'Talent and residence registration', 480, 5 * 480, 4),
    ('party', '党建与群团', 'Party building and mass organisations', 480, 5 * 480, 5),
    ('safety', '安全与消防', 'Safety and fire protection', 120, 2 * 480, 6),
    ('consultation', '咨询', 'Consultation', 480, 3 * 480, 7),
    ('other', '其他', 'Other', 480, 5 * 480, 8);

-- Companies in buildings. A worker may type a company that is not listed yet; it is kept
-- unconfirmed until the building manager confirms it.
CREATE TABLE companies (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    building_id bigint NOT NULL REFERENCES places (id),
    name        text NOT NULL CHECK (char_length(name) BETWEEN 2 AND 60),
    confirmed   boolean NOT NULL DEFAULT true,
    created_by  bigint REFERENCES users (id) ON DELETE SET NULL,
    is_demo     boolean NOT NULL DEFAULT false,
    CONSTRAINT companies_building_name_key UNIQUE (building_id, name)
);

-- The per-year sequence behind tracking numbers (CS2026-000123).
CREATE TABLE request_counters (
    year integer PRIMARY KEY,
    last integer NOT NULL
);

CREATE TABLE requests (
    id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    number             text NOT NULL CONSTRAINT requests_number_key UNIQUE
                       CHECK (number ~ '^CS[0-9]{4}-[0-9]{6,}$'),
    requester_id       bigint NOT NULL REFERENCES users (id),
    building_id        bigint NOT NULL REFERENCES places (id),
    company_id         bigint REFERENCES companies (id),
    category_id        bigint NOT NULL REFERENCES request_categories (id),
    title              text NOT NULL CHECK (char_length(title) BETWEEN 1 AND 60),
    description        text NOT NULL CHECK (char_length(description) <= 2000),
    status             text NOT NULL CHECK (status IN ('submitted', 'accepted', 'returned',
                           'merged', 'routed', 'answered', 'resolved', 'closed')),
    merged_into        bigint REFERENCES requests (id),
    -- Character bigrams of the title and description (app/src/requests/similar.rs), for
    -- "similar requests" in Chinese, where trigrams find nothing.
    bigrams            text[] NOT NULL DEFAULT '{}',
    submitted_at       timestamptz NOT NULL,
    first_response_due timestamptz NOT NULL,
    resolution_due     timestamptz NOT NULL,
    -- When a department first claimed it, or the manager returned or merged it.
    responded_at       timestamptz,
    -- The deadline that matters now (app/src/requests/deadlines.rs): the first response
    -- until someone responded, then the resolution. A function of the row, not of the
    -- clock, so it never goes stale; it lets the inbox walk an index in deadline order.
    current_due        timestamptz GENERATED ALWAYS AS (
                           CASE WHEN responded_at IS NULL
                                THEN least(first_response_due, resolution_due)
                                ELSE resolution_due END) STORED,
    resolved_at        timestamptz,
    closed_at          timestamptz,
    summary            text,
    rating             smallint CHECK (rating BETWEEN 1 AND 5),
    is_demo            boolean NOT NULL DEFAULT false,
    CHECK ((status = 'merged') = (merged_into IS NOT NULL)),
    CHECK (status NOT IN ('resolved', 'closed') OR resolved_at IS NOT NULL)
);
-- The inbox: a building's open requests, and all open requests (for departments and
-- admins), each in deadline order; any status by building.
CREATE INDEX requests_open_building_idx ON requests (building_id, current_due)
    WHERE status IN ('submitted', 'accepted', 'routed', 'answered');
CREATE INDEX requests_open_idx ON requests (current_due)
    WHERE status IN ('submitted', 'accepted', 'routed', 'answered');
CREATE INDEX requests_building_idx ON requests (building_id, current_due);
CREATE INDEX requests_due_idx ON requests (current_due);
CREATE INDEX requests_requester_idx ON requests (requester_id, id DESC);
CREATE INDEX requests_resolved_idx ON requests (resolved_at) WHERE status = 'resolved';

-- A request routed to a department: claimed (认领) by one of its staff, then answered.
CREATE TABLE request_assignments (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    request_id    bigint NOT NULL REFERENCES requests (id),
    department_id bigint NOT NULL REFERENCES departments (id),
    status        text NOT NULL CHECK (status IN ('routed', 'claimed', 'answered')),
    routed_at     timestamptz NOT NULL,
    claimed_at    timestamptz,
    claimed_by    bigint REFERENCES users (id),
    answered_at   timestamptz,
    CONSTRAINT request_assignments_once UNIQUE (request_id, department_id)
);
CREATE INDEX request_assignments_department_idx ON request_assignments (department_id, request_id);

-- "Similar requests" as an inverted index: each bigram of a resolved or closed request,
-- with the request's gram count for the score (app/src/requests/similar.rs). A query's
-- grams read their posting lists from the index alone and count shared grams per request,
-- instead of intersecting arrays row by row. Kept in step by the trigger below.
CREATE TABLE request_grams (
    gram       text NOT NULL,
    request_id bigint NOT NULL REFERENCES requests (id),
    grams      integer NOT NULL,
    PRIMARY KEY (gram, request_id)
);
CREATE INDEX request_grams_request_idx ON request_grams (request_id);

CREATE FUNCTION request_grams_sync() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    was boolean := TG_OP = 'UPDATE' AND OLD.status IN ('resolved', 'closed');
    now_is boolean := NEW.status IN ('resolved', 'closed');
BEGIN
    IF was AND (NOT now_is OR NEW.bigrams IS DISTINCT FROM OLD.bigrams) THEN
        DELETE FROM request_grams WHERE request_id = NEW.id;
        was := false;
    END IF;
    IF now_is AND NOT was THEN
        INSERT INTO request_grams (gram, request_id, grams)
        SELECT DISTINCT g, NEW.id, cardinality(NEW.bigrams) FROM unnest(NEW.bigrams) AS g;
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER request_grams_sync AFTER INSERT OR UPDATE OF status, bigrams ON requests
    FOR EACH ROW EXECUTE FUNCTION request_grams_sync();

-- The timeline: every change to a request, in order. It is what users read and the truth
-- the request row summarises, so it is append-only.
CREATE TABLE request_events (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    request_id    bigint NOT NULL REFERENCES requests (id),
    -- NULL for the system (automatic closing, escalation).
    actor_id      bigint REFERENCES users (id),
    -- The capacity the actor acted in: requester, manager, department, admin, system.
    actor_role    text NOT NULL,
    department_id bigint REFERENCES departments (id),
    kind          text NOT NULL,
    note          text NOT NULL DEFAULT '',
    detail        jsonb NOT NULL DEFAULT '{}',
    at            timestamptz NOT NULL
);
CREATE INDEX request_events_request_idx ON request_events (request_id, id);

CREATE FUNCTION request_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'request_events is append-only';
END
$$;
CREATE TRIGGER request_events_append_only BEFORE UPDATE OR DELETE ON request_events
    FOR EACH STATEMENT EXECUTE FUNCTION request_events_append_only();

-- Photos, re-encoded by the server (no metadata survives), with a thumbnail. They live in
-- the database so that a request and its photos are written in one transaction.
CREATE TABLE request_photos (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    request_id  bigint NOT NULL REFERENCES requests (id),
    event_id    bigint NOT NULL REFERENCES request_events (id),
    uploaded_by bigint REFERENCES users (id),
    width       integer NOT NULL,
    height      integer NOT NULL,
    jpeg        bytea NOT NULL,
    thumb       bytea NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX request_photos_request_idx ON request_photos (request_id, id);

-- In-app notifications (我的消息). `kind` names the event; `link` is where it leads.
CREATE TABLE notifications (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id    bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind       text NOT NULL,
    subject    text NOT NULL,
    link       text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    read_at    timestamptz
);
CREATE INDEX notifications_user_idx ON notifications (user_id, id DESC);
CREATE INDEX notifications_unread_idx ON notifications (user_id) WHERE read_at IS NULL;
