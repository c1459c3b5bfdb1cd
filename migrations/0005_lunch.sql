-- Lunch for office workers (白领午餐): merchants and the lunch points they serve, the day's
-- set meals with their limited portions, orders with pickup codes, and the subsidy rule.
-- The price split, the ordering window and the codes are pure rules in app/src/lunch/;
-- the database keeps the facts and makes overselling impossible (portions_left >= 0).

CREATE TABLE merchants (
    id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name_zh text NOT NULL CONSTRAINT merchants_name_key UNIQUE CHECK (name_zh <> ''),
    name_en text NOT NULL CHECK (name_en <> ''),
    phone   text,
    is_demo boolean NOT NULL DEFAULT false
);

-- A place that serves lunch, the merchant behind it, and how the meal reaches the worker:
-- picked up at the point, or delivered to the worker's building (盒马). Payment is outside
-- the app for now: at pickup, or prepaid to a delivering merchant.
CREATE TABLE lunch_points (
    place_id    bigint PRIMARY KEY REFERENCES places (id),
    merchant_id bigint NOT NULL REFERENCES merchants (id),
    fulfilment  text NOT NULL CHECK (fulfilment IN ('pickup', 'delivery')),
    payment     text NOT NULL CHECK (payment IN ('at_pickup', 'prepaid'))
);

-- The subdistrict's subsidy (政府补贴), one row set by the admin: who qualifies is decided
-- in app/src/lunch/price.rs (a worker of a confirmed company in one of the buildings).
CREATE TABLE lunch_subsidy (
    id            smallint PRIMARY KEY DEFAULT 1 CHECK (id = 1),
    per_meal_fen  integer NOT NULL CHECK (per_meal_fen BETWEEN 0 AND 10000),
    meals_per_day integer NOT NULL CHECK (meals_per_day BETWEEN 0 AND 5),
    updated_by    bigint REFERENCES users (id) ON DELETE SET NULL,
    updated_at    timestamptz NOT NULL DEFAULT now()
);
INSERT INTO lunch_subsidy (per_meal_fen, meals_per_day) VALUES (500, 1);

-- Which company a worker is from ("我的企业"), for the subsidy.
CREATE TABLE worker_companies (
    user_id    bigint PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    company_id bigint NOT NULL REFERENCES companies (id)
);

-- A set meal (套餐) on one day's menu of one lunch point. Prices are in fen. The worker's
-- price is list − discount − subsidy, never below zero (app/src/lunch/price.rs).
CREATE TABLE meals (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    lunch_point_id   bigint NOT NULL REFERENCES lunch_points (place_id),
    day              date NOT NULL,
    name_zh          text NOT NULL CHECK (char_length(name_zh) BETWEEN 1 AND 40),
    name_en          text NOT NULL DEFAULT '' CHECK (char_length(name_en) <= 80),
    description      text NOT NULL DEFAULT '' CHECK (char_length(description) <= 300),
    tags             text[] NOT NULL DEFAULT '{}'
                     CHECK (tags <@ ARRAY['spicy', 'vegetarian', 'halal', 'low_fat']::text[]),
    allergens        text[] NOT NULL DEFAULT '{}'
                     CHECK (allergens <@ ARRAY['gluten', 'peanut', 'nuts', 'milk', 'egg',
                                               'fish', 'shellfish', 'soy', 'sesame']::text[]),
    list_fen         integer NOT NULL CHECK (list_fen BETWEEN 1 AND 100000),
    discount_fen     integer NOT NULL DEFAULT 0 CHECK (discount_fen BETWEEN 0 AND list_fen),
    subsidy_fen      integer NOT NULL DEFAULT 0 CHECK (subsidy_fen >= 0),
    portions         integer NOT NULL CHECK (portions BETWEEN 0 AND 10000),
    -- Never below zero: the last portion goes to exactly one order, whatever the
    -- concurrency (an order takes its portions with one conditional UPDATE).
    portions_left    integer NOT NULL CHECK (portions_left BETWEEN 0 AND portions),
    per_person_limit integer NOT NULL DEFAULT 2 CHECK (per_person_limit BETWEEN 1 AND 10),
    orders_open      timestamptz NOT NULL,
    cutoff           timestamptz NOT NULL,
    pickup_from      timestamptz NOT NULL,
    pickup_until     timestamptz NOT NULL,
    is_demo          boolean NOT NULL DEFAULT false,
    CHECK (orders_open < cutoff AND cutoff <= pickup_from AND pickup_from < pickup_until)
);
CREATE INDEX meals_day_idx ON meals (day, lunch_point_id);

