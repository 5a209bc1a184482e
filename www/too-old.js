// In place of <cascade-assessment>, where the browser is too old for it (cascade-widget.js
// checks, and loads this file only then): the message, in the element's place and styles.
// Written for old browsers, like cascade-widget.js: no ??, ?. or class fields.

/** In place of the element, where the browser is too old for it: a message, an error event, a rejected `ready`. */
export function defineTooOld(TAG, missing, stylesheet) {
  const message = 'This browser is too old for the CASCADE self-assessment (it lacks ' + missing.join(', ') + ').';
  class TooOld extends HTMLElement {
    constructor() {
      super();
      const error = new Error(message);
      error.code = 'engine-unsupported';
      this.ready = Promise.reject(error);
      this.ready.catch(function () {}); // the message says it; no unhandled rejection
    }

    connectedCallback() {
      if (this.shadowRoot) return;
      const root = this.attachShadow({ mode: 'open' });
      const css = document.createElement('link');
      css.rel = 'stylesheet';
      css.href = stylesheet;
      const box = document.createElement('div');
      box.className = 'fatal';
      box.setAttribute('role', 'alert');
      box.setAttribute('part', 'message');
      box.setAttribute('data-code', 'engine-unsupported');
      const title = document.createElement('h2');
      title.textContent = 'This browser is too old for the self-assessment';
      const what = document.createElement('p');
      what.textContent = 'Open this page in an up-to-date Edge, Chrome, Firefox or Safari. On an iPad, update it to iPadOS 16 or later (Settings, General, Software Update).';
      const detail = document.createElement('p');
      detail.textContent = message;
      box.append(title, what, detail);
      root.append(css, box);
      this.dispatchEvent(new CustomEvent('cascade-error', { bubbles: true, composed: true, detail: { message: message, code: 'engine-unsupported' } }));
    }

    getDocument() { return null; }

    setDocument() { throw new Error(message); }
  }
  customElements.define(TAG, TooOld);
  return Promise.resolve(TooOld);
}
