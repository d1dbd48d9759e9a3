-- Migration 006: the lab's day (issue "The lab's day"): exporters' registrations, intake details,
-- portions, custody with actors, worklists, results with their conditions, four-eyes reviews,
-- retests, optimistic versions, idempotent writes, and the hash-chained audit trail.
--
-- As before nothing is deleted or overwritten in place: a review, an invalidation and a custody
-- event are new rows; `tests.status` and `samples.status` are the only states that move, each move
-- audited with its before and after.

ALTER TABLE organizations
  ADD COLUMN short_name VARCHAR(40)  NOT NULL DEFAULT '' AFTER name,
  ADD COLUMN state      VARCHAR(100) NOT NULL DEFAULT '' AFTER district,
  ADD COLUMN created_by BIGINT UNSIGNED NULL,
  -- One taxpayer registration, one exporter (several rows may have none: NULL).
  ADD UNIQUE KEY uq_organizations_gstin (gstin);

-- version: the ETag; every change of the sample or of one of its tests increments it.
ALTER TABLE samples
  ADD COLUMN version        INT UNSIGNED NOT NULL DEFAULT 1,
  ADD COLUMN product_family VARCHAR(32)  NOT NULL DEFAULT '',
  ADD COLUMN due_date       DATE         NULL,
  ADD COLUMN received_by    BIGINT UNSIGNED NULL,
  -- Turnaround (received → issued) for the figures auditors ask for; set when a certificate issues.
  ADD COLUMN issued_at      DATETIME     NULL,
  ADD COLUMN markings       VARCHAR(400) NOT NULL DEFAULT '',
  ADD KEY ix_samples_due (status, due_date);

ALTER TABLE tests
  ADD COLUMN version        INT UNSIGNED NOT NULL DEFAULT 1,
  ADD COLUMN assignee_id    BIGINT UNSIGNED NULL,
  ADD COLUMN instrument     VARCHAR(64)  NOT NULL DEFAULT '',
  -- A retest's new test names the test it replaces; the old one stays, invalidated.
  ADD COLUMN replaces_test_id BIGINT UNSIGNED NULL,
  ADD COLUMN attempt        SMALLINT UNSIGNED NOT NULL DEFAULT 1,
  ADD KEY ix_tests_worklist (status, method(64), assignee_id),
  ADD CONSTRAINT fk_tests_assignee FOREIGN KEY (assignee_id) REFERENCES users (id),
  ADD CONSTRAINT fk_tests_replaces FOREIGN KEY (replaces_test_id) REFERENCES tests (id);

ALTER TABLE results
  ADD COLUMN entered_by    BIGINT UNSIGNED NULL,
  ADD COLUMN instrument    VARCHAR(64)  NOT NULL DEFAULT '',
  ADD COLUMN temperature_c VARCHAR(16)  NULL,
  ADD COLUMN humidity_pct  VARCHAR(16)  NULL,
  ADD CONSTRAINT fk_results_entered_by FOREIGN KEY (entered_by) REFERENCES users (id);

