-- Migration 004: users, their sessions and API tokens, and failed-login counters (issue "Users,
-- roles and sessions").
--
-- Nothing here is deleted either (schema/GRANTS.md): a session or token ends by getting revoked_at,
-- a user by getting disabled, and a successful login sets its failure counter back to 0. The rows
-- stay as the record of who could act, and when, which an ISO/IEC 17025 assessor may ask for.
-- Times the application passes in are UTC DATETIMEs, like received_at in 001.

-- roles: comma-separated role names ("technician,reviewer"), the vocabulary of lims/core/user.h.
-- A set of at most six fixed names does not earn a join table, and the whole set is read and
-- written together. organization_id: exporters only (ValidateRoles enforces it in the domain).
-- Usernames keep the table's case-insensitive collation, so "Alice" can never become a second
-- account beside "alice".
CREATE TABLE users (
  id                  BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  username            VARCHAR(64)  NOT NULL,
  name                VARCHAR(200) NOT NULL,
  password_hash       VARCHAR(255) NOT NULL,
  roles               VARCHAR(100) NOT NULL,
  organization_id     BIGINT UNSIGNED NULL,
  disabled            TINYINT(1)   NOT NULL DEFAULT 0,
  created_at          DATETIME     NOT NULL,
  -- When the current password_hash was set (at creation, then at each change): for password age.
  password_changed_at DATETIME     NOT NULL,
  UNIQUE KEY uq_users_username (username),
  CONSTRAINT fk_users_organization FOREIGN KEY (organization_id) REFERENCES organizations (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Browser sessions (kind 'session') and API tokens (kind 'api') share one table because they are
-- looked up the same way: by the SHA-256 of the bearer token, never by the token itself, so a copy
-- of this table lets no one in. The hash and the CSRF token are compared byte for byte (ascii_bin),
-- not under a case- and accent-insensitive collation.
-- scope: API tokens only, comma-separated role names the token may use (a subset of its user's);
-- empty for browser sessions, which act with the user's roles.
-- Rows accumulate (one per login): ix_sessions_kind keeps the token list off a full scan.
CREATE TABLE sessions (
  id          BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  token_hash  CHAR(64)     CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
  user_id     BIGINT UNSIGNED NOT NULL,
  csrf_token  CHAR(43)     CHARACTER SET ascii COLLATE ascii_bin NOT NULL DEFAULT '',
  kind        VARCHAR(8)   NOT NULL,
  name        VARCHAR(100) NOT NULL DEFAULT '',
  scope       VARCHAR(100) NOT NULL DEFAULT '',
  created_at  DATETIME     NOT NULL,
  expires_at  DATETIME     NOT NULL,
  revoked_at  DATETIME     NULL,
  UNIQUE KEY uq_sessions_token_hash (token_hash),
  KEY ix_sessions_user (user_id),
  KEY ix_sessions_kind (kind, created_at),
  CONSTRAINT fk_sessions_user FOREIGN KEY (user_id) REFERENCES users (id),
  CONSTRAINT ck_sessions_kind CHECK (kind IN ('session', 'api'))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Failed logins per subject ("user:alice", "addr:203.0.113.7") since the subject's last success.
-- One row per subject, kept: a success sets failures to 0 and last_failure_at to NULL.
CREATE TABLE login_failures (
  subject         VARCHAR(200) NOT NULL PRIMARY KEY,
  failures        INT UNSIGNED NOT NULL DEFAULT 0,
  last_failure_at DATETIME     NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
