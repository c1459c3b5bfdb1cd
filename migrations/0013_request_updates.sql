-- Open311's updated_datetime is a request's last event: read from this index alone (the
-- newest entry per request) rather than from every event of each of 1,000 requests.
CREATE INDEX request_events_request_at_idx ON request_events (request_id, at);
