// The demo: a week of real news served as local feeds (`storyline demo`).
export { DEMO_DATASET_PATH, startDemoFeeds, type DemoFeeds } from './server.js';
