-- Accounts, sessions and roles. Users sign in with a mainland mobile number.

CREATE TABLE users (
    id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    phone               text NOT NULL CHECK (phone ~ '^1[3-9][0-9]{9}$'),
    display_name        text NOT NULL CHECK (char_length(display_name) BETWEEN 1 AND 40),
    password_hash       text NOT NULL,
    is_demo             boolean NOT NULL DEFAULT false,
    created_at          timestamptz NOT NULL DEFAULT now(),
    password_changed_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT users_phone_key UNIQUE (phone)
);

-- Sessions live here rather than in process memory so that several server processes can
-- serve the same signed-in user. Only a SHA-256 of the cookie's token is stored: a leaked
-- table does not leak sessions.
CREATE TABLE sessions (
    token_hash bytea PRIMARY KEY,
    user_id    bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL
);
CREATE INDEX sessions_user_id_idx ON sessions (user_id);

-- Failed sign-ins per key ('phone:…' or 'ip:…'), for throttling across processes.
CREATE TABLE sign_in_throttle (
    key               text PRIMARY KEY,
    failures          integer NOT NULL,
    window_started_at timestamptz NOT NULL,
    locked_until      timestamptz
);

CREATE TABLE departments (
    id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name_zh text NOT NULL CONSTRAINT departments_name_zh_key UNIQUE,
    name_en text NOT NULL,
    is_demo boolean NOT NULL DEFAULT false
);

-- The places of the subdistrict. Roles are scoped to places (a manager's building, a
-- station's lunch point, a partner unit), so the table starts here; the resource map adds
-- the rest of a place's columns.
CREATE TABLE places (
    id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name_zh text NOT NULL,
    name_en text NOT NULL,
    kinds   text[] NOT NULL CHECK (
        cardinality(kinds) > 0
        AND kinds <@ ARRAY['service_station', 'lunch_point', 'building', 'joint_committee',
                           'partner_unit', 'activity_venue']::text[]),
    is_demo boolean NOT NULL DEFAULT false
);

CREATE TABLE role_grants (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id       bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role          text NOT NULL CHECK (role IN ('building_manager', 'department_staff',
                                                'station_staff', 'partner', 'admin')),
    place_id      bigint REFERENCES places (id),
    department_id bigint REFERENCES departments (id),
    granted_by    bigint REFERENCES users (id) ON DELETE SET NULL,
    granted_at    timestamptz NOT NULL DEFAULT now(),
    -- Each role names exactly the scope it needs: none for admins, a department for
    -- department staff, a place for the others.
    CONSTRAINT role_grants_scope_fits CHECK (
        CASE role
            WHEN 'admin' THEN place_id IS NULL AND department_id IS NULL
            WHEN 'department_staff' THEN department_id IS NOT NULL AND place_id IS NULL
            ELSE place_id IS NOT NULL AND department_id IS NULL
        END)
);
CREATE UNIQUE INDEX role_grants_unique
    ON role_grants (user_id, role, coalesce(place_id, 0), coalesce(department_id, 0));

-- Who changed what, when: role grants now, places and more later.
CREATE TABLE audit_log (
    id       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    actor_id bigint REFERENCES users (id) ON DELETE SET NULL,
    action   text NOT NULL,
    subject  text NOT NULL,
    detail   jsonb NOT NULL DEFAULT '{}',
    at       timestamptz NOT NULL DEFAULT now()
);
