#!/usr/bin/env node
import { main, processIo } from "../cli.ts";

// `analyze FILES…` is `hindsight analyze FILES…`; `analyze --help` shows the analyze options.
await main(["analyze", ...process.argv.slice(2)], processIo());
