// Registers the service worker the production build writes beside index.html
// (sw.js, from www/sw.js), which keeps the page working offline once it has
// been opened. Browsers allow workers only in secure contexts (https, or http
// on localhost); elsewhere the page simply works online only.

/**
 * Registers ./sw.js for the page's folder once the page has loaded; when a
 * worker is already there, asks the server at once whether a new build has
 * replaced it (the browser would otherwise check only later).
 */
export function registerServiceWorker() {
  if (!('serviceWorker' in navigator)) return;
  const register = async () => {
    let registration;
    try {
      registration = await navigator.serviceWorker.register(new URL('sw.js', document.baseURI), { updateViaCache: 'none' });
    } catch (error) {
      console.warn(`Planar will not work offline: ${error?.message ?? error}`);
      return;
    }
    // Offline, or the server is away: the cached build stays, which is the point.
    if (registration?.active) registration.update().catch(() => {});
  };
  if (document.readyState === 'complete') register();
  else addEventListener('load', register, { once: true });
}
