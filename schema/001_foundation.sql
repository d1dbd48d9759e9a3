-- Pramaan schema, migration 001: labs, exporters, requirements, samples, tests, results, custody.
--
-- Conventions: InnoDB, utf8mb4, foreign keys everywhere, all times UTC (limsd sets time_zone).
-- Nothing the mission needs to keep has a DELETE path: the application's database user has no
-- DELETE grant (scripts/db.sh), corrections are new rows that reference what they correct.

CREATE TABLE labs (
  id            BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  code          VARCHAR(8)   NOT NULL,
  name          VARCHAR(200) NOT NULL,
  address       VARCHAR(400) NOT NULL,
  accreditation VARCHAR(100) NOT NULL DEFAULT '',
  created_at    DATETIME(6)  NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  UNIQUE KEY uq_labs_code (code)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Exporter organisations (customers of the lab).
CREATE TABLE organizations (
  id           BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  name         VARCHAR(200) NOT NULL,
  iec          CHAR(10)     NOT NULL,
  gstin        CHAR(15)     NULL,
  address      VARCHAR(400) NOT NULL DEFAULT '',
  district     VARCHAR(100) NOT NULL DEFAULT '',
  odop_product VARCHAR(200) NOT NULL DEFAULT '',
  created_at   DATETIME(6)  NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  UNIQUE KEY uq_organizations_iec (iec),
  KEY ix_organizations_district (district)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Requirements a sample can be tested against. The catalog loader (issue "Standards catalog")
-- fills this table from catalog/ files; 002 seeds a few so that the workflow runs end to end.
CREATE TABLE requirements (
  id          BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  code        VARCHAR(96)  NOT NULL,
  standard    VARCHAR(100) NOT NULL,
  clause      VARCHAR(100) NOT NULL,
  property    VARCHAR(200) NOT NULL,
  method      VARCHAR(200) NOT NULL,
  comparator  VARCHAR(2)   NOT NULL,
  limit_value VARCHAR(40)  NOT NULL,
  unit        VARCHAR(32)  NOT NULL,
  created_at  DATETIME(6)  NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  UNIQUE KEY uq_requirements_code (code),
  CONSTRAINT ck_requirements_comparator CHECK (comparator IN ('<', '<=', '>', '>='))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Gapless per-lab, per-year sample sequence: the row is locked by the intake transaction, so a
-- rolled-back intake gives its number back and concurrent intakes (any number of limsd processes)
-- queue on the row.
CREATE TABLE sample_counters (
  lab_id        BIGINT UNSIGNED NOT NULL,
  year          SMALLINT UNSIGNED NOT NULL,
  last_sequence BIGINT UNSIGNED NOT NULL,
  PRIMARY KEY (lab_id, year),
  CONSTRAINT fk_sample_counters_lab FOREIGN KEY (lab_id) REFERENCES labs (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE samples (
  id               BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  lab_id           BIGINT UNSIGNED NOT NULL,
  number           VARCHAR(32)  NOT NULL,
  year             SMALLINT UNSIGNED NOT NULL,
  sequence         BIGINT UNSIGNED NOT NULL,
  exporter_id      BIGINT UNSIGNED NOT NULL,
  product          VARCHAR(400) NOT NULL,
  article          VARCHAR(100) NOT NULL DEFAULT '',
  sizes            VARCHAR(200) NOT NULL DEFAULT '',
  lot              VARCHAR(100) NOT NULL DEFAULT '',
  quantity         INT UNSIGNED NOT NULL,
  quantity_unit    VARCHAR(32)  NOT NULL,
  destination      CHAR(2)      NOT NULL,
  decision_rule    VARCHAR(32)  NOT NULL,
  receipt_condition VARCHAR(32) NOT NULL,
  condition_note   VARCHAR(1000) NOT NULL DEFAULT '',
  storage_location VARCHAR(100) NOT NULL DEFAULT '',
  status           VARCHAR(16)  NOT NULL,
  received_at      DATETIME     NOT NULL,
  created_at       DATETIME(6)  NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  UNIQUE KEY uq_samples_number (number),
  UNIQUE KEY uq_samples_sequence (lab_id, year, sequence),
  KEY ix_samples_exporter (exporter_id, number),
  KEY ix_samples_status (status, number),
  CONSTRAINT fk_samples_lab FOREIGN KEY (lab_id) REFERENCES labs (id),
  CONSTRAINT fk_samples_exporter FOREIGN KEY (exporter_id) REFERENCES organizations (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- One test per requirement of a sample, with a snapshot of the limit taken at intake so that a
-- later catalog change never alters how this sample is judged.
CREATE TABLE tests (
  id             BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  sample_id      BIGINT UNSIGNED NOT NULL,
  requirement_id BIGINT UNSIGNED NOT NULL,
  standard       VARCHAR(100) NOT NULL,
  clause         VARCHAR(100) NOT NULL,
  property       VARCHAR(200) NOT NULL,
  method         VARCHAR(200) NOT NULL,
  comparator     VARCHAR(2)   NOT NULL,
  limit_value    VARCHAR(40)  NOT NULL,
  unit           VARCHAR(32)  NOT NULL,
  status         VARCHAR(16)  NOT NULL,
  created_at     DATETIME(6)  NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  KEY ix_tests_sample (sample_id),
  KEY ix_tests_status (status),
  CONSTRAINT fk_tests_sample FOREIGN KEY (sample_id) REFERENCES samples (id),
  CONSTRAINT fk_tests_requirement FOREIGN KEY (requirement_id) REFERENCES requirements (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Results are never updated: a retest or correction adds a new row (later issues add the link).
CREATE TABLE results (
  id          BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  test_id     BIGINT UNSIGNED NOT NULL,
  unit        VARCHAR(32)  NOT NULL,
  uncertainty VARCHAR(40)  NULL,
  remarks     VARCHAR(2000) NOT NULL DEFAULT '',
  verdict     VARCHAR(20)  NOT NULL,
  explanation VARCHAR(1000) NOT NULL,
  entered_at  DATETIME     NOT NULL,
  created_at  DATETIME(6)  NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  KEY ix_results_test (test_id),
  CONSTRAINT fk_results_test FOREIGN KEY (test_id) REFERENCES tests (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Replicate values exactly as reported (decimal strings keep their precision: "3.20").
CREATE TABLE result_values (
  result_id BIGINT UNSIGNED NOT NULL,
  replicate SMALLINT UNSIGNED NOT NULL,
  value     VARCHAR(40) NOT NULL,
  PRIMARY KEY (result_id, replicate),
  CONSTRAINT fk_result_values_result FOREIGN KEY (result_id) REFERENCES results (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Chain of custody: append-only.
CREATE TABLE custody_events (
  id        BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  sample_id BIGINT UNSIGNED NOT NULL,
  event     VARCHAR(32)  NOT NULL,
  location  VARCHAR(100) NOT NULL DEFAULT '',
  note      VARCHAR(1000) NOT NULL DEFAULT '',
  at        DATETIME     NOT NULL,
  created_at DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),
  KEY ix_custody_sample (sample_id, id),
  CONSTRAINT fk_custody_sample FOREIGN KEY (sample_id) REFERENCES samples (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
