// The read side: every query the server, the benchmarks and the tests read the news through, and the
// records they return. Each file owns the records of what it returns; the records a story is built
// from (Story, Topic, Outlet, Position, …) are shared stage records in src/model.ts.
export { findTopic, listOutlets, listTopics } from './catalog.js';
export { readDataVersion, type DataScope } from './data-version.js';
export { readFeedReportsDocument } from './feed-report.js';
export type { ListFilter, StorylineFilter, StorySort } from './filters.js';
export { listItems, searchItems, type SearchHit, type StoredItem } from './items.js';
export {
  getStory,
  listCoverage,
  listStories,
  listStoryTopics,
  type CoverageItem,
  type StoryDetail,
} from './stories.js';
export type { StorylineRef } from './storyline-merges.js';
export {
  getStoryline,
  listStorylines,
  listStorylinesOfStories,
  type CoverageDay,
  type Storyline,
  type StorylineDetail,
} from './storylines.js';
