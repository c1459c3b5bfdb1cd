-- Q&A entries (你问我答) live in the case library beside cases: a consultation's question
-- and its answer, published with one click and masked the same way.
ALTER TABLE cases ADD COLUMN kind text NOT NULL DEFAULT 'case' CHECK (kind IN ('case', 'qa'));
CREATE INDEX cases_kind_idx ON cases (kind, published_at DESC);
