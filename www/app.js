// The facilitator page: the <cascade-assessment> element, plus offline support. Only this
// page registers the service worker; pages that embed the element do not. The element comes
// through cascade-widget.js, as on every site, so a browser too old for it gets the message.
import './cascade-widget.js';

if ('serviceWorker' in navigator && window.isSecureContext) {
  window.addEventListener('load', () => {
    navigator.serviceWorker.register(new URL('./sw.js', import.meta.url), { scope: './' }).catch(() => {
      // Offline support is a bonus: the page works without it.
    });
  });
}
