-- Migration 009: instrument result-file imports (issue "Instruments"; ISO/IEC 17025 7.5: the raw
-- file is a technical record). Each import that added results is kept once per instrument and
-- SHA-256 of its bytes (the same file twice adds nothing), with its raw bytes and per-row report,
-- and each result it created points back to it. Append-only: the serving account has no UPDATE
-- on these tables (schema/grants/serving_account.sql).

CREATE TABLE instrument_imports (
  id            BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  lab_id        BIGINT UNSIGNED NOT NULL,
  instrument_id BIGINT UNSIGNED NOT NULL,
  sha256        CHAR(64)      NOT NULL,
  file_name     VARCHAR(255)  NOT NULL DEFAULT '',
  format        VARCHAR(40)   NOT NULL,
  mode          VARCHAR(8)    NOT NULL,
  source        VARCHAR(16)   NOT NULL,
  byte_size     BIGINT UNSIGNED NOT NULL,
  raw           LONGBLOB      NOT NULL,
  outcome       VARCHAR(16)   NOT NULL,
  accepted      INT UNSIGNED  NOT NULL,
  rejected      INT UNSIGNED  NOT NULL,
  report        MEDIUMTEXT    NOT NULL,
  imported_at   DATETIME      NOT NULL,
  imported_by   BIGINT UNSIGNED NOT NULL,
  UNIQUE KEY uq_instrument_imports_file (instrument_id, sha256),
  KEY ix_instrument_imports_time (lab_id, imported_at),
  CONSTRAINT fk_instrument_imports_lab FOREIGN KEY (lab_id) REFERENCES labs (id),
  CONSTRAINT fk_instrument_imports_instrument FOREIGN KEY (instrument_id) REFERENCES instruments (id),
  CONSTRAINT fk_instrument_imports_by FOREIGN KEY (imported_by) REFERENCES users (id),
  CONSTRAINT ck_instrument_imports_mode CHECK (mode IN ('all', 'valid')),
  CONSTRAINT ck_instrument_imports_source CHECK (source IN ('upload', 'drop_folder')),
  CONSTRAINT ck_instrument_imports_outcome CHECK (outcome IN ('imported', 'partial'))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The results an import created, with the line each came from.
CREATE TABLE instrument_import_results (
  import_id BIGINT UNSIGNED NOT NULL,
  result_id BIGINT UNSIGNED NOT NULL,
  line      INT UNSIGNED    NOT NULL,
  PRIMARY KEY (import_id, result_id),
  UNIQUE KEY uq_instrument_import_results_result (result_id),
  CONSTRAINT fk_instrument_import_results_import FOREIGN KEY (import_id) REFERENCES instrument_imports (id),
  CONSTRAINT fk_instrument_import_results_result FOREIGN KEY (result_id) REFERENCES results (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
