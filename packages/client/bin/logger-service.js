#!/usr/bin/env node
// The `logger-service` bin: a committed file, so that `npm ci` links it in a fresh clone before
// `npm run build` has made dist/ (npm skips bins whose target is missing). Runs the built CLI.
import '../dist/cli/main.js';
