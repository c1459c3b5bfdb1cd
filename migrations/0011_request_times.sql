-- The numbers (app/src/numbers/): how long a request waited for its first response and for
-- its resolution, in working minutes of the calendar (09:00–17:00 on working days). Written
-- when the step happens (app/src/requests/store.rs, fill_work_minutes), because the calendar
-- lives in Rust and a year of medians must not recount a year of calendars on every read.
ALTER TABLE requests
    ADD COLUMN response_work_minutes   integer CHECK (response_work_minutes >= 0),
    ADD COLUMN resolution_work_minutes integer CHECK (resolution_work_minutes >= 0);

-- The numbers read a year of requests by the month they arrived.
CREATE INDEX requests_submitted_idx ON requests (submitted_at);
