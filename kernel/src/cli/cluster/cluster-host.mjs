#!/usr/bin/env node
// The detached process that owns a long-running cluster started by `quire cluster start`.
import { register } from 'tsx/esm/api';

register();
await import('./host-main.ts');
