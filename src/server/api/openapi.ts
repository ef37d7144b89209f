// The OpenAPI 3.1 document at /api/openapi.json: paths written here, response schemas generated
// from schemas.ts, so the document and the code that builds the responses cannot drift apart.
import { z } from 'zod';
import { schemas } from './schemas.js';

type Json = Record<string, unknown>;

const ref = (id: string): Json => ({ $ref: `#/components/schemas/${id}` });

function componentSchemas(): Record<string, Json> {
  const out = z.toJSONSchema(schemas, { target: 'draft-2020-12', uri: (id) => `#/components/schemas/${id}` }).schemas;
  return Object.fromEntries(
    Object.entries(out).map(([id, schema]) => {
      const { $schema: _s, $id: _i, ...rest } = schema as Json;
      return [id, rest];
    }),
  );
}

const string = (extra: Json = {}): Json => ({ type: 'string', ...extra });
const integer = (minimum: number, maximum: number): Json => ({ type: 'integer', minimum, maximum });
const TIME_DOC =
  'ISO 8601 date or date-time (2025-05-06, 2025-05-06T12:00:00Z), 1970-01-01 or later; UTC when no offset is given';

/** Every query parameter, once; each path lists the names it accepts. */
const PARAMETERS: Record<string, { description: string; schema: Json }> = {
  topic: { description: 'Only stories carrying this topic (its slug)', schema: string({ maxLength: 100 }) },
  outlet: {
    description: 'Only stories (or items) from this outlet, by name, case-insensitive',
    schema: string({ maxLength: 200 }),
  },
  q: {
    description: 'Full-text filter in web-search syntax: words, "quoted phrases", or, -excluded',
    schema: string({ maxLength: 300 }),
  },
  min_sources: { description: 'Only stories covered by at least this many outlets', schema: integer(1, 1000) },
  since: { description: `Only activity at or after this time. ${TIME_DOC}`, schema: string() },
  until: { description: `Only activity before this time. ${TIME_DOC}`, schema: string() },
  view: {
    description: 'stories (one entry per story, the default) or items (one entry per article)',
    schema: string({ enum: ['stories', 'items'] }),
  },
  cursor: {
    description: 'Opaque position from a previous page’s `next` link (keep `sort` as it was)',
    schema: string({ maxLength: 64 }),
  },
  sort: {
    description:
      'top (the default): by significance, the most widely covered stories of the last hours first (independent outlets, more articles with diminishing returns, how fast coverage grew; weight over (age in hours + 2)^1.8 among the 500 most significant candidates). latest: newest activity first',
    schema: string({ enum: ['top', 'latest'] }),
  },
};

const param = (name: string, limit?: [number, number, number]): Json => {
  if (name === 'limit')
    return {
      name,
      in: 'query',
      description: `Page size (default ${limit![2]})`,
      schema: integer(limit![0], limit![1]),
    };
  const p = PARAMETERS[name]!;
  return { name, in: 'query', required: false, description: p.description, schema: p.schema };
};

const pathParam = (name: string, description: string, schema: Json): Json => ({
  name,
  in: 'path',
  required: true,
  description,
  schema,
});

const errorResponse = (description: string): Json => ({
  description,
  content: { 'application/json': { schema: ref('Error') } },
});

const ERRORS = {
  '400': errorResponse('Invalid parameter (the message names it)'),
  '404': errorResponse('Unknown id or path'),
};
const NOT_MODIFIED = { '304': { description: 'Not modified since the ETag or Last-Modified the client holds' } };

function jsonGet(summary: string, schema: string, parameters: Json[]): Json {
  return {
    get: {
      summary,
      parameters,
      responses: {
        '200': { description: summary, content: { 'application/json': { schema: ref(schema) } } },
        ...NOT_MODIFIED,
        ...ERRORS,
      },
    },
  };
}

function documentGet(summary: string, contentType: string, parameters: Json[] = [], schema: Json = string()): Json {
  return {
    get: {
      summary,
      parameters,
      responses: {
        '200': { description: summary, content: { [contentType]: { schema } } },
        ...NOT_MODIFIED,
        ...ERRORS,
      },
    },
  };
}

