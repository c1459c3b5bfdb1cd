-- Derived columns that keep the map's search fast.

-- The weekly opening hours as minute-of-week ranges [start, end), Monday 00:00 = 0, derived
-- from `hours` by the app (app/src/map/hours.rs, the one home of the hours rules) on every
-- write. With `exception_days` they let PostgreSQL decide "open now" for most places; the
-- app applies the full rules to the rest. NULL means not derived yet: the rules decide.
ALTER TABLE places
    ADD COLUMN week_minutes   int4range[],
    ADD COLUMN exception_days int[] NOT NULL DEFAULT '{}',
    -- Everything the search box matches, lower-cased, in one string.
    ADD COLUMN search_text    text NOT NULL DEFAULT '';

-- Plain copies of other columns, kept in step by the database itself.
CREATE FUNCTION places_derive() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_text := lower(concat_ws(' ', NEW.name_zh, NEW.name_en, NEW.address_zh,
                                       NEW.address_en, array_to_string(NEW.services, ' ')));
    -- Days count from 1970-01-01, as in the app.
    NEW.exception_days := ARRAY(SELECT (e ->> 'day')::int
                                  FROM jsonb_array_elements(NEW.hours -> 'exceptions') AS e);
    RETURN NEW;
END
$$;

CREATE TRIGGER places_derive BEFORE INSERT OR UPDATE ON places
    FOR EACH ROW EXECUTE FUNCTION places_derive();

-- Fill them in for the rows already there.
UPDATE places SET name_zh = name_zh;