-- Each station's pickup codes of a day come from a counter, so two orders at once never
-- get the same code (app/src/lunch/pickup.rs turns the count into a code).
CREATE TABLE pickup_counters (
    lunch_point_id bigint NOT NULL REFERENCES lunch_points (place_id),
    day            date NOT NULL,
    last           integer NOT NULL,
    PRIMARY KEY (lunch_point_id, day)
);

-- An order of one meal. The price split is copied from the meal when ordered, for the
-- whole quantity, so settlement adds up even if the subsidy rule changes later.
CREATE TABLE lunch_orders (
    id                   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id              bigint NOT NULL REFERENCES users (id),
    meal_id              bigint NOT NULL REFERENCES meals (id),
    lunch_point_id       bigint NOT NULL REFERENCES lunch_points (place_id),
    day                  date NOT NULL,
    quantity             integer NOT NULL CHECK (quantity BETWEEN 1 AND 10),
    list_fen             integer NOT NULL CHECK (list_fen > 0),
    discount_fen         integer NOT NULL CHECK (discount_fen >= 0),
    subsidy_fen          integer NOT NULL CHECK (subsidy_fen >= 0),
    pay_fen              integer NOT NULL CHECK (pay_fen >= 0),
    subsidised_meals     integer NOT NULL CHECK (subsidised_meals BETWEEN 0 AND quantity),
    pickup_code          text NOT NULL CHECK (pickup_code ~ '^[0-9]{4}$'),
    -- Chosen by the browser for one attempt: a double tap, a retry or a second tab sends
    -- the same key and gets the same order back.
    idempotency_key      text NOT NULL CHECK (idempotency_key ~ '^[A-Za-z0-9-]{8,64}$'),
    delivery_building_id bigint REFERENCES places (id),
    status               text NOT NULL DEFAULT 'ordered'
                         CHECK (status IN ('ordered', 'cancelled', 'picked_up')),
    payment_method       text CHECK (payment_method IN ('cash', 'wechat', 'alipay', 'card',
                                                        'prepaid')),
    paid_fen             integer CHECK (paid_fen >= 0),
    ordered_at           timestamptz NOT NULL DEFAULT now(),
    cancelled_at         timestamptz,
    picked_up_at         timestamptz,
    handed_over_by       bigint REFERENCES users (id),
    rating               smallint CHECK (rating BETWEEN 1 AND 5),
    rating_comment       text CHECK (char_length(rating_comment) <= 300),
    rated_at             timestamptz,
    is_demo              boolean NOT NULL DEFAULT false,
    CHECK (pay_fen = list_fen - discount_fen - subsidy_fen),
    CHECK ((status = 'picked_up') = (picked_up_at IS NOT NULL)),
    CHECK ((status = 'cancelled') = (cancelled_at IS NOT NULL)),
    CHECK (rating IS NULL OR status = 'picked_up'),
    CONSTRAINT lunch_orders_attempt_key UNIQUE (user_id, idempotency_key),
    CONSTRAINT lunch_orders_code_key UNIQUE (lunch_point_id, day, pickup_code)
);
CREATE INDEX lunch_orders_user_idx ON lunch_orders (user_id, day DESC, id DESC);
CREATE INDEX lunch_orders_meal_idx ON lunch_orders (meal_id) WHERE status <> 'cancelled';
CREATE INDEX lunch_orders_point_day_idx ON lunch_orders (lunch_point_id, day);

-- Workers ordered at this price; it stays.
CREATE FUNCTION meals_price_fixed_after_orders() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF (NEW.list_fen, NEW.discount_fen, NEW.subsidy_fen)
           IS DISTINCT FROM (OLD.list_fen, OLD.discount_fen, OLD.subsidy_fen)
       AND EXISTS (SELECT 1 FROM lunch_orders WHERE meal_id = OLD.id) THEN
        RAISE EXCEPTION 'meal % has orders; its price is fixed', OLD.id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'meals_price_fixed';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER meals_price_fixed BEFORE UPDATE ON meals
    FOR EACH ROW EXECUTE FUNCTION meals_price_fixed_after_orders();
