#!/usr/bin/env node
// `npx berth ...`: the headless twin. TypeScript sources run through tsx.
import { register } from "tsx/esm/api";

register();
await import("../src/cli/berth.ts");
