// Initialise GOV.UK Frontend components.
//
// Loaded from base.html as <script type="module">, so there is no inline
// script (the Content Security Policy forbids 'unsafe-inline'). GOV.UK's page
// template normally adds these body classes with an inline script; browsers
// that run ES modules are the ones GOV.UK Frontend supports, so we add them
// here before initAll() checks for them.
import { initAll } from "/static/govuk/govuk-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();
