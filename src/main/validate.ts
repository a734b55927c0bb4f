import type { z } from 'zod';
import { ClusterError, ErrorCode } from '../protocol/errorCodes.ts';
import { describeIssues } from './schemas.ts';

/** Parses input at a use-case's boundary; a failure is a VALIDATION_ERROR naming each bad field. */
export function validate<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  throw new ClusterError(ErrorCode.ValidationError, describeIssues(parsed.error), {
    details: parsed.error.issues,
  });
}
