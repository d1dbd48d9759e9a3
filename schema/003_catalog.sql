-- Migration 003: the standards catalog as versioned data, and tests that carry the whole
-- specification they are judged against (issue "Standards catalog").
--
-- Catalog files (catalog/*.json) are validated and recorded at start-up: each edition once per file
-- checksum; each requirement once per content checksum. Rows are never updated: an edited entry is a
-- new row, and tests keep a snapshot of the limit, comparator, combination rule and sources they were
-- planned with, so a result judged under EN ISO 20345:2011 is judged the same in ten years.

CREATE TABLE standards (
  id           BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  catalog_id   VARCHAR(64)  NOT NULL,
  code         VARCHAR(100) NOT NULL,
  title        VARCHAR(300) NOT NULL,
  kind         VARCHAR(16)  NOT NULL,
  status       VARCHAR(16)  NOT NULL,
  file         VARCHAR(255) NOT NULL,
  file_sha256  CHAR(64)     NOT NULL,
  created_at   DATETIME(6)  NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  UNIQUE KEY uq_standards_version (catalog_id, file_sha256),
  KEY ix_standards_code (code)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

ALTER TABLE requirements
  DROP CONSTRAINT ck_requirements_comparator,
  DROP INDEX uq_requirements_code,
  MODIFY comparator VARCHAR(16) NOT NULL,
  ADD COLUMN standard_id    BIGINT UNSIGNED NULL AFTER id,
  ADD COLUMN label          VARCHAR(100) NOT NULL DEFAULT '',
  ADD COLUMN property_key   VARCHAR(100) NOT NULL DEFAULT '',
  ADD COLUMN limit_high     VARCHAR(40)  NULL,
  ADD COLUMN low_inclusive  TINYINT(1)   NOT NULL DEFAULT 1,
  ADD COLUMN high_inclusive TINYINT(1)   NOT NULL DEFAULT 1,
  ADD COLUMN combine        VARCHAR(8)   NOT NULL DEFAULT 'each',
  ADD COLUMN specimens      SMALLINT UNSIGNED NOT NULL DEFAULT 1,
  ADD COLUMN content_sha256 CHAR(64)     NULL,
  ADD UNIQUE KEY uq_requirements_version (code, content_sha256),
  ADD KEY ix_requirements_code (code, id),
  ADD CONSTRAINT fk_requirements_standard FOREIGN KEY (standard_id) REFERENCES standards (id);

ALTER TABLE tests
  MODIFY comparator VARCHAR(16) NOT NULL,
  ADD COLUMN label          VARCHAR(100) NOT NULL DEFAULT '' AFTER property,
  ADD COLUMN part           VARCHAR(32)  NOT NULL DEFAULT 'whole',
  ADD COLUMN material       VARCHAR(32)  NOT NULL DEFAULT '',
  ADD COLUMN limit_high     VARCHAR(40)  NULL,
  ADD COLUMN low_inclusive  TINYINT(1)   NOT NULL DEFAULT 1,
  ADD COLUMN high_inclusive TINYINT(1)   NOT NULL DEFAULT 1,
  ADD COLUMN combine        VARCHAR(8)   NOT NULL DEFAULT 'each',
  ADD COLUMN specimens      SMALLINT UNSIGNED NOT NULL DEFAULT 1,
  ADD COLUMN sources        VARCHAR(2000) NOT NULL DEFAULT '';

-- Results keep the values as reported ("nd", "pass", "3.20"): the column was already a string.
ALTER TABLE results MODIFY verdict VARCHAR(20) NOT NULL;
