// Starts GOV.UK Frontend's components. Loaded as a module (CSP: no inline script).
import { initAll } from "../vendor/govuk/govuk-frontend.min.js";

initAll();
