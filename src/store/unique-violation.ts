/**
 * Whether `err` is a unique-constraint violation, on SQLite (`SQLITE_CONSTRAINT_UNIQUE`,
 * `SQLITE_CONSTRAINT_PRIMARYKEY`) or PostgreSQL (SQLSTATE 23505); wrapped causes are followed.
 */
export function isUniqueViolation(err: unknown): boolean {
  for (let cause = err, depth = 0; cause instanceof Error && depth < 5; depth += 1) {
    const code = (cause as { code?: unknown }).code;
    if (code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE'
      || code === 'SQLITE_CONSTRAINT_PRIMARYKEY') return true;
    cause = cause.cause;
  }
  return false;
}
