-- Migration 008: the instrument registry (issue "Instruments", ISO/IEC 17025 6.4 and 6.5):
-- instruments with their measuring ranges and the methods they serve, calibration records,
-- intermediate checks and the history of their status.
--
-- Nothing here is deleted or overwritten. Ranges and methods are written once, at registration.
-- Calibrations, checks and status changes are new rows. The only columns that move are an
-- instrument's current status and its version (the ETag), which every change of the instrument or
-- of its records increments; schema/grants/serving_account.sql grants UPDATE on those two alone.
-- Measured bounds are decimal strings as written ("0.10" stays "0.10"), like result values.

CREATE TABLE instruments (
  id         BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  lab_id     BIGINT UNSIGNED NOT NULL,
  name       VARCHAR(200) NOT NULL,
  type       VARCHAR(40)  NOT NULL,
  make       VARCHAR(200) NOT NULL DEFAULT '',
  model      VARCHAR(200) NOT NULL DEFAULT '',
  serial     VARCHAR(100) NOT NULL,
  location   VARCHAR(200) NOT NULL DEFAULT '',
  created_at DATETIME     NOT NULL,
  created_by BIGINT UNSIGNED NULL,
  -- Lifecycle: the only columns that ever change.
  status     VARCHAR(16)  NOT NULL,
  version    INT UNSIGNED NOT NULL DEFAULT 1,
  -- One serial, one instrument per lab (the key a result file names it by).
  UNIQUE KEY uq_instruments_serial (lab_id, serial),
  KEY ix_instruments_type (lab_id, type),
  CONSTRAINT fk_instruments_lab FOREIGN KEY (lab_id) REFERENCES labs (id),
  CONSTRAINT fk_instruments_created_by FOREIGN KEY (created_by) REFERENCES users (id),
  CONSTRAINT ck_instruments_status CHECK (status IN ('in_service', 'out_of_service', 'under_repair'))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- What it was calibrated to measure: [min_value, max_value] in unit, read to resolution.
CREATE TABLE instrument_ranges (
  instrument_id BIGINT UNSIGNED NOT NULL,
  ordinal       SMALLINT UNSIGNED NOT NULL,
  quantity      VARCHAR(100) NOT NULL,
  unit          VARCHAR(40)  NOT NULL,
  min_value     VARCHAR(40)  NOT NULL,
  max_value     VARCHAR(40)  NOT NULL,
  resolution    VARCHAR(40)  NULL,
  PRIMARY KEY (instrument_id, ordinal),
  CONSTRAINT fk_instrument_ranges_instrument FOREIGN KEY (instrument_id) REFERENCES instruments (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The test methods it serves, as the catalog names them ("EN ISO 13287").
CREATE TABLE instrument_methods (
  instrument_id BIGINT UNSIGNED NOT NULL,
  ordinal       SMALLINT UNSIGNED NOT NULL,
  method        VARCHAR(200) NOT NULL,
  PRIMARY KEY (instrument_id, ordinal),
  KEY ix_instrument_methods_method (method(64)),
  CONSTRAINT fk_instrument_methods_instrument FOREIGN KEY (instrument_id) REFERENCES instruments (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Calibrations (6.4.6, 6.4.7): due_date is the last day the calibration is valid.
CREATE TABLE instrument_calibrations (
  id              BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  instrument_id   BIGINT UNSIGNED NOT NULL,
  calibrated_on   DATE          NOT NULL,
  due_date        DATE          NOT NULL,
  calibration_lab VARCHAR(200)  NOT NULL,
  certificate     VARCHAR(100)  NOT NULL,
  result          VARCHAR(16)   NOT NULL,
  uncertainty     VARCHAR(100)  NOT NULL DEFAULT '',
  note            VARCHAR(2000) NOT NULL DEFAULT '',
  recorded_at     DATETIME      NOT NULL,
  recorded_by     BIGINT UNSIGNED NULL,
  KEY ix_instrument_calibrations_instrument (instrument_id, calibrated_on),
  CONSTRAINT fk_instrument_calibrations_instrument FOREIGN KEY (instrument_id) REFERENCES instruments (id),
  CONSTRAINT fk_instrument_calibrations_by FOREIGN KEY (recorded_by) REFERENCES users (id),
  CONSTRAINT ck_instrument_calibrations_result CHECK (result IN ('pass', 'adjusted', 'fail')),
  CONSTRAINT ck_instrument_calibrations_due CHECK (due_date > calibrated_on)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Intermediate checks (6.4.10): a reference weight on a balance, a buffer on a pH meter.
CREATE TABLE instrument_checks (
  id            BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  instrument_id BIGINT UNSIGNED NOT NULL,
  checked_on    DATE          NOT NULL,
  result        VARCHAR(8)    NOT NULL,
  note          VARCHAR(2000) NOT NULL DEFAULT '',
  recorded_at   DATETIME      NOT NULL,
  recorded_by   BIGINT UNSIGNED NULL,
  KEY ix_instrument_checks_instrument (instrument_id, checked_on),
  CONSTRAINT fk_instrument_checks_instrument FOREIGN KEY (instrument_id) REFERENCES instruments (id),
  CONSTRAINT fk_instrument_checks_by FOREIGN KEY (recorded_by) REFERENCES users (id),
  CONSTRAINT ck_instrument_checks_result CHECK (result IN ('pass', 'fail'))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Every status an instrument has had, with why: the first row is its status at registration.
CREATE TABLE instrument_status_history (
  id            BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  instrument_id BIGINT UNSIGNED NOT NULL,
  status        VARCHAR(16)   NOT NULL,
  reason        VARCHAR(2000) NOT NULL,
  at            DATETIME      NOT NULL,
  by_user       BIGINT UNSIGNED NULL,
  KEY ix_instrument_status_history_instrument (instrument_id, id),
  CONSTRAINT fk_instrument_status_history_instrument FOREIGN KEY (instrument_id) REFERENCES instruments (id),
  CONSTRAINT fk_instrument_status_history_by FOREIGN KEY (by_user) REFERENCES users (id),
  CONSTRAINT ck_instrument_status_history_status CHECK (status IN ('in_service', 'out_of_service', 'under_repair'))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
