-- What a bronze_runs row records: an ingestion (every run so far) or an operator's action
-- on the stored data (`bronze db prune`). Freshness, "last success" and failure counts look
-- at ingestions only, so a prune never makes a silent source look fresh.
ALTER TABLE bronze_runs ADD COLUMN IF NOT EXISTS action text NOT NULL DEFAULT 'ingest'
  CHECK (action IN ('ingest', 'prune'));
