// Registers the service worker the production build writes beside index.html
// (sw.js, from www/sw.js), which keeps the page working offline once it has
// been opened. Browsers allow workers only in secure contexts (https, or http
// on localhost); elsewhere the page simply works online only. The browser
// itself checks for a new sw.js as pages are opened.

/** Registers ./sw.js for the page's folder once the page has loaded. */
export function registerServiceWorker() {
  if (!('serviceWorker' in navigator)) return;
  const register = () => {
    navigator.serviceWorker
      .register(new URL('sw.js', document.baseURI), { updateViaCache: 'none' })
      .catch((error) => console.warn(`Planar will not work offline: ${error?.message ?? error}`));
  };
  if (document.readyState === 'complete') register();
  else addEventListener('load', register, { once: true });
}
