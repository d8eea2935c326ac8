-- Index-backed equality reads for FerretDB 1.24 on PostgreSQL.
--
-- FerretDB pushes an equality filter down as `_jsonb -> 'field' @> '<json value>'`, but the
-- indexes it creates for MongoDB indexes are btree indexes on `(_jsonb -> 'field')`, which `@>`
-- cannot use: every findOne({_id}), updateOne({_id}) or read by an indexed field scans the
-- whole table (55-125 ms at 100,000 documents, growing with the collection). A GIN index on the
-- same expression serves `@>`; this file gives every such FerretDB index a GIN twin, now
-- (backfill) and for every index FerretDB creates later (an event trigger). Idempotent:
-- `scripts/services.sh` applies it each time it starts FerretDB. Not needed on MongoDB.
CREATE OR REPLACE FUNCTION sll_gin_twins(target regclass) RETURNS void LANGUAGE plpgsql AS $fn$
DECLARE
  def text;
  tbl text;
  expr text;
  twin text;
BEGIN
  SELECT pg_get_indexdef(target), format('%I.%I', n.nspname, t.relname)
    INTO def, tbl
    FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace
    WHERE i.indexrelid = target;
  IF def IS NULL OR def NOT LIKE '%USING btree%' THEN RETURN; END IF;
  -- Each single-level expression of the index: (_jsonb -> 'field'::text)
  FOR expr IN SELECT m[1] FROM regexp_matches(def, '\(_jsonb -> (''(?:[^'']|'''')*''::text)\)', 'g') AS m LOOP
    twin := left(md5(tbl || expr), 20);
    EXECUTE format('CREATE INDEX IF NOT EXISTS %I ON %s USING gin ((_jsonb -> %s))', 'sll_gin_' || twin, tbl, expr);
  END LOOP;
END
$fn$;

CREATE OR REPLACE FUNCTION sll_gin_twins_on_create() RETURNS event_trigger LANGUAGE plpgsql AS $fn$
DECLARE
  cmd record;
BEGIN
  FOR cmd IN SELECT * FROM pg_event_trigger_ddl_commands() WHERE command_tag = 'CREATE INDEX' AND object_type = 'index' LOOP
    IF cmd.object_identity NOT LIKE '%.sll\_gin\_%' THEN
      PERFORM sll_gin_twins(cmd.objid::regclass);
    END IF;
  END LOOP;
END
$fn$;

DROP EVENT TRIGGER IF EXISTS sll_gin_twins;
CREATE EVENT TRIGGER sll_gin_twins ON ddl_command_end WHEN TAG IN ('CREATE INDEX') EXECUTE FUNCTION sll_gin_twins_on_create();

-- Backfill: the indexes FerretDB created before this file was applied.
DO $do$
DECLARE
  idx regclass;
BEGIN
  FOR idx IN
    SELECT i.indexrelid::regclass FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
    WHERE c.relname NOT LIKE 'sll\_gin\_%' AND pg_get_indexdef(i.indexrelid) LIKE '%USING btree (%\_jsonb -> %'
  LOOP
    PERFORM sll_gin_twins(idx);
  END LOOP;
END
$do$;
