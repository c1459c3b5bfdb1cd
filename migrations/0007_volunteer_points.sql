-- Volunteer points (圆梦积分): activities at places on the map, sign-ups with a waiting
-- list, check-in and check-out by signed rotating codes, an append-only points ledger whose
-- balance the database keeps from going negative, badges, and rewards from partner units.
-- The rules (tokens, points, the geofence, badges) are pure code in app/src/points/.

-- Photos that anyone may see (meal photos, activity photos): one table for both.
ALTER TABLE lunch_photos RENAME TO photos;

-- Server secrets, generated at first start and kept, so that every server process signs
-- alike and codes survive a restart (a configured value overrides it).
CREATE TABLE app_secrets (
    name       text PRIMARY KEY,
    value      bytea NOT NULL CHECK (length(value) >= 32),
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE activities (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    title           text NOT NULL CHECK (char_length(title) BETWEEN 2 AND 60),
    description     text NOT NULL DEFAULT '' CHECK (char_length(description) <= 1000),
    photo_id        bigint REFERENCES photos (id),
    venue_id        bigint NOT NULL REFERENCES places (id),
    starts_at       timestamptz NOT NULL,
    ends_at         timestamptz NOT NULL,
    signup_until    timestamptz NOT NULL,
    capacity        integer NOT NULL CHECK (capacity BETWEEN 1 AND 10000),
    -- Kept by sign-ups and cancellations in the same transaction; never above capacity,
    -- whatever the concurrency.
    signed_up       integer NOT NULL DEFAULT 0 CHECK (signed_up >= 0),
    points_fixed    integer CHECK (points_fixed BETWEEN 1 AND 1000),
    points_per_hour integer CHECK (points_per_hour BETWEEN 1 AND 1000),
    points_cap      integer CHECK (points_cap BETWEEN 1 AND 10000),
    geofence_m      integer CHECK (geofence_m BETWEEN 20 AND 5000),
    tags            text[] NOT NULL DEFAULT '{}'
                    CHECK (tags <@ ARRAY['environment', 'elderly', 'traffic', 'community',
                                         'culture']::text[]),
    organiser_id    bigint REFERENCES users (id) ON DELETE SET NULL,
    cancelled_at    timestamptz,
    created_at      timestamptz NOT NULL DEFAULT now(),
    is_demo         boolean NOT NULL DEFAULT false,
    CONSTRAINT activities_places_check CHECK (signed_up <= capacity),
    CHECK (starts_at < ends_at AND signup_until <= ends_at),
    CHECK ((points_fixed IS NULL) <> (points_per_hour IS NULL)),
    CHECK ((points_per_hour IS NULL) = (points_cap IS NULL))
);
CREATE INDEX activities_start_idx ON activities (starts_at);
CREATE INDEX activities_venue_idx ON activities (venue_id, starts_at);

-- A volunteer on an activity: signed up, waiting for a place (in order of signing up), or
-- cancelled; and their check-in and check-out, once each.
CREATE TABLE activity_signups (
    activity_id     bigint NOT NULL REFERENCES activities (id),
    user_id         bigint NOT NULL REFERENCES users (id),
    status          text NOT NULL CHECK (status IN ('signed_up', 'waiting', 'cancelled')),
    queued_at       timestamptz NOT NULL DEFAULT clock_timestamp(),
    checked_in_at   timestamptz,
    checked_out_at  timestamptz,
    -- How each was recorded: 'scan', 'code', 'offline' (scanned earlier, sent later) or
    -- 'manual' (by the organiser, with a reason, in audit_log).
    check_in_how    text CHECK (check_in_how IN ('scan', 'code', 'offline', 'manual')),
    check_out_how   text CHECK (check_out_how IN ('scan', 'code', 'offline', 'manual')),
    minutes         integer CHECK (minutes >= 0),
    points          integer CHECK (points >= 0),
    PRIMARY KEY (activity_id, user_id),
    CHECK (checked_in_at IS NULL OR status = 'signed_up'),
    CHECK (checked_out_at IS NULL OR checked_in_at IS NOT NULL),
    CHECK ((checked_in_at IS NULL) = (check_in_how IS NULL)),
    CHECK ((checked_out_at IS NULL) = (check_out_how IS NULL))
);
CREATE INDEX activity_signups_user_idx ON activity_signups (user_id);
CREATE INDEX activity_signups_waiting_idx ON activity_signups (activity_id, queued_at)
    WHERE status = 'waiting';

-- Rewards (积分兑换) that partner units offer, and the codes volunteers redeem.
CREATE TABLE rewards (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    partner_id  bigint NOT NULL REFERENCES places (id),
    title       text NOT NULL CHECK (char_length(title) BETWEEN 2 AND 60),
    description text NOT NULL DEFAULT '' CHECK (char_length(description) <= 300),
    cost        integer NOT NULL CHECK (cost BETWEEN 1 AND 100000),
    -- Never below zero: the last one goes to exactly one redemption.
    stock       integer NOT NULL CHECK (stock >= 0),
    valid_until timestamptz NOT NULL,
    -- How long a redemption code may be collected.
    code_days   integer NOT NULL DEFAULT 14 CHECK (code_days BETWEEN 1 AND 90),
    collect_at  text NOT NULL DEFAULT '' CHECK (char_length(collect_at) <= 120),
    is_demo     boolean NOT NULL DEFAULT false
);

CREATE TABLE redemptions (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    reward_id   bigint NOT NULL REFERENCES rewards (id),
    user_id     bigint NOT NULL REFERENCES users (id),
    code        text NOT NULL CONSTRAINT redemptions_code_key UNIQUE
                CHECK (code ~ '^[A-HJ-NP-Z2-9]{8}$'),
    cost        integer NOT NULL CHECK (cost > 0),
    status      text NOT NULL DEFAULT 'issued'
                CHECK (status IN ('issued', 'verified', 'expired')),
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL,
    verified_at timestamptz,
    verified_by bigint REFERENCES users (id),
    CHECK ((status = 'verified') = (verified_at IS NOT NULL))
);
CREATE INDEX redemptions_user_idx ON redemptions (user_id, id DESC);
CREATE INDEX redemptions_expiry_idx ON redemptions (expires_at) WHERE status = 'issued';

-- A volunteer's balance and hours: written only by the ledger's trigger below, and never
-- negative, so no code path can overdraw, however many redemptions race.
CREATE TABLE volunteer_accounts (
    user_id        bigint PRIMARY KEY REFERENCES users (id),
    balance        integer NOT NULL DEFAULT 0,
    minutes        integer NOT NULL DEFAULT 0 CHECK (minutes >= 0),
    on_leaderboard boolean NOT NULL DEFAULT false,
    CONSTRAINT volunteer_accounts_balance_check CHECK (balance >= 0)
);

-- Every change of points, never changed or removed: the balance is its sum.
CREATE TABLE points_ledger (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id       bigint NOT NULL REFERENCES users (id),
    kind          text NOT NULL CHECK (kind IN ('earn', 'redeem', 'refund', 'adjust', 'expire')),
    points        integer NOT NULL,
    minutes       integer NOT NULL DEFAULT 0 CHECK (minutes >= 0),
    reason        text NOT NULL CHECK (char_length(reason) BETWEEN 1 AND 200),
    activity_id   bigint REFERENCES activities (id),
    redemption_id bigint REFERENCES redemptions (id),
    created_by    bigint REFERENCES users (id),
    created_at    timestamptz NOT NULL DEFAULT now(),
    CHECK (CASE kind WHEN 'earn' THEN points >= 0 AND activity_id IS NOT NULL
                     WHEN 'redeem' THEN points < 0 AND redemption_id IS NOT NULL
                     WHEN 'refund' THEN points > 0 AND redemption_id IS NOT NULL
                     WHEN 'expire' THEN points < 0
                     ELSE points <> 0 END)
);
CREATE INDEX points_ledger_user_idx ON points_ledger (user_id, id DESC);

CREATE FUNCTION points_ledger_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- UPDATE first: an INSERT … ON CONFLICT would check the CHECK on the proposed new row
    -- (a lone negative amount) before finding the existing one.
    UPDATE volunteer_accounts
       SET balance = balance + NEW.points, minutes = minutes + NEW.minutes
     WHERE user_id = NEW.user_id;
    IF NOT FOUND THEN
        INSERT INTO volunteer_accounts AS a (user_id, balance, minutes)
        VALUES (NEW.user_id, NEW.points, NEW.minutes)
        ON CONFLICT (user_id) DO UPDATE
            SET balance = a.balance + EXCLUDED.balance, minutes = a.minutes + EXCLUDED.minutes;
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER points_ledger_apply AFTER INSERT ON points_ledger
    FOR EACH ROW EXECUTE FUNCTION points_ledger_apply();

CREATE FUNCTION points_ledger_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the points ledger is append-only' USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER points_ledger_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON points_ledger
    FOR EACH STATEMENT EXECUTE FUNCTION points_ledger_append_only();

-- Badges (争章), awarded once each.
CREATE TABLE volunteer_badges (
    user_id   bigint NOT NULL REFERENCES users (id),
    badge     text NOT NULL,
    earned_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, badge)
);
