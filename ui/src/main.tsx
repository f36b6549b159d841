// Start-up: read the saved language and theme first, so the first frame is already in the
// right language, direction and colours; then render.
import "./index.css";

import { StrictMode } from "react";
import { createRoot } from "react-dom/client";

import { App } from "./App";
import { loadStartupProblem } from "./shell/StartupProblem";
import { detectLanguage, initI18n } from "./i18n";
import { commands } from "./ipc/bindings";
import type { UiSettings_Serialize as UiSettings } from "./ipc/bindings";
import { applySettings } from "./preferences/document";

// Report Content-Security-Policy violations loudly (the e2e tests read this list).
const cspViolations: string[] = [];
Object.assign(window, { __smmDeskCspViolations: cspViolations });
document.addEventListener("securitypolicyviolation", (event) => {
  const entry = `${event.violatedDirective} ${event.blockedURI}`;
  cspViolations.push(entry);
  console.error("CSP violation:", entry);
});

async function savedSettings(): Promise<UiSettings | null> {
  try {
    return await commands.getUiSettings();
  } catch (error) {
    console.error("cannot read the saved settings", error);
    return null;
  }
}

async function start(): Promise<void> {
  const [saved, problem] = await Promise.all([savedSettings(), loadStartupProblem()]);
  const initial: UiSettings = saved ?? {
    language: detectLanguage(navigator.languages),
    theme: "system",
    digits: "latin",
  };
  applySettings(initial);
  await initI18n(initial.language);
  const root = document.getElementById("root");
  if (root === null) throw new Error("index.html has no #root");
  createRoot(root).render(
    <StrictMode>
      <App initial={initial} problem={problem} />
    </StrictMode>,
  );
}

void start();
