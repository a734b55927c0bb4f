import { Hono } from 'hono';
import { docsPage } from '../docsPage.ts';
import { openApiDocument } from '../openapi.ts';

/** The API's description needs no token: it holds nothing about the cluster itself. */
export function docsRoutes(version: string): Hono {
  return new Hono()
    .get('/openapi.json', (c) => c.json(openApiDocument(version)))
    .get('/docs', (c) => c.html(docsPage(openApiDocument(version))));
}
