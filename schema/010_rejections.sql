-- Migration 010: rejection history for auditors (issue 8). Three summary tables, written by
-- CertificateStore in the transaction that issues a sample's first certificate (an amendment adds
-- nothing: the sample was counted when it was first issued), so they always agree with the
-- certificates. They are denormalised on purpose: the auditors' queries read one table through
-- one index each and never join the workflow tables (docs/rejections.md has their EXPLAIN).

-- One row per failing requirement of an issued sample (the numerator and the rejection list).
-- Append-only for the serving account.
CREATE TABLE rejections (
  id                 BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  sample_id          BIGINT UNSIGNED NOT NULL,
  test_id            BIGINT UNSIGNED NOT NULL,
  result_id          BIGINT UNSIGNED NOT NULL,
  certificate_id     BIGINT UNSIGNED NOT NULL,
  lab_id             BIGINT UNSIGNED NOT NULL,
  sample_number      VARCHAR(32)   NOT NULL,
  report_number      VARCHAR(40)   NOT NULL,
  exporter_id        BIGINT UNSIGNED NOT NULL,
  district           VARCHAR(100)  NOT NULL,
  odop_product       VARCHAR(200)  NOT NULL,
  product_family     VARCHAR(32)   NOT NULL,
  destination        CHAR(2)       NOT NULL,
  requirement_id     BIGINT UNSIGNED NOT NULL,
  requirement_code   VARCHAR(96)   NOT NULL,
  standard           VARCHAR(100)  NOT NULL,
  clause             VARCHAR(100)  NOT NULL,
  property           VARCHAR(200)  NOT NULL,
  value              VARCHAR(400)  NOT NULL,
  result_unit        VARCHAR(32)   NOT NULL,
  comparator         VARCHAR(2)    NOT NULL,
  limit_value        VARCHAR(40)   NOT NULL,
  limit_unit         VARCHAR(32)   NOT NULL,
  verdict            VARCHAR(20)   NOT NULL,
  decision_rule      VARCHAR(32)   NOT NULL,
  received_at        DATETIME      NOT NULL,
  tested_at          DATETIME      NOT NULL,
  issued_at          DATETIME      NOT NULL,
  -- Keyset order is (issued_at DESC, id DESC); every filter has an index ending in that order.
  KEY ix_rejections_issued (issued_at, id),
  KEY ix_rejections_exporter (exporter_id, issued_at, id),
  KEY ix_rejections_district (district, issued_at, id),
  KEY ix_rejections_product (odop_product(64), issued_at, id),
  KEY ix_rejections_family (product_family, issued_at, id),
  KEY ix_rejections_standard (standard, issued_at, id),
  KEY ix_rejections_requirement (requirement_code, issued_at, id),
  KEY ix_rejections_market (destination, issued_at, id),
  -- repeat offenders: (exporter, requirement) pairs counted within a period
  KEY ix_rejections_repeat (exporter_id, requirement_code, issued_at),
  UNIQUE KEY uq_rejections_test (test_id),
  CONSTRAINT fk_rejections_sample FOREIGN KEY (sample_id) REFERENCES samples (id),
  CONSTRAINT fk_rejections_certificate FOREIGN KEY (certificate_id) REFERENCES certificates (id),
  CONSTRAINT fk_rejections_requirement FOREIGN KEY (requirement_id) REFERENCES requirements (id),
  CONSTRAINT fk_rejections_exporter FOREIGN KEY (exporter_id) REFERENCES organizations (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- One row per issued sample (the denominator and the turnaround). Append-only.
CREATE TABLE sample_outcomes (
  sample_id        BIGINT UNSIGNED NOT NULL PRIMARY KEY,
  certificate_id   BIGINT UNSIGNED NOT NULL,
  lab_id           BIGINT UNSIGNED NOT NULL,
  exporter_id      BIGINT UNSIGNED NOT NULL,
  district         VARCHAR(100)  NOT NULL,
  odop_product     VARCHAR(200)  NOT NULL,
  issued_month     DATE          NOT NULL,
  issued_at        DATETIME      NOT NULL,
  turnaround_hours INT UNSIGNED  NOT NULL,
  rejected         TINYINT UNSIGNED NOT NULL,
  -- Covering indexes of the summary's one query per grouping: group, turnaround, period, outcome.
  KEY ix_sample_outcomes_month (issued_month, turnaround_hours, issued_at, rejected),
  KEY ix_sample_outcomes_exporter (exporter_id, turnaround_hours, issued_at, rejected),
  KEY ix_sample_outcomes_district (district, turnaround_hours, issued_at, rejected),
  KEY ix_sample_outcomes_product (odop_product(64), turnaround_hours, issued_at, rejected),
  CONSTRAINT fk_sample_outcomes_sample FOREIGN KEY (sample_id) REFERENCES samples (id),
  CONSTRAINT fk_sample_outcomes_certificate FOREIGN KEY (certificate_id) REFERENCES certificates (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Tests and failures per (month of issue, requirement): the denominator of group_by=requirement.
-- A counter: the serving account may UPDATE its two counts. Issuing already serialises on the
-- lab's certificate counter, so these rows add no contention of their own.
CREATE TABLE requirement_month_counts (
  issued_month   DATE            NOT NULL,
  requirement_id BIGINT UNSIGNED NOT NULL,
  tested         INT UNSIGNED    NOT NULL,
  failed         INT UNSIGNED    NOT NULL,
  PRIMARY KEY (issued_month, requirement_id),
  CONSTRAINT fk_requirement_month_counts_requirement FOREIGN KEY (requirement_id) REFERENCES requirements (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
