#!/usr/bin/env node
// The cluster master process. Started by startCluster(); sources are TypeScript run through tsx.
import { register } from 'tsx/esm/api';

register();
await import('../src/cluster/master-main.ts');
