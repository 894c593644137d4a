/**
 * A failure answered by the hub in its error envelope (`{code, msg, requestId, errors}`), with
 * the HTTP status and `Retry-After` (seconds) when the hub sent one.
 */
export class DeliveryHubError extends Error {
  readonly code: string;
  readonly msg: string;
  readonly requestId: string;
  readonly errors: Record<string, string[]> | null;
  readonly status: number;
  readonly retryAfterSec: number | undefined;

  constructor(status: number, body: {
    code: string; msg: string; requestId: string; errors: Record<string, string[]> | null;
  }, retryAfterSec?: number) {
    super(`${status} ${body.code}: ${body.msg}`);
    this.name = 'DeliveryHubError';
    this.status = status;
    this.code = body.code;
    this.msg = body.msg;
    this.requestId = body.requestId;
    this.errors = body.errors;
    this.retryAfterSec = retryAfterSec;
  }
}
