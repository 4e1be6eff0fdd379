// Typed HTTP errors: every non-2xx answer is an ApiError with a stable code and a sentence for people.
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ApiError } from '../../domain/api';
import type { FieldError } from '../../domain/validation-issues';

export class HttpError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly errors?: FieldError[],
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = 'HttpError';
  }

  toBody(): ApiError {
    return { error: { code: this.code, message: this.message, ...(this.errors ? { errors: this.errors } : {}) } };
  }
}

export const badRequest = (message: string, errors?: FieldError[]) => new HttpError(400, 'bad-request', message, errors);
export const notFound = (message: string) => new HttpError(404, 'not-found', message);