const FILTERS = ['topic', 'outlet', 'q', 'min_sources', 'since'];
const feedParams = (perTopic: boolean): Json[] => [
  param('sort'),
  ...FILTERS.filter((n) => !perTopic || n !== 'topic').map((n) => param(n)),
  param('view'),
  param('limit', [1, 200, 50]),
];
const itemListParams = [...FILTERS, 'until']
  .map((n) => param(n))
  .concat([param('limit', [1, 100, 20]), param('cursor')]);
const listParams = [param('sort'), ...itemListParams];
const slugParam = pathParam('slug', 'Topic slug', string({ maxLength: 100 }));
const storylineId = pathParam('id', 'Storyline id', integer(1, Number.MAX_SAFE_INTEGER));

/** A merged story's or storyline's old id answers with a permanent redirect to the survivor. */
function moved(operation: Json, what: string): Json {
  ((operation.get as Json).responses as Json)['308'] = {
    description: `The ${what} was merged into another; Location names it`,
  };
  return operation;
}
const storylineMoved = (operation: Json): Json => moved(operation, 'storyline');

const storylineListParams: Json[] = [
  {
    name: 'topic',
    in: 'query',
    required: false,
    description: 'Only storylines with a story carrying this topic (its slug)',
    schema: string({ maxLength: 100 }),
  },
  param('since'),
  param('until'),
  param('limit', [1, 100, 20]),
  {
    name: 'cursor',
    in: 'query',
    required: false,
    description: 'Opaque position from a previous page’s `next` link',
    schema: string({ maxLength: 64 }),
  },
];

function feedPaths(): Json {
  const formats: Array<[string, string, string]> = [
    ['xml', 'application/rss+xml', 'RSS 2.0'],
    ['atom', 'application/atom+xml', 'Atom 1.0'],
    ['json', 'application/feed+json', 'JSON Feed 1.1'],
  ];
  const out: Json = {};
  for (const [ext, type, name] of formats) {
    out[`/feed.${ext}`] = documentGet(`The combined feed (${name})`, type, feedParams(false));
    out[`/topics/{slug}/feed.${ext}`] = documentGet(`One topic’s feed (${name})`, type, [
      slugParam,
      ...feedParams(true),
    ]);
    out[`/storylines/{id}/feed.${ext}`] = storylineMoved(
      documentGet(`One storyline’s feed: its stories, the latest first (${name})`, type, [
        storylineId,
        param('limit', [1, 200, 50]),
      ]),
    );
  }
  return out;
}

function adminPaths(): Json {
  const secured = (
    summary: string,
    body: Json | null,
    status: string,
    schema: string | null,
    parameters: Json[] = [],
  ): Json => ({
    summary,
    security: [{ bearer: [] }],
    parameters,
    ...(body ? { requestBody: { required: true, content: body } } : {}),
    responses: {
      [status]: schema
        ? { description: summary, content: { 'application/json': { schema: ref(schema) } } }
        : { description: summary },
      '400': errorResponse('Invalid body'),
      '401': errorResponse('Missing or wrong bearer token'),
      '404': errorResponse('Admin API off (ADMIN_TOKEN unset) or unknown feed'),
      '429': errorResponse('Too many admin requests from this address'),
    },
  });
  return {
    '/api/admin/feeds': {
      post: secured(
        'Add a feed (or the feed a page links to)',
        { 'application/json': { schema: ref('AddFeedBody') } },
        '201',
        'FeedReport',
      ),
    },
    '/api/admin/feeds/{id}': {
      delete: secured('Remove a feed and its items', null, '204', null, [
        pathParam('id', 'Feed id', integer(1, Number.MAX_SAFE_INTEGER)),
      ]),
    },
    '/api/admin/opml': {
      post: secured(
        'Import the feeds of an OPML document',
        {
          'text/x-opml': { schema: string() },
          'application/xml': { schema: string() },
          'text/xml': { schema: string() },
        },
        '200',
        'ImportResult',
      ),
    },
    '/api/admin/fetch': { post: secured('Make every active feed due now', null, '202', 'FetchQueued') },
  };
}

