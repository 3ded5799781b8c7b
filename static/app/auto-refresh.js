// Pages that update themselves, with a way to stop them (WCAG 2.2.1, timing adjustable).
//
// Progressive enhancement of templates/_components/auto_refresh.html:
//
//   <div class="app-auto-refresh" data-auto-refresh="30" data-auto-refresh-region="some-id">
//     <p class="app-auto-refresh__fallback">a "Refresh" link (all that shows without JavaScript)</p>
//     <div class="app-auto-refresh__controls" hidden>
//       <p class="app-auto-refresh__status" role="status" aria-live="polite"></p>
//       <button class="app-auto-refresh__button">Stop updating</button>
//     </div>
//   </div>
//
// Every data-auto-refresh seconds the page's own URL is fetched and the element with the id in
// data-auto-refresh-region is swapped for its fresh copy: no reload, so focus, scroll position and the
// controls (which sit outside the region) stay where they are. When the fresh page no longer asks to
// update (a return that has finished), the updates end and the button goes. "Stop updating" is kept for
// the tab in sessionStorage, per page.
//
// An external file loaded with <script type="module">: the Content Security Policy allows no inline script.

const STOPPED_KEY = "app-auto-refresh:stopped:";

function every(seconds) {
  if (seconds % 60 === 0) {
    const minutes = seconds / 60;
    return minutes === 1 ? "every minute" : `every ${minutes} minutes`;
  }
  return seconds === 1 ? "every second" : `every ${seconds} seconds`;
}

function readStopped(key) {
  try {
    return window.sessionStorage.getItem(key) === "1";
  } catch {
    return false; // storage unavailable: updates simply start again on the next visit
  }
}

function writeStopped(key, stopped) {
  try {
    if (stopped) {
      window.sessionStorage.setItem(key, "1");
    } else {
      window.sessionStorage.removeItem(key);
    }
  } catch {
    // storage unavailable: the choice lasts as long as the page
  }
}

// The element in `root` that stands for `element` (focused in the old region), if any.
function counterpart(root, element) {
  if (element.id) {
    return root.querySelector(`#${CSS.escape(element.id)}`);
  }
  const href = element.getAttribute("href");
  if (href !== null) {
    return root.querySelector(`${element.localName}[href="${CSS.escape(href)}"]`);
  }
  return null;
}

class AutoRefresh {
  constructor(container) {
    this.container = container;
    this.seconds = Number.parseInt(container.dataset.autoRefresh, 10);
    this.regionId = container.dataset.autoRefreshRegion;
    this.fallback = container.querySelector(".app-auto-refresh__fallback");
    this.controls = container.querySelector(".app-auto-refresh__controls");
    this.status = container.querySelector(".app-auto-refresh__status");
    this.button = container.querySelector(".app-auto-refresh__button");
    this.key = STOPPED_KEY + window.location.pathname;
    this.timer = null;
    this.request = null;
    this.running = false;
    this.missedWhileHidden = false;
  }

  get region() {
    return document.getElementById(this.regionId);
  }

  init() {
    if (!(this.seconds > 0) || !this.region || !this.controls || !this.status || !this.button) {
      return; // leave the "Refresh" link
    }
    if (this.fallback) this.fallback.hidden = true;
    this.controls.hidden = false;
    this.button.addEventListener("click", () => (this.running ? this.stop() : this.start({ now: true })));
    document.addEventListener("visibilitychange", () => {
      if (!document.hidden && this.running && this.missedWhileHidden) {
        this.missedWhileHidden = false;
        this.update();
      }
    });
    if (readStopped(this.key)) {
      this.showStopped();
    } else {
      this.start({ now: false });
    }
  }

  say(text) {
    this.status.textContent = text;
  }

  start({ now }) {
    writeStopped(this.key, false);
    this.running = true;
    this.button.textContent = "Stop updating";
    this.say(`This page updates ${every(this.seconds)}`);
    if (now) {
      this.update();
    } else {
      this.schedule();
    }
  }

  stop() {
    writeStopped(this.key, true);
    this.halt();
    this.showStopped();
  }

  showStopped() {
    this.running = false;
    this.button.textContent = "Start updating";
    this.say("Updates stopped");
  }

  halt() {
    this.running = false;
    window.clearTimeout(this.timer);
    this.timer = null;
    if (this.request) this.request.abort();
    this.request = null;
  }

  finish() {
    // The fresh page no longer updates itself (say a return has finished): nothing more to stop or start.
    this.halt();
    this.button.remove();
    this.say("This page is up to date and has stopped updating");
  }

  schedule() {
    window.clearTimeout(this.timer);
    this.timer = window.setTimeout(() => this.update(), this.seconds * 1000);
  }

  async update() {
    this.timer = null;
    if (!this.running) return;
    if (document.hidden) {
      this.missedWhileHidden = true; // catch up as soon as the tab is shown again
      return;
    }
    const request = new AbortController();
    this.request = request;
    let response;
    let html;
    try {
      response = await fetch(window.location.href, {
        credentials: "same-origin",
        cache: "no-store",
        headers: { Accept: "text/html" },
        signal: request.signal,
      });
      html = response.ok ? await response.text() : "";
    } catch {
      if (request.signal.aborted) return;
      return this.retryLater();
    } finally {
      if (this.request === request) this.request = null;
    }
    if (!this.running) return;
    if (response.redirected || (response.status >= 400 && response.status < 500)) {
      // Signed out, or the page is gone or no longer ours: let the browser show what the server says.
      window.location.reload();
      return;
    }
    if (!response.ok) return this.retryLater();
    const fresh = new DOMParser().parseFromString(html, "text/html");
    const freshRegion = fresh.getElementById(this.regionId);
    if (!freshRegion) {
      window.location.reload();
      return;
    }
    this.replace(freshRegion);
    const stillUpdating = Array.from(fresh.querySelectorAll("[data-auto-refresh]")).some(
      (element) => element.dataset.autoRefreshRegion === this.regionId,
    );
    if (stillUpdating) {
      this.schedule();
    } else {
      this.finish();
    }
  }

  retryLater() {
    this.say("The page could not be updated just now. It will try again shortly");
    this.schedule();
  }

  replace(freshRegion) {
    const region = this.region;
    const selection = window.getSelection();
    if (selection && !selection.isCollapsed && region.contains(selection.anchorNode)) {
      return; // someone is selecting text here: try again next time
    }
    const node = document.importNode(freshRegion, true);
    const focused = document.activeElement;
    let target = null;
    if (focused && focused !== document.body && region.contains(focused)) {
      target = counterpart(node, focused);
      if (!target) return; // what has focus would vanish: keep this copy until focus moves on
    }
    region.replaceWith(node);
    if (target) target.focus({ preventScroll: true });
    if (this.status.textContent !== `This page updates ${every(this.seconds)}`) {
      this.say(`This page updates ${every(this.seconds)}`);
    }
  }
}

for (const container of document.querySelectorAll("[data-auto-refresh]")) {
  new AutoRefresh(container).init();
}
