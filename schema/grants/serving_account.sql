-- The serving account's UPDATE grants, table by table (schema/GRANTS.md explains why).
--
-- Applied as root by `scripts/db.sh grants` after the migrations (a table-level GRANT needs the
-- table to exist) and by the grants test. @DB@ and @USER@ are replaced by the database name and the
-- quoted account ('pramaan'@'localhost'). Every table not listed here is append-only for limsd:
-- audit_events above all, then results, result_values, custody_events, reviews, invalidations,
-- portions, e_signatures, idempotency_keys, schema_migrations and the instruments' ranges, methods,
-- calibrations, checks and status history, and instrument imports with their results.
REVOKE UPDATE ON `@DB@`.* FROM @USER@;
GRANT UPDATE ON `@DB@`.`labs` TO @USER@;
GRANT UPDATE ON `@DB@`.`organizations` TO @USER@;
GRANT UPDATE ON `@DB@`.`standards` TO @USER@;
GRANT UPDATE ON `@DB@`.`requirements` TO @USER@;
GRANT UPDATE ON `@DB@`.`sample_counters` TO @USER@;
GRANT UPDATE ON `@DB@`.`samples` TO @USER@;
GRANT UPDATE ON `@DB@`.`tests` TO @USER@;
GRANT UPDATE ON `@DB@`.`users` TO @USER@;
GRANT UPDATE ON `@DB@`.`sessions` TO @USER@;
GRANT UPDATE ON `@DB@`.`login_failures` TO @USER@;
GRANT UPDATE ON `@DB@`.`audit_heads` TO @USER@;
GRANT UPDATE ON `@DB@`.`certificate_counters` TO @USER@;
-- A certificate's document, digest and credential are written once; only its lifecycle moves.
GRANT UPDATE (status, superseded_by_id, revoked_at, revoked_by, revocation_reason, version) ON `@DB@`.`certificates` TO @USER@;
-- An instrument's identity, ranges and methods are written once; only its status (with a history
-- row saying why) and its version move.
GRANT UPDATE (status, version) ON `@DB@`.`instruments` TO @USER@;
-- Rejection history (schema/010): per (month, requirement) counters move; the fact tables
-- rejections and sample_outcomes are append-only.
GRANT UPDATE ON `@DB@`.`requirement_month_counts` TO @USER@;
