/**
 * The dashboard terminal's server side, under `/api/v1` (behind the API token):
 * - `POST /command` `{command, color?, columns?}` runs one command line -> `{output, exit_code}`;
 * - `POST /suggest` `{line, cursor?}` completes the word at the cursor -> `{suggestions, start, end}`.
 * Commands call the REST API of `api` (the main node's own app) in-process with the caller's token,
 * so a command can do exactly what its caller could with curl, and scripts can use it too.
 */
import { Hono } from 'hono';
import { validate } from '../../main/validate.ts';
import { type FetchableApp, inProcessClient } from '../../terminal/client.ts';
import { commandBodySchema, suggestBodySchema } from '../../terminal/requestSchemas.ts';
import { runCommand } from '../../terminal/run.ts';
import { suggest } from '../../terminal/suggest.ts';
import { apiSuggestSource } from '../../terminal/suggestSource.ts';
import { ok } from '../envelope.ts';
import { presentedToken } from '../middleware/apiAuth.ts';
import { readJsonBody } from '../readJsonBody.ts';

export interface TerminalRoutesOptions {
  /** The app whose REST API the commands call. */
  api: FetchableApp;
}

export function terminalRoutes(options: TerminalRoutesOptions): Hono {
  return new Hono()
    .post('/command', async (c) => {
      const body = validate(commandBodySchema, await readJsonBody(c));
      // The caller closing the request (Ctrl+C in the page) aborts a long `tasks submit --wait`.
      const client = inProcessClient(options.api, { token: presentedToken(c), signal: c.req.raw.signal });
      return ok(c, await runCommand(body.command, client, { color: body.color, width: body.columns }));
    })
    .post('/suggest', async (c) => {
      const body = validate(suggestBodySchema, await readJsonBody(c));
      const client = inProcessClient(options.api, { token: presentedToken(c), signal: c.req.raw.signal });
      return ok(c, await suggest(body.line, body.cursor ?? body.line.length, apiSuggestSource(client)));
    });
}
