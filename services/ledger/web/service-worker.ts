// The pages' service worker (served at /sw.js, so its scope is the whole origin): once a page has been
// loaded, the pages and their hashed assets are kept, so that a counter whose network or ledger is down
// still shows the page and can say so. Only the pages and their assets are ever answered from the
// cache; every other request, the API above all, goes to the network untouched: an answer about a pack
// is only ever live.

/** What infra/build-web.mjs built: the pages by path and their assets, and a version over their bytes. */
declare const __PRECACHE__: string[];
declare const __VERSION__: string;

// The DOM library types the pages; the worker's few events are typed here rather than mixing in
// TypeScript's WebWorker library, which conflicts with it.
interface ExtendableEvent extends Event {
  waitUntil(done: Promise<unknown>): void;
}
interface FetchEvent extends ExtendableEvent {
  readonly request: Request;
  respondWith(response: Promise<Response>): void;
}
interface WorkerScope {
  addEventListener(type: 'install' | 'activate', listener: (e: ExtendableEvent) => void): void;
  addEventListener(type: 'fetch', listener: (e: FetchEvent) => void): void;
  skipWaiting(): Promise<void>;
  readonly clients: { claim(): Promise<void> };
  readonly location: Location;
}

const worker = self as unknown as WorkerScope;
const PREFIX = 'rxledger-pages-';
const CACHE = `${PREFIX}${__VERSION__}`;
const PRECACHED = new Set(__PRECACHE__);

worker.addEventListener('install', (e) => {
  e.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(__PRECACHE__))
      .then(() => worker.skipWaiting()),
  );
});

// A new build is a new version: the old versions' caches go, and the open pages are taken over.
worker.addEventListener('activate', (e) => {
  e.waitUntil(
    caches
      .keys()
      .then((keys) => keys.filter((k) => k.startsWith(PREFIX) && k !== CACHE))
      .then((old) => Promise.all(old.map((k) => caches.delete(k))))
      .then(() => worker.clients.claim()),
  );
});

worker.addEventListener('fetch', (e) => {
  const url = new URL(e.request.url);
  if (e.request.method !== 'GET' || url.origin !== worker.location.origin) return;
  if (!PRECACHED.has(url.pathname)) return;
  e.respondWith(url.pathname.startsWith('/assets/') ? cacheFirst(url.pathname) : networkFirst(url.pathname));
});

/** A page: the network's copy when there is one (a rebuild shows at once), else the one kept. */
async function networkFirst(path: string): Promise<Response> {
  try {
    return await fetch(path, { cache: 'no-cache' });
  } catch (err) {
    const kept = await caches.match(path, { cacheName: CACHE });
    if (kept) return kept;
    throw err;
  }
}

/** An asset: named by its content, so the copy kept is the right one for good. */
async function cacheFirst(path: string): Promise<Response> {
  return (await caches.match(path, { cacheName: CACHE })) ?? fetch(path);
}