function apiPaths(): Json {
  const storyId = pathParam('id', 'Story id', integer(1, Number.MAX_SAFE_INTEGER));
  const story = moved(
    jsonGet(
      'A story with its items, outlets, topics, why each item joined, and the storyline it is part of',
      'StoryDetail',
      [storyId],
    ),
    'story',
  );
  return {
    '/api/stories': jsonGet(
      'Stories, top stories first (or newest activity first with sort=latest), with cursor pagination',
      'StoryList',
      listParams,
    ),
    '/api/stories/{id}': story,
    '/api/storylines': jsonGet(
      'Storylines of more than one story, newest activity first, with cursor pagination',
      'StorylineList',
      storylineListParams,
    ),
    '/api/storylines/{id}': storylineMoved(
      jsonGet(
        'A storyline with its stories in the order they broke, its topics and its articles per day',
        'StorylineDetail',
        [storylineId],
      ),
    ),
    '/api/items': jsonGet('Items, newest first, with cursor pagination', 'ItemList', itemListParams),
    '/api/topics': jsonGet('Topics, the most covered first', 'TopicList', [param('limit', [1, 1000, 100])]),
    '/api/topics/{slug}': jsonGet(
      'A topic and its stories (any form of its name resolves: old slugs keep working)',
      'TopicDetail',
      [slugParam, param('sort'), param('limit', [1, 100, 20]), param('cursor')],
    ),
    '/api/outlets': jsonGet('Every outlet', 'OutletList', []),
    '/api/feeds': jsonGet('Every feed with its health', 'FeedList', []),
    '/api/feeds.opml': documentGet('The sources as OPML 2.0', 'text/x-opml'),
    '/api/search': jsonGet('Full-text search over items: the 500 newest matches, best match first', 'SearchResult', [
      {
        name: 'q',
        in: 'query',
        required: true,
        description: 'Web-search syntax: words, "quoted phrases", or, -excluded',
        schema: string({ maxLength: 300 }),
      },
      param('limit', [1, 100, 20]),
      param('cursor'),
    ]),
    '/api/openapi.json': documentGet('This document', 'application/json', [], {
      type: 'object',
      description: 'OpenAPI 3.1',
    }),
  };
}

function otherPaths(): Json {
  const health = (summary: string): Json => ({
    get: {
      summary,
      responses: {
        '200': { description: 'ok', content: { 'application/json': { schema: ref('Health') } } },
        '503': { description: 'unavailable', content: { 'application/json': { schema: ref('Health') } } },
      },
    },
  });
  return {
    '/': documentGet('Front page: top stories (sort=latest: newest activity first)', 'text/html', [
      ...['sort', 'outlet', 'q', 'min_sources', 'since', 'topic'].map((n) => param(n)),
      param('limit', [1, 100, 30]),
    ]),
    '/topics/{slug}': documentGet('A topic’s page', 'text/html', [slugParam]),
    '/stories/{id}': documentGet('A story’s page with its coverage', 'text/html', [
      pathParam('id', 'Story id', integer(1, Number.MAX_SAFE_INTEGER)),
    ]),
    '/storylines/{id}': storylineMoved(
      documentGet('A storyline’s timeline: its stories in order and a chart of its coverage per day', 'text/html', [
        storylineId,
      ]),
    ),
    '/healthz': health('The process is up'),
    '/readyz': health('The database is reachable and migrated'),
    '/metrics': {
      get: {
        summary: 'Prometheus metrics',
        responses: { '200': { description: 'Exposition format', content: { 'text/plain': { schema: string() } } } },
      },
    },
  };
}

/** The whole document; servers point at the public URL. */
export function openApiDocument(baseUrl: string): Json {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Storyline API',
      version: '1',
      description:
        'News stories grouped from many outlets’ feeds. Errors are always {"error": {"code", "message"}}. Lists carry ETag and Last-Modified; GET is open to any origin (CORS).',
    },
    servers: [{ url: baseUrl }],
    paths: { ...apiPaths(), ...adminPaths(), ...feedPaths(), ...otherPaths() },
    components: {
      schemas: componentSchemas(),
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'ADMIN_TOKEN' } },
    },
  };
}
