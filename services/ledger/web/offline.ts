// Registers the pages' service worker (service-worker.ts, served at /sw.js), which keeps the pages for
// use offline once loaded. Browsers offer service workers on https and on localhost only: elsewhere the
// page works as before, online only.

/** Registers /sw.js where the browser allows it; a refusal changes nothing the page does. */
export function keepForOffline(): void {
  if (!('serviceWorker' in navigator)) return;
  navigator.serviceWorker.register('/sw.js').catch(() => {
    // Offline use is a convenience: without it the page still works while the network does.
  });
}
