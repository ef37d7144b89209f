// Checks a real response against the served OpenAPI document: the response schema of the path,
// method and status, turned into a validator by zod's JSON Schema reader (refs resolved locally).
import { expect } from 'vitest';
import { z } from 'zod';
import { request } from './helpers.js';

type Json = Record<string, any>;

function rewriteRefs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(rewriteRefs);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [
        k,
        k === '$ref' && typeof v === 'string' ? v.replace('#/components/schemas/', '#/$defs/') : rewriteRefs(v),
      ]),
    );
  }
  return value;
}

/** The validator for one documented JSON response; throws when the document lacks it. */
export function responseValidator(doc: Json, path: string, method: string, status: string): z.ZodType {
  const operation = doc.paths?.[path]?.[method];
  if (!operation) throw new Error(`openapi: no ${method.toUpperCase()} ${path}`);
  const schema = operation.responses?.[status]?.content?.['application/json']?.schema;
  if (!schema) throw new Error(`openapi: ${method.toUpperCase()} ${path} documents no JSON ${status}`);
  const defs = rewriteRefs(doc.components.schemas) as Json;
  return z.fromJSONSchema(rewriteRefs({ ...schema, $defs: defs }) as Json);
}

/** Throws with the schema's complaints when the body does not match. */
export function assertMatches(doc: Json, path: string, method: string, status: number, body: unknown): void {
  const result = responseValidator(doc, path, method, String(status)).safeParse(body);
  if (!result.success)
    throw new Error(
      `${method.toUpperCase()} ${path} ${status} does not match the OpenAPI document: ${JSON.stringify(result.error.issues.slice(0, 5))}`,
    );
}

/** GETs a path of the real app, expects the status, checks the body against the document (path template given) and returns it. */
export async function getDocumented<T = any>(
  origin: string,
  doc: Json,
  url: string,
  template: string,
  status = 200,
): Promise<T> {
  const res = await request(origin, url);
  expect(res.status, `${url}: ${res.text.slice(0, 200)}`).toBe(status);
  assertMatches(doc, template, 'get', status, res.json());
  return res.json<T>();
}
