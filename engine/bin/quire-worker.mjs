#!/usr/bin/env node
// A cluster worker process. Started by the master; sources are TypeScript run through tsx.
import { register } from 'tsx/esm/api';

register();
await import('../src/cluster/worker-main.ts');
