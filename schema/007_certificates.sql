-- Migration 007: certificates of conformity and test reports (issue "Signed certificates").
--
-- A certificate is stored once, as signed, with its SHA-256: the PDF and the credential are never
-- rewritten (the serving account's UPDATE on this table is limited to the lifecycle columns by
-- schema/grants/serving_account.sql). Revocation and amendment change only the status columns; an
-- amendment is a new certificate that names the one it supersedes (ISO/IEC 17025 7.8.8).

-- Gapless per-lab, per-year certificate numbers, allocated in the issuing transaction.
CREATE TABLE certificate_counters (
  lab_id        BIGINT UNSIGNED NOT NULL,
  year          SMALLINT UNSIGNED NOT NULL,
  last_sequence BIGINT UNSIGNED NOT NULL,
  PRIMARY KEY (lab_id, year),
  CONSTRAINT fk_certificate_counters_lab FOREIGN KEY (lab_id) REFERENCES labs (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE certificates (
  id              BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  lab_id          BIGINT UNSIGNED NOT NULL,
  number          VARCHAR(40)  NOT NULL,
  year            SMALLINT UNSIGNED NOT NULL,
  sequence        BIGINT UNSIGNED NOT NULL,
  sample_id       BIGINT UNSIGNED NOT NULL,
  exporter_id     BIGINT UNSIGNED NOT NULL,
  kind            VARCHAR(32)  NOT NULL,
  verdict         VARCHAR(20)  NOT NULL,
  issued_at       DATETIME     NOT NULL,
  issued_by       BIGINT UNSIGNED NOT NULL,
  signature_id    BIGINT UNSIGNED NOT NULL,
  supersedes_id   BIGINT UNSIGNED NULL,
  amend_reason    VARCHAR(2000) NOT NULL DEFAULT '',
  pdf             LONGBLOB     NOT NULL,
  pdf_sha256      CHAR(64)     NOT NULL,
  credential      MEDIUMTEXT   NOT NULL,
  -- Lifecycle: the only columns that ever change.
  status          VARCHAR(16)  NOT NULL,
  superseded_by_id BIGINT UNSIGNED NULL,
  revoked_at      DATETIME     NULL,
  revoked_by      BIGINT UNSIGNED NULL,
  revocation_reason VARCHAR(2000) NOT NULL DEFAULT '',
  version         INT UNSIGNED NOT NULL DEFAULT 1,
  UNIQUE KEY uq_certificates_number (number),
  UNIQUE KEY uq_certificates_sequence (lab_id, year, sequence),
  UNIQUE KEY uq_certificates_sha256 (pdf_sha256),
  KEY ix_certificates_sample (sample_id),
  KEY ix_certificates_exporter (exporter_id, issued_at),
  KEY ix_certificates_issued (issued_at),
  CONSTRAINT fk_certificates_lab FOREIGN KEY (lab_id) REFERENCES labs (id),
  CONSTRAINT fk_certificates_sample FOREIGN KEY (sample_id) REFERENCES samples (id),
  CONSTRAINT fk_certificates_exporter FOREIGN KEY (exporter_id) REFERENCES organizations (id),
  CONSTRAINT fk_certificates_issued_by FOREIGN KEY (issued_by) REFERENCES users (id),
  CONSTRAINT fk_certificates_signature FOREIGN KEY (signature_id) REFERENCES e_signatures (id),
  CONSTRAINT fk_certificates_supersedes FOREIGN KEY (supersedes_id) REFERENCES certificates (id),
  CONSTRAINT ck_certificates_status CHECK (status IN ('valid', 'revoked', 'superseded'))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
