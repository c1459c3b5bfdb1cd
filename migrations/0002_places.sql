-- The resource map: everything a place needs beyond its name and kinds.

-- Places created before this migration (only roles' scopes so far) are put at Changshou
-- Road metro station until an admin edits them.
ALTER TABLE places
    ADD COLUMN address_zh     text NOT NULL DEFAULT '',
    ADD COLUMN address_en     text NOT NULL DEFAULT '',
    ADD COLUMN lat            double precision NOT NULL DEFAULT 31.2418,
    ADD COLUMN lon            double precision NOT NULL DEFAULT 121.4395,
    ADD COLUMN phone          text,
    ADD COLUMN description_zh text NOT NULL DEFAULT '',
    ADD COLUMN description_en text NOT NULL DEFAULT '',
    ADD COLUMN services       text[] NOT NULL DEFAULT '{}',
    -- Weekly intervals and dated exceptions (see app/src/map/hours.rs); a value of the
    -- place, always read and written whole.
    ADD COLUMN hours          jsonb NOT NULL DEFAULT '{"weekly": [], "exceptions": []}',
    ADD COLUMN hidden         boolean NOT NULL DEFAULT false,
    ADD COLUMN updated_at     timestamptz NOT NULL DEFAULT now();

ALTER TABLE places
    ALTER COLUMN lat DROP DEFAULT,
    ALTER COLUMN lon DROP DEFAULT,
    -- The subdistrict's bounding area, as in app/src/map/geo.rs: the last line of defence
    -- behind the server's own validation.
    ADD CONSTRAINT places_in_area
        CHECK (lat BETWEEN 31.228 AND 31.256 AND lon BETWEEN 121.420 AND 121.458),
    ADD CONSTRAINT places_names_present CHECK (name_zh <> '' AND name_en <> '');

-- A joint committee's member buildings.
CREATE TABLE place_members (
    committee_id bigint NOT NULL REFERENCES places (id) ON DELETE CASCADE,
    member_id    bigint NOT NULL REFERENCES places (id) ON DELETE CASCADE,
    PRIMARY KEY (committee_id, member_id),
    CHECK (committee_id <> member_id)
);
CREATE INDEX place_members_member_idx ON place_members (member_id);

-- What a partner unit offers (rewards, discounts, services for the community).
CREATE TABLE place_offers (
    id       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    place_id bigint NOT NULL REFERENCES places (id) ON DELETE CASCADE,
    title_zh text NOT NULL CHECK (title_zh <> ''),
    title_en text NOT NULL CHECK (title_en <> '')
);
CREATE INDEX place_offers_place_idx ON place_offers (place_id);
