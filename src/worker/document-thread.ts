// The worker thread that reads large documents (document.ts): its garbage, tens of MB per document,
// is collected right after each one, as the large-document lane does on the worker's own thread.
import { serveTasks } from '../threads.js';
import { readDocument, type DocumentTask } from './document.js';
import { collectGarbage } from './memory.js';

serveTasks(async (t: DocumentTask) => {
  try {
    return await readDocument(t.body, t.context);
  } finally {
    collectGarbage();
  }
});
