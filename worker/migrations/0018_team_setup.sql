-- A team on a real deployment.
--
-- Personal tokens may expire: a token whose expires_at has passed is refused like a revoked one
-- (NULL: it lasts until revoked, as every token made before this migration does).
ALTER TABLE api_tokens ADD COLUMN expires_at TEXT;

-- The one-time setup of a deployment (`leadpane setup`): at most one row, ever (the key can only
-- be 1). The setup batch writes it first and only while no organisation exists, so two setups
-- racing each other make one organisation: the second fails on the key or finds the first's.
CREATE TABLE deployment_setup (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  org_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  at TEXT NOT NULL
);
