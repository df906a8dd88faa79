#!/usr/bin/env node
import { main, processIo } from "../cli.ts";

await main(process.argv.slice(2), processIo());
