// The JSON API's response shapes, once: api/json.ts builds values of these types, and openapi.ts
// publishes them as JSON Schema (draft 2020-12, as OpenAPI 3.1 uses) under components/schemas.
import { z } from 'zod';

export const schemas = z.registry<{ id: string; description?: string }>();

const time = z.iso.datetime();
const nullableTime = time.nullable();
const link = z.string().describe('Absolute URL');

const reg = <T extends z.ZodType>(id: string, description: string, schema: T): T => {
  schemas.add(schema, { id, description });
  return schema;
};

export const ErrorBody = reg(
  'Error',
  'Every error: a stable code and a message naming the cause (and the parameter, for invalid ones).',
  z.object({ error: z.object({ code: z.string(), message: z.string(), parameter: z.string().optional() }) }),
);

export const OutletRef = reg(
  'OutletRef',
  'An outlet by id and name.',
  z.object({ id: z.number().int(), name: z.string() }),
);

export const TopicRef = reg(
  'TopicRef',
  'A topic: a person, place, organization or theme.',
  z.object({ slug: z.string(), name: z.string(), kind: z.string() }),
);

export const StoryOutlet = reg(
  'StoryOutlet',
  'An outlet covering a story, with the link to its first article on it.',
  z.object({ id: z.number().int(), name: z.string(), url: link.nullable(), items: z.number().int() }),
);

export const Story = reg(
  'Story',
  'A news story: one event as one or more outlets report it.',
  z.object({
    id: z.number().int(),
    headline: z.string(),
    summary: z.string(),
    url: link.nullable().describe('The representative article'),
    firstSeenAt: time,
    lastSeenAt: time,
    updatedAt: time.describe('Moves when the coverage grows'),
    itemCount: z.number().int(),
    outletCount: z.number().int().describe('Distinct outlets, wire copies excluded'),
    outlets: z.array(StoryOutlet),
    topics: z.array(TopicRef),
    links: z.object({ self: link, html: link }),
  }),
);

const itemFields = {
  id: z.number().int(),
  title: z.string(),
  url: link.nullable(),
  summary: z.string(),
  author: z.string().nullable(),
  outlet: OutletRef,
  source: z
    .string()
    .nullable()
    .describe('Publisher the entry names, when it differs from the feed’s outlet (Google News)'),
  publishedAt: time,
  dateEstimated: z.boolean().describe('The feed gave no date; this is when the item was first seen'),
  categories: z.array(z.string()),
  storyId: z.number().int().nullable(),
  copyOf: z.number().int().nullable().describe('A wire copy of this earlier item'),
  duplicateOf: z.number().int().nullable().describe('The same article, first seen in another feed'),
};

export const Item = reg('Item', 'One article from one feed.', z.object(itemFields));

export const CoverageItem = reg(
  'CoverageItem',
  'An article in a story, with why it joined the story.',
  z.object({
    ...itemFields,
    reason: z.string().nullable().describe('new-story, similar, copy, same-url or merged'),
    score: z.number().nullable(),
    sharedTerms: z.array(z.string()),
  }),
);

const storylineLinks = z.object({
  self: link,
  html: link,
  feed: link.describe('Its RSS feed (.atom and .json beside it)'),
});

export const StorylineRef = reg(
  'StorylineRef',
  'The storyline a story is part of.',
  z.object({
    id: z.number().int(),
    title: z.string(),
    storyCount: z.number().int().describe('Its live stories; most storylines hold one'),
    links: storylineLinks,
  }),
);

export const StoryDetail = reg(
  'StoryDetail',
  'A story with its whole coverage.',
  Story.extend({
    mergedInto: z.number().int().nullable(),
    items: z.array(CoverageItem),
    storyline: StorylineRef.nullable().describe('Null until the story is linked to one'),
  }),
);

export const Storyline = reg(
  'Storyline',
  'The stories of one running situation, linked over days: its title names the situation (a storyline of one story is named by its headline).',
  z.object({
    id: z.number().int(),
    title: z.string(),
    storyCount: z.number().int(),
    firstSeenAt: time,
    lastSeenAt: time,
    updatedAt: time.describe('Moves when a story joins or grows'),
    itemCount: z.number().int(),
    outletCount: z.number().int().describe('Distinct outlets over its stories, wire copies excluded'),
    topics: z.array(TopicRef).describe('Its stories’ topics, on the most stories first'),
    links: storylineLinks,
  }),
);

export const CoverageDay = reg(
  'CoverageDay',
  'Articles published on one UTC day.',
  z.object({ day: z.iso.date(), items: z.number().int() }),
);

