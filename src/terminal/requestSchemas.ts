/** The bodies of `POST /api/v1/command` and `POST /api/v1/suggest` (validated there, documented in OpenAPI). */
import { z } from 'zod';

const MAX_LINE = 8192;

export const commandBodySchema = z
  .object({
    command: z
      .string()
      .max(MAX_LINE)
      .describe('one command line, e.g. `devices list --status=online | grep pi`'),
    color: z.boolean().default(false).describe('ANSI colours in the output (the dashboard asks for them)'),
    columns: z
      .number()
      .int()
      .min(20)
      .max(1000)
      .optional()
      .describe('terminal width: tables leave out columns to fit'),
  })
  .strict();

export const suggestBodySchema = z
  .object({
    line: z.string().max(MAX_LINE),
    cursor: z
      .number()
      .int()
      .min(0)
      .optional()
      .describe('where Tab was pressed (default: the end of the line)'),
  })
  .strict();
