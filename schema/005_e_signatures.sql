-- Migration 005: electronic signatures (21 CFR 11.50/11.70, EU GMP Annex 11 §14).
--
-- A signatory signs by giving the password again; the signature row links the signer, the time, the
-- meaning of the act (issue, amend, revoke) and the record signed, and is never updated or deleted.
-- Certificates (issue "Signed certificates") reference these rows.
CREATE TABLE e_signatures (
  id         BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  user_id    BIGINT UNSIGNED NOT NULL,
  signer     VARCHAR(200) NOT NULL,
  meaning    VARCHAR(16)  NOT NULL,
  record     VARCHAR(100) NOT NULL,
  reason     VARCHAR(1000) NOT NULL DEFAULT '',
  signed_at  DATETIME     NOT NULL,
  KEY ix_e_signatures_record (record),
  CONSTRAINT fk_e_signatures_user FOREIGN KEY (user_id) REFERENCES users (id),
  CONSTRAINT ck_e_signatures_meaning CHECK (meaning IN ('issue', 'amend', 'revoke'))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