-- Four-eyes reviews: one row per decision on a result.
CREATE TABLE reviews (
  id          BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  test_id     BIGINT UNSIGNED NOT NULL,
  result_id   BIGINT UNSIGNED NOT NULL,
  reviewer_id BIGINT UNSIGNED NOT NULL,
  decision    VARCHAR(8)    NOT NULL,
  comment     VARCHAR(2000) NOT NULL DEFAULT '',
  at          DATETIME      NOT NULL,
  KEY ix_reviews_test (test_id, id),
  CONSTRAINT fk_reviews_test FOREIGN KEY (test_id) REFERENCES tests (id),
  CONSTRAINT fk_reviews_result FOREIGN KEY (result_id) REFERENCES results (id),
  CONSTRAINT fk_reviews_reviewer FOREIGN KEY (reviewer_id) REFERENCES users (id),
  CONSTRAINT ck_reviews_decision CHECK (decision IN ('approve', 'reject'))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Retests: the invalidated test, why, by whom, and the test that replaces it.
CREATE TABLE invalidations (
  id          BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  test_id     BIGINT UNSIGNED NOT NULL,
  result_id   BIGINT UNSIGNED NULL,
  new_test_id BIGINT UNSIGNED NOT NULL,
  reason      VARCHAR(2000) NOT NULL,
  by_user     BIGINT UNSIGNED NOT NULL,
  at          DATETIME      NOT NULL,
  UNIQUE KEY uq_invalidations_test (test_id),
  CONSTRAINT fk_invalidations_test FOREIGN KEY (test_id) REFERENCES tests (id),
  CONSTRAINT fk_invalidations_new FOREIGN KEY (new_test_id) REFERENCES tests (id),
  CONSTRAINT fk_invalidations_by FOREIGN KEY (by_user) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Portions (test portions / specimens) split from a sample; each has its own label.
CREATE TABLE portions (
  id          BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  sample_id   BIGINT UNSIGNED NOT NULL,
  code        VARCHAR(40)   NOT NULL,
  ordinal     SMALLINT UNSIGNED NOT NULL,
  description VARCHAR(400)  NOT NULL DEFAULT '',
  created_by  BIGINT UNSIGNED NULL,
  created_at  DATETIME      NOT NULL,
  UNIQUE KEY uq_portions_code (code),
  UNIQUE KEY uq_portions_ordinal (sample_id, ordinal),
  CONSTRAINT fk_portions_sample FOREIGN KEY (sample_id) REFERENCES samples (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

ALTER TABLE custody_events
  ADD COLUMN actor_id     BIGINT UNSIGNED NULL,
  ADD COLUMN portion_id   BIGINT UNSIGNED NULL,
  ADD COLUMN test_id      BIGINT UNSIGNED NULL,
  ADD COLUMN retain_until DATE NULL,
  ADD CONSTRAINT fk_custody_portion FOREIGN KEY (portion_id) REFERENCES portions (id),
  ADD CONSTRAINT fk_custody_test FOREIGN KEY (test_id) REFERENCES tests (id);

-- Idempotent writes: the first response to (user, Idempotency-Key) is written in the same
-- transaction as the change it reports, so a retried request either finds it or finds nothing done.
CREATE TABLE idempotency_keys (
  user_id        BIGINT UNSIGNED NOT NULL,
  idem_key       VARCHAR(128)  NOT NULL,
  request_sha256 CHAR(64)      NOT NULL,
  status         SMALLINT UNSIGNED NOT NULL,
  content_type   VARCHAR(100)  NOT NULL,
  body           MEDIUMTEXT    NOT NULL,
  location       VARCHAR(400)  NOT NULL DEFAULT '',
  etag           VARCHAR(64)   NOT NULL DEFAULT '',
  created_at     DATETIME      NOT NULL,
  PRIMARY KEY (user_id, idem_key)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- The audit trail (lims/core/audit.h). Events are chained per stripe; a unit of work locks its
-- stripe's head row only while it appends and commits, so 64 stripes let concurrent writers commit
-- in one group commit instead of queueing on one chain head (16 clients rarely meet on one). Texts are byte-exact (utf8mb4_bin, not JSON:
-- MySQL's JSON type re-serialises documents, which would break the hashes).
CREATE TABLE audit_events (
  seq        BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  stripe     SMALLINT UNSIGNED NOT NULL,
  stripe_seq BIGINT UNSIGNED NOT NULL,
  at         DATETIME      NOT NULL,
  actor_id   BIGINT UNSIGNED NOT NULL,
  actor      VARCHAR(64)   NOT NULL,
  role       VARCHAR(32)   NOT NULL,
  action     VARCHAR(64)   NOT NULL,
  entity     VARCHAR(32)   NOT NULL,
  entity_id  VARCHAR(64)   NOT NULL,
  before_doc MEDIUMTEXT    NOT NULL,
  after_doc  MEDIUMTEXT    NOT NULL,
  reason     VARCHAR(2000) NOT NULL,
  prev_hash  CHAR(64)      NOT NULL,
  hash       CHAR(64)      NOT NULL,
  UNIQUE KEY uq_audit_stripe (stripe, stripe_seq),
  KEY ix_audit_entity (entity, entity_id, seq),
  KEY ix_audit_actor (actor, seq),
  KEY ix_audit_at (at, seq)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE audit_heads (
  stripe     SMALLINT UNSIGNED NOT NULL PRIMARY KEY,
  stripe_seq BIGINT UNSIGNED NOT NULL,
  hash       CHAR(64)        NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

INSERT INTO audit_heads (stripe, stripe_seq, hash) VALUES
  (0, 0, REPEAT('0', 64)), (1, 0, REPEAT('0', 64)), (2, 0, REPEAT('0', 64)), (3, 0, REPEAT('0', 64)),
  (4, 0, REPEAT('0', 64)), (5, 0, REPEAT('0', 64)), (6, 0, REPEAT('0', 64)), (7, 0, REPEAT('0', 64)),
  (8, 0, REPEAT('0', 64)), (9, 0, REPEAT('0', 64)), (10, 0, REPEAT('0', 64)), (11, 0, REPEAT('0', 64)),
  (12, 0, REPEAT('0', 64)), (13, 0, REPEAT('0', 64)), (14, 0, REPEAT('0', 64)), (15, 0, REPEAT('0', 64)),
  (16, 0, REPEAT('0', 64)), (17, 0, REPEAT('0', 64)), (18, 0, REPEAT('0', 64)), (19, 0, REPEAT('0', 64)),
  (20, 0, REPEAT('0', 64)), (21, 0, REPEAT('0', 64)), (22, 0, REPEAT('0', 64)), (23, 0, REPEAT('0', 64)),
  (24, 0, REPEAT('0', 64)), (25, 0, REPEAT('0', 64)), (26, 0, REPEAT('0', 64)), (27, 0, REPEAT('0', 64)),
  (28, 0, REPEAT('0', 64)), (29, 0, REPEAT('0', 64)), (30, 0, REPEAT('0', 64)), (31, 0, REPEAT('0', 64)),
  (32, 0, REPEAT('0', 64)), (33, 0, REPEAT('0', 64)), (34, 0, REPEAT('0', 64)), (35, 0, REPEAT('0', 64)),
  (36, 0, REPEAT('0', 64)), (37, 0, REPEAT('0', 64)), (38, 0, REPEAT('0', 64)), (39, 0, REPEAT('0', 64)),
  (40, 0, REPEAT('0', 64)), (41, 0, REPEAT('0', 64)), (42, 0, REPEAT('0', 64)), (43, 0, REPEAT('0', 64)),
  (44, 0, REPEAT('0', 64)), (45, 0, REPEAT('0', 64)), (46, 0, REPEAT('0', 64)), (47, 0, REPEAT('0', 64)),
  (48, 0, REPEAT('0', 64)), (49, 0, REPEAT('0', 64)), (50, 0, REPEAT('0', 64)), (51, 0, REPEAT('0', 64)),
  (52, 0, REPEAT('0', 64)), (53, 0, REPEAT('0', 64)), (54, 0, REPEAT('0', 64)), (55, 0, REPEAT('0', 64)),
  (56, 0, REPEAT('0', 64)), (57, 0, REPEAT('0', 64)), (58, 0, REPEAT('0', 64)), (59, 0, REPEAT('0', 64)),
  (60, 0, REPEAT('0', 64)), (61, 0, REPEAT('0', 64)), (62, 0, REPEAT('0', 64)), (63, 0, REPEAT('0', 64));
