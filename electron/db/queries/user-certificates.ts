import type { Database } from 'better-sqlite3-multiple-ciphers';
import { sql } from './sql';

/** The `user_certificates` table: card certificates seen at sign-in, enrolment or provisioning. */
export type UserCertificateKind = 'authentication' | 'key-management';

export interface AdminCertificate {
  userId: number;
  displayName: string;
  der: Buffer;
}

const upsert = sql<[sha256: string, userId: number, kind: UserCertificateKind, der: Buffer, at: string]>(
  'INSERT INTO user_certificates (sha256, user_id, kind, der, recorded_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT(sha256) DO UPDATE SET user_id = excluded.user_id, recorded_at = excluded.recorded_at',
);
const adminAuthentication = sql<[], AdminCertificate>(
  "SELECT u.id AS userId, u.display_name AS displayName, c.der AS der FROM user_certificates c JOIN users u ON u.id = c.user_id WHERE c.kind = 'authentication' AND u.role = 'admin' AND u.disabled_at IS NULL ORDER BY u.id",
);
const removeForUser = sql<[userId: number]>('DELETE FROM user_certificates WHERE user_id = ?');

export function recordUserCertificate(
  db: Database,
  sha256: string,
  userId: number,
  kind: UserCertificateKind,
  der: Buffer,
  at: string,
): void {
  upsert.run(db, sha256, userId, kind, der, at);
}

/** The authentication certificates on record for every enabled administrator. */
export function enabledAdminCertificates(db: Database): AdminCertificate[] {
  return adminAuthentication.all(db);
}

export function forgetUserCertificates(db: Database, userId: number): void {
  removeForUser.run(db, userId);
}
