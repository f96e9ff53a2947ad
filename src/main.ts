// Entry point. The VM download is the long pole, so the worker starts before the UI
// code is even fetched.
import { manifest } from "virtual:berth-vm";
import { BrowserSandbox } from "./sandbox/client";

const sandbox = new BrowserSandbox(manifest);
void import("./ui/mount").then(({ mountApp }) => mountApp(document.getElementById("app")!, sandbox));