export const StorylineDetail = reg(
  'StorylineDetail',
  'A storyline with its stories in the order they broke (the latest 200) and its articles per day.',
  Storyline.extend({
    stories: z.array(Story),
    days: z.array(CoverageDay).describe('Every day from its first to its last (the latest 90), quiet days as 0'),
  }),
);

const next = link.nullable().describe('The next page, or null on the last one');

export const StoryList = reg(
  'StoryList',
  'A page of stories, newest activity first.',
  z.object({ stories: z.array(Story), next }),
);

export const StorylineList = reg(
  'StorylineList',
  'A page of storylines of more than one story, newest activity first.',
  z.object({ storylines: z.array(Storyline), next }),
);

export const ItemList = reg('ItemList', 'A page of items, newest first.', z.object({ items: z.array(Item), next }));

export const Topic = reg(
  'Topic',
  'A topic with its live story count.',
  z.object({
    slug: z.string(),
    name: z.string(),
    kind: z.string(),
    stories: z.number().int(),
    /** The last activity of the topic's newest story. */
    lastSeenAt: nullableTime,
    links: z.object({ self: link, html: link, feed: link }),
  }),
);

export const TopicList = reg('TopicList', 'Topics, the most covered first.', z.object({ topics: z.array(Topic) }));

export const TopicDetail = reg(
  'TopicDetail',
  'A topic and its latest stories.',
  z.object({ topic: Topic, stories: z.array(Story), next }),
);

export const Outlet = reg(
  'Outlet',
  'A publisher of one or more feeds.',
  z.object({
    id: z.number().int(),
    name: z.string(),
    site: z.string().nullable(),
    region: z.string().nullable(),
    feeds: z.number().int(),
    items: z.number().int(),
    lastPublishedAt: nullableTime,
  }),
);

export const OutletList = reg('OutletList', 'Every outlet, by name.', z.object({ outlets: z.array(Outlet) }));

export const FeedReport = reg(
  'FeedReport',
  'A feed’s health, as `storyline feeds list --json` prints it.',
  z.object({
    id: z.number().int(),
    url: z.string(),
    outlet: z.string(),
    section: z.string().nullable(),
    title: z.string().nullable(),
    status: z.enum(['new', 'ok', 'failing', 'gone', 'disabled']),
    lastStatus: z.number().int().nullable(),
    lastFetchedAt: nullableTime,
    lastSuccessAt: nullableTime,
    nextFetchAt: nullableTime,
    error: z.string().nullable(),
    errorKind: z.string().nullable(),
    errorCount: z.number().int(),
    failingSince: nullableTime,
    items: z.number().int(),
  }),
);

export const FeedList = reg('FeedList', 'Every feed with its health.', z.object({ feeds: z.array(FeedReport) }));

export const SearchHit = reg(
  'SearchHit',
  'An item matching a search, with its rank.',
  z.object({ ...itemFields, rank: z.number(), storyHeadline: z.string().nullable() }),
);

export const SearchResult = reg(
  'SearchResult',
  'Items matching a query, best first.',
  z.object({ query: z.string(), results: z.array(SearchHit), next }),
);

export const AddFeedBody = reg(
  'AddFeedBody',
  'A feed (or a page that links to one) to add.',
  z.strictObject({
    url: z.string().min(1).max(2048),
    outlet: z.string().min(1).max(200).optional(),
    section: z.string().min(1).max(200).optional(),
  }),
);

export const ImportResult = reg(
  'ImportResult',
  'What an OPML import added.',
  z.object({ added: z.number().int(), existing: z.number().int() }),
);

export const FetchQueued = reg(
  'FetchQueued',
  'Feeds made due by a triggered fetch.',
  z.object({ queued: z.number().int() }),
);

export const Health = reg(
  'Health',
  'Liveness and readiness.',
  z.object({ status: z.enum(['ok', 'unavailable']), checks: z.record(z.string(), z.string()).optional() }),
);

export type ErrorBodyJson = z.infer<typeof ErrorBody>;
export type StoryJson = z.infer<typeof Story>;
export type StoryDetailJson = z.infer<typeof StoryDetail>;
export type StorylineRefJson = z.infer<typeof StorylineRef>;
export type StorylineJson = z.infer<typeof Storyline>;
export type StorylineDetailJson = z.infer<typeof StorylineDetail>;
export type ItemJson = z.infer<typeof Item>;
export type CoverageItemJson = z.infer<typeof CoverageItem>;
export type TopicJson = z.infer<typeof Topic>;
export type OutletJson = z.infer<typeof Outlet>;
export type FeedReportJson = z.infer<typeof FeedReport>;
export type SearchHitJson = z.infer<typeof SearchHit>;
