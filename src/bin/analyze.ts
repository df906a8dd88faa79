#!/usr/bin/env node
import { run } from "./run.ts";

// `analyze FILES…` is `hindsight analyze FILES…`; `analyze --help` shows the analyze options.
await run(["analyze", ...process.argv.slice(2)]);
