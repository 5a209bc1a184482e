// The demo page's own script (www/embed.html): the JavaScript API at work. A website that
// embeds the widget needs none of this; it is here to copy from.

// Copy buttons: the snippet's text to the clipboard, or, where the browser refuses (a page
// not served over https, an old browser), the snippet selected for Ctrl+C. Wired before
// anything waits on the widget, so they work even where it cannot run.
const status = document.getElementById('copy-status');
for (const button of document.querySelectorAll('button[data-copy]')) {
  button.addEventListener('click', async () => {
    const pre = document.getElementById(button.dataset.copy);
    let said = 'Copied';
    let short = said;
    try {
      await navigator.clipboard.writeText(pre.textContent);
    } catch {
      const range = document.createRange();
      range.selectNodeContents(pre);
      getSelection().removeAllRanges();
      getSelection().addRange(range);
      said = 'Selected: press Ctrl+C (or ⌘C) to copy';
      short = 'Press Ctrl+C';
    }
    button.textContent = short;
    status.textContent = said;
    setTimeout(() => { button.textContent = 'Copy'; }, 2500);
  });
}

const log = document.getElementById('event-log');

function note(text) {
  const li = document.createElement('li');
  li.textContent = text;
  log.prepend(li);
  while (log.children.length > 8) log.lastElementChild.remove();
}

// One listener on the document hears every widget: the events bubble out of the element.
document.addEventListener('cascade-change', (e) => {
  note(`cascade-change from #${e.target.id}: ${e.detail.op} (${e.detail.area})`);
});
document.addEventListener('cascade-error', (e) => {
  note(`cascade-error from #${e.target.id}: ${e.detail.code}: ${e.detail.message}`);
});

await customElements.whenDefined('cascade-assessment');
const scoring = document.getElementById('demo-score');
const results = document.getElementById('demo-results');
const published = document.getElementById('demo-read-only');

// Results, kept in step with the scoring example.
await Promise.all([scoring.ready, results.ready]);
const mirror = (doc) => {
  if (doc) results.setDocument(doc);
};
mirror(scoring.getDocument());
scoring.addEventListener('cascade-change', (e) => mirror(e.detail.document));

// Read only: a document published as a file on the site.
await published.ready;
const res = await fetch(new URL('examples/example-assessment.json', document.baseURI));
published.setDocument(await res.json());

const out = document.getElementById('document-out');
document.getElementById('show-document').addEventListener('click', () => {
  out.textContent = JSON.stringify(scoring.getDocument(), null, 2);
  out.hidden = false;
});
