-- Open311 GeoReport v2 (app/src/open311/): other programs read requests and file them
-- with an API key the admin issues. Only a SHA-256 of each key is kept; the key is shown
-- once. Requests filed with a key are raised by the account the key was issued for.
CREATE TABLE open311_keys (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    label      text NOT NULL CHECK (char_length(label) BETWEEN 1 AND 60),
    key_hash   bytea NOT NULL CONSTRAINT open311_keys_hash_key UNIQUE,
    user_id    bigint NOT NULL REFERENCES users (id),
    created_by bigint REFERENCES users (id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    revoked_at timestamptz
);

-- What the program said about the person behind a request it filed. Kept for the staff;
-- never returned through Open311.
CREATE TABLE open311_submissions (
    request_id bigint PRIMARY KEY REFERENCES requests (id),
    key_id     bigint NOT NULL REFERENCES open311_keys (id),
    email      text NOT NULL DEFAULT '' CHECK (char_length(email) <= 200),
    first_name text NOT NULL DEFAULT '' CHECK (char_length(first_name) <= 100),
    last_name  text NOT NULL DEFAULT '' CHECK (char_length(last_name) <= 100),
    phone      text NOT NULL DEFAULT '' CHECK (char_length(phone) <= 40),
    device_id  text NOT NULL DEFAULT '' CHECK (char_length(device_id) <= 200),
    account_id text NOT NULL DEFAULT '' CHECK (char_length(account_id) <= 200),
    media_url  text NOT NULL DEFAULT '' CHECK (char_length(media_url) <= 2000)
);
